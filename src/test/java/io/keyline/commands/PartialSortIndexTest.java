package io.keyline.commands;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The index sorts GEOSEARCH uses against the object sorts they replaced, on keys with many ties. */
class PartialSortIndexTest {
    private record Item(int id, double key) {
    }

    @Test
    void indexSortsOrderTiesAsTheObjectSorts() {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = 1 + r.nextInt(300);
            double[] key = new double[n];
            Item[] items = new Item[n];
            for (int i = 0; i < n; i++) {
                key[i] = r.nextInt(1 + n / 4); // many equal distances
                items[i] = new Item(i, key[i]);
            }
            Comparator<Item> asc = (a, b) -> a.key > b.key ? 1 : a.key == b.key ? 0 : -1;
            PartialSort.IndexComparator iasc = (a, b) -> key[a] > key[b] ? 1 : key[a] == key[b] ? 0 : -1;
            boolean desc = r.nextBoolean();
            Comparator<Item> cmp = desc ? asc.reversed() : asc;
            PartialSort.IndexComparator icmp = desc ? (a, b) -> -iasc.compare(a, b) : iasc;

            Item[] stable = items.clone();
            Arrays.sort(stable, cmp); // stable, as List.sort was
            int[] order = PartialSort.identity(n);
            PartialSort.stableSort(order, n, icmp);
            for (int k = 0; k < n; k++) assertThat(order[k]).isEqualTo(stable[k].id());

            int count = 1 + r.nextInt(n);
            Item[] partial = items.clone();
            PartialSort.pqsort(partial, cmp, 0, count - 1);
            int[] porder = PartialSort.identity(n);
            PartialSort.pqsort(porder, n, icmp, 0, count - 1);
            for (int k = 0; k < count; k++) {
                assertThat(porder[k]).isEqualTo(partial[k].id());
                if (k > 0) assertThat(cmp.compare(partial[k - 1], partial[k])).isLessThanOrEqualTo(0);
            }
        }
    }
}
