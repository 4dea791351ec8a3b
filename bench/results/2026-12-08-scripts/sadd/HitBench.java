import io.keyline.store.type.SetValue;
import java.lang.management.*;
import java.util.SplittableRandom;

public class HitBench {
    static byte[] member(long v) {
        byte[] m = "element:000000000000".getBytes();
        for (int d = 19; d >= 8; d--) { m[d] = (byte) ('0' + v % 10); v /= 10; }
        return m;
    }
    public static void main(String[] a) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        int n = 1_000_000;
        SetValue s = SetValue.forFirstMember(member(0), 1);
        for (int i = 0; i < n; i++) s.add(member(i));
        // queries prebuilt (fresh arrays, not the stored ones), random order
        int q = 2_000_000;
        byte[][] hits = new byte[q][], misses = new byte[q][];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < q; i++) { hits[i] = member(rnd.nextInt(n)); misses[i] = member(n + rnd.nextInt(n)); }
        StringBuilder out = new StringBuilder(a[0]);
        double bh = 1e9, bm = 1e9;
        for (int rep = 0; rep < 7; rep++) {
            long t0 = tm.getCurrentThreadCpuTime();
            int c = 0;
            for (int i = 0; i < q; i++) if (s.contains(hits[i])) c++;
            long t1 = tm.getCurrentThreadCpuTime();
            for (int i = 0; i < q; i++) if (s.contains(misses[i])) c++;
            long t2 = tm.getCurrentThreadCpuTime();
            if (c != q) throw new AssertionError(c);
            bh = Math.min(bh, (t1 - t0) / (double) q);
            bm = Math.min(bm, (t2 - t1) / (double) q);
        }
        System.out.println(String.format("%s hit %.0f ns miss %.0f ns (min of 7)", a[0], bh, bm));
    }
}
