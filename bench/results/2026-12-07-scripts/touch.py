"""Commit and touch fresh memory 2 MB at a time (as ZGC does for a new page: memfd + fallocate + mmap + first
touch), and report each step slower than 5 ms with its wall time and this thread's CPU time over it.
Wall ~= CPU for a long step: the CPU was in this thread (kernel work, or a vCPU stall the guest charges to it);
wall >> CPU: the thread waited (preempted / blocked)."""
import mmap, os, sys, time
mb_per_s = float(sys.argv[1]); total_mb = int(sys.argv[2]); mode = sys.argv[3] if len(sys.argv) > 3 else "memfd"
os.sched_setaffinity(0, {int(os.environ.get("CPU", "0"))})
CH = 2 << 20
fd = os.memfd_create("touch") if mode == "memfd" else -1
maps = []; slow = []; t_start = time.time(); steps = []
for i in range(total_mb // 2):
    due = t_start + i * 2 / mb_per_s
    d = due - time.time()
    if d > 0: time.sleep(d)
    w0, c0 = time.perf_counter(), time.thread_time()
    if mode == "memfd":
        os.posix_fallocate(fd, i * CH, CH)
        m = mmap.mmap(fd, CH, offset=i * CH)
    else:
        m = mmap.mmap(-1, CH)
    w1, c1 = time.perf_counter(), time.thread_time()
    for off in range(0, CH, 4096): m[off] = 1
    w2, c2 = time.perf_counter(), time.thread_time()
    maps.append(m)
    steps.append((w2 - w0) * 1000)
    if w2 - w0 > 0.005:
        slow.append("%.3f commit %.1f/%.1f touch %.1f/%.1f ms (wall/cpu)" % (time.time(), (w1-w0)*1e3, (c1-c0)*1e3, (w2-w1)*1e3, (c2-c1)*1e3))
steps.sort()
print("mode %s %d chunks: median %.2f ms p99 %.2f max %.2f ms per 2 MB" % (mode, len(steps), steps[len(steps)//2], steps[int(len(steps)*.99)], steps[-1]))
for s in slow[-40:]: print(s)
