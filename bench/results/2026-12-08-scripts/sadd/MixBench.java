import io.keyline.store.type.SetValue;
import java.lang.management.*;
import java.util.SplittableRandom;

/** SADD of random members of [0, 1M) into a set prefilled with 700K of them: ~70% hits, the rest inserts. */
public class MixBench {
    static byte[] member(long v) {
        byte[] m = "element:000000000000".getBytes();
        for (int d = 19; d >= 8; d--) { m[d] = (byte) ('0' + v % 10); v /= 10; }
        return m;
    }
    public static void main(String[] a) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        int q = 300_000;
        double best = 1e9;
        for (int rep = 0; rep < 6; rep++) {
            SetValue s = SetValue.forFirstMember(member(0), 1);
            SplittableRandom rnd = new SplittableRandom(rep);
            for (int i = 0; i < 700_000; i++) s.add(member(rnd.nextInt(1_000_000) | 0));
            // finish any resize so it does not skew the measured part
            for (int i = 0; i < 50_000; i++) s.add(member(rnd.nextInt(1_000_000)));
            byte[][] qs = new byte[q][];
            for (int i = 0; i < q; i++) qs[i] = member(rnd.nextInt(1_000_000));
            long t0 = tm.getCurrentThreadCpuTime();
            int added = 0;
            for (int i = 0; i < q; i++) if (s.add(qs[i])) added++;
            long t1 = tm.getCurrentThreadCpuTime();
            best = Math.min(best, (t1 - t0) / (double) q);
        }
        System.out.println(String.format("%s sadd-mix %.0f ns (min of 6)", a[0], best));
    }
}
