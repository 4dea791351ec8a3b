import io.keyline.store.type.SetValue;
import java.lang.management.*;
import java.util.SplittableRandom;

public class SetBench {
    public static void main(String[] a) {
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        long[] phases = {300_000, 1_000_000, 2_000_000};
        String[] names = {"0-300K", "300K-1.3M", "1.3M-3.3M"};
        StringBuilder out = new StringBuilder(a.length > 0 ? a[0] : "");
        for (int rep = 0; rep < 3; rep++) {
            SetValue s = null;
            SplittableRandom rnd = new SplittableRandom(42 + rep);
            byte[] first = "element:000000000001".getBytes();
            s = SetValue.forFirstMember(first, 1);
            long added = 0;
            out.append(" | rep").append(rep);
            for (int p = 0; p < phases.length; p++) {
                long t0 = tm.getCurrentThreadCpuTime();
                for (long i = 0; i < phases[p]; i++) {
                    byte[] m = new byte[20];
                    System.arraycopy(first, 0, m, 0, 8);
                    long v = rnd.nextInt(1_000_000);
                    for (int d = 19; d >= 8; d--) { m[d] = (byte) ('0' + v % 10); v /= 10; }
                    if (s.add(m)) added++;
                }
                long t1 = tm.getCurrentThreadCpuTime();
                out.append(String.format(" %s %.0f", names[p], (t1 - t0) / (double) phases[p]));
            }
            out.append(String.format(" size %d bytes/member %.1f", s.size(), s.estimatedBytes() / (double) s.size()));
        }
        System.out.println(out);
    }
}
