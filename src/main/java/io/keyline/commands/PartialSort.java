package io.keyline.commands;

import java.util.Comparator;

/**
 * Redis's pqsort.c (Bentley &amp; McIlroy's quicksort from NetBSD, recursing only into the partitions
 * that overlap the wanted range): GEOSEARCH ... COUNT sorts just the first COUNT results with it, so
 * porting it step for step gives equal-distance ties the same order as redis-server.
 */
final class PartialSort {
    private PartialSort() {
    }

    /** Compares the elements at two indices (into the caller's own arrays: no object per element). */
    @FunctionalInterface
    interface IndexComparator {
        int compare(int i, int j);
    }

    /** Sorts a so that positions lrange..rrange (inclusive) hold what a full sort would put there. */
    static <T> void pqsort(T[] a, Comparator<? super T> cmp, int lrange, int rrange) {
        int[] idx = identity(a.length);
        pqsort(idx, a.length, (i, j) -> cmp.compare(a[i], a[j]), lrange, rrange);
        Object[] copy = a.clone();
        for (int k = 0; k < idx.length; k++) {
            @SuppressWarnings("unchecked") T t = (T) copy[idx[k]];
            a[k] = t;
        }
    }

    /**
     * As {@link #pqsort(Object[], Comparator, int, int)} on the first {@code n} indices of {@code x}:
     * the same comparisons and swaps, so the same order of ties.
     */
    static void pqsort(int[] x, int n, IndexComparator cmp, int lrange, int rrange) {
        sort(x, 0, n, cmp, lrange, rrange);
    }

    /** 0, 1, ..., n - 1. */
    static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return idx;
    }

    /**
     * A stable sort of the first {@code n} indices of {@code x} (a merge sort): what glibc's qsort
     * (a merge sort for arrays this size) and List.sort give, since a stable order is unique.
     */
    static void stableSort(int[] x, int n, IndexComparator cmp) {
        if (n < 2) return;
        mergeSort(x, new int[n], 0, n, cmp);
    }

    private static void mergeSort(int[] x, int[] tmp, int from, int to, IndexComparator cmp) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSort(x, tmp, from, mid, cmp);
        mergeSort(x, tmp, mid, to, cmp);
        if (cmp.compare(x[mid - 1], x[mid]) <= 0) return;
        System.arraycopy(x, from, tmp, from, to - from);
        int i = from, j = mid, k = from;
        while (i < mid && j < to) x[k++] = cmp.compare(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
        while (i < mid) x[k++] = tmp[i++];
        while (j < to) x[k++] = tmp[j++];
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void vecswap(int[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) swap(a, i + k, j + k);
    }

    private static int med3(int[] x, int a, int b, int c, IndexComparator cmp) {
        return cmp.compare(x[a], x[b]) < 0
                ? (cmp.compare(x[b], x[c]) < 0 ? b : (cmp.compare(x[a], x[c]) < 0 ? c : a))
                : (cmp.compare(x[b], x[c]) > 0 ? b : (cmp.compare(x[a], x[c]) < 0 ? a : c));
    }

    private static void insertion(int[] x, int a, int n, IndexComparator cmp) {
        for (int pm = a + 1; pm < a + n; pm++) {
            for (int pl = pm; pl > a && cmp.compare(x[pl - 1], x[pl]) > 0; pl--) swap(x, pl, pl - 1);
        }
    }

    private static void sort(int[] x, int a, int n, IndexComparator cmp, int lrange, int rrange) {
        while (true) {
            boolean swapped = false;
            if (n < 7) {
                insertion(x, a, n, cmp);
                return;
            }
            int pm = a + n / 2;
            if (n > 7) {
                int pl = a, pn = a + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(x, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(x, pm - d, pm, pm + d, cmp);
                    pn = med3(x, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(x, pl, pm, pn, cmp);
            }
            swap(x, a, pm);
            int pa = a + 1, pb = a + 1;
            int pc = a + n - 1, pd = a + n - 1;
            for (;;) {
                int r;
                while (pb <= pc && (r = cmp.compare(x[pb], x[a])) <= 0) {
                    if (r == 0) {
                        swapped = true;
                        swap(x, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(x[pc], x[a])) >= 0) {
                    if (r == 0) {
                        swapped = true;
                        swap(x, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) break;
                swap(x, pb, pc);
                swapped = true;
                pb++;
                pc--;
            }
            if (!swapped) {
                insertion(x, a, n, cmp);
                return;
            }
            int pn = a + n;
            int r = Math.min(pa - a, pb - pa);
            vecswap(x, a, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(x, pb, pn - r, r);
            if ((r = pb - pa) > 1) {
                int l = a, rr = a + r - 1;
                if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) sort(x, a, r, cmp, lrange, rrange);
            }
            if ((r = pd - pc) > 1) {
                a = pn - r;
                n = r;
                int l = a, rr = a + r - 1;
                if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) continue;
            }
            return;
        }
    }
}
