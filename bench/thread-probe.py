#!/usr/bin/env python3
"""What runs in a server process during redis-benchmark runs: CPU and context switches per thread.

Usage: bench/thread-probe.py [--pinned] [--warmup 50000] [-n 30000] [-d 3] [--warmup-d 3] [--strace] [--gc-log]
           [--workload set:1 ...] TARGET

TARGET is a Keyline checkout with a built jar (started by its own ./keyline-server, as compare.py does) or
`redis` (redis-server). The server starts afresh, gets compare.py's unrecorded warm-up (PING_MBULK, SET, GET,
--warmup requests each; --warmup-tests names others), then every workload runs once (TEST:PIPELINE with
redis-benchmark's -t names; 50 clients, -r 1000000, -d 3 as compare.py's unpipelined rows). Around each run the
script reads /proc/PID/task/*/schedstat, stat and status (CPU time and time spent runnable but waiting for a CPU, in
ns; voluntary and involuntary context switches) and prints the deltas per thread, grouped by thread name with
digits dropped (the ZGC workers, C2 compiler threads ...), in microseconds per request, and the process's minor
page faults per request (a heap ZGC gave back and commits again faults its pages in); per thread also the system
part of its CPU and its minor faults (stat's clock ticks: 10 ms steps, so read them over runs of seconds). --strace attaches
`strace -c -f` for the run and prints the syscalls per request; it slows the server, so its ops/s and
latencies are not comparable with runs without it. --gc-log adds -Xlog:gc (KEYLINE_JAVA_OPTS) and counts the
collections that ended during each run. --pinned: server on CPU 0, redis-benchmark on CPU 1 (compare.py's
pinned placement). --gap sleeps before each run, --repeat runs each workload several times.
Standard library only; the server is stopped at the end, also on error.
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import free_port, redis_benchmark, stop_group, wait_started, WORKLOADS  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")

TITLES = {test: title for test, title in WORKLOADS.values()}


def threads(pid):
    """tid -> (name, cpu seconds, voluntary, involuntary switches, seconds waited runnable, system seconds, minor
    faults) of every thread. CPU and wait come from schedstat (nanoseconds), which stat's clock ticks would round
    to 10 ms; the system share and the faults from stat (ticks: read them over long runs only)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                raw = f.read()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                status = f.read()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                run_ns, wait_ns = (int(x) for x in f.read().split()[:2])
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        cpu = run_ns / 1e9
        vol = int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
        invol = int(re.search(r"^nonvoluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
        out[tid] = (name, cpu, vol, invol, wait_ns / 1e9, int(fields[12]) / TICK, int(fields[7]))
    return out


def group(name):
    return re.sub(r"\d+", "#", name)


def diff(before, after, n):
    """name group -> [threads, cpu us/request, voluntary, involuntary, runnable-wait us/request, system us/request,
    minor faults/request] for the run."""
    rows = {}
    for tid, (name, cpu, vol, invol, wait, sys_s, flt) in after.items():
        b = before.get(tid, (name, 0.0, 0, 0, 0.0, 0.0, 0))
        g = rows.setdefault(group(name), [0, 0.0, 0, 0, 0.0, 0.0, 0.0])
        d_cpu, d_vol, d_invol = cpu - b[1], vol - b[2], invol - b[3]
        if d_cpu > 0 or d_vol > 0 or d_invol > 0:
            g[0] += 1
        g[1] += d_cpu * 1e6 / n
        g[2] += d_vol
        g[3] += d_invol
        g[4] += (wait - b[4]) * 1e6 / n
        g[5] += (sys_s - b[5]) * 1e6 / n
        g[6] += (flt - b[6]) / n
    return rows


def bench(port, test, pipeline, n, dsize, pinned):
    res, out = redis_benchmark(port, test, pipeline, dsize, n, pinned, TITLES.get(test, test.upper()))
    if res is None:
        raise RuntimeError("no result: " + out[-500:])
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target")
    ap.add_argument("--pinned", action="store_true")
    ap.add_argument("--warmup", type=int, default=50000)
    ap.add_argument("--warmup-tests", default="ping_mbulk,set,get", help="what the warm-up runs (compare.py's)")
    ap.add_argument("-n", type=int, default=30000)
    ap.add_argument("-d", type=int, default=3)
    ap.add_argument("--warmup-d", type=int, help="value size of the warm-up (default -d; compare.py warms with 3)")
    ap.add_argument("--workload", action="append", help="TEST:PIPELINE (repeatable); default set:1 incr:1 "
                    "zadd:1 ping_mbulk:1 lpop:1")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each workload, one after the other")
    ap.add_argument("--gap", type=float, default=0.0, help="idle seconds before each run (compare.py runs the other "
                    "server meanwhile: a second or so)")
    ap.add_argument("--flush", action="store_true", help="FLUSHALL after the warm-up (compare.py's groups start so)")
    ap.add_argument("--strace", action="store_true")
    ap.add_argument("--gc-log", action="store_true")
    ap.add_argument("--java-opts", default="", help="more KEYLINE_JAVA_OPTS")
    ap.add_argument("--server-args", default="", help="more server arguments, e.g. '--io-threads 2'")
    args = ap.parse_args()
    workloads = [(w.split(":")[0], int(w.split(":")[1])) for w in
                 (args.workload or ["set:1", "incr:1", "zadd:1", "ping_mbulk:1", "lpop:1"])]
    tmp = tempfile.mkdtemp(prefix="keyline-probe-")
    port = free_port()
    gclog = os.path.join(tmp, "gc.log")
    if args.target == "redis":
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", tmp]
    else:
        argv = [os.path.join(args.target, "keyline-server"), "--port", str(port), "--appendonly", "no",
                "--save", "", "--capacity", "0", "--bind", "127.0.0.1", "--loglevel", "warning", "--dir", tmp]
        argv += args.server_args.split()
    if args.pinned:
        argv = ["taskset", "-c", "0"] + argv
    opts = args.java_opts + (f" -Xlog:gc:file={gclog}" if args.gc_log else "")
    env = dict(os.environ, KEYLINE_CDS_DIR=os.path.join(tmp, "cds"))
    if opts.strip():
        env["KEYLINE_JAVA_OPTS"] = opts.strip()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True, cwd=tmp)
    try:
        wait_started(proc, port, "server")
        pid = proc.pid
        for test in args.warmup_tests.split(","):
            if args.warmup:
                bench(port, test, 1, args.warmup, args.d if args.warmup_d is None else args.warmup_d, args.pinned)
        if args.flush:
            subprocess.run(["redis-cli", "-p", str(port), "FLUSHALL"], stdout=subprocess.DEVNULL, check=True)
        print(f"{args.target}: pid {pid}, {len(os.listdir(f'/proc/{pid}/task'))} threads after warm-up; "
              f"load {os.getloadavg()[0]:.2f}")
        for test, p in [w for w in workloads for _ in range(args.repeat)]:
            time.sleep(args.gap)
            gc0 = gc_starts(gclog) if args.gc_log else 0
            f0 = minor_faults(pid)
            st = None
            if args.strace:
                sfile = os.path.join(tmp, f"strace-{test}.txt")
                st = subprocess.Popen(["strace", "-c", "-f", "-o", sfile, "-p", str(pid)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1.0)
            t0 = threads(pid)
            started = time.time()
            res = bench(port, test, p, args.n, args.d, args.pinned)
            t1 = threads(pid)
            if st:
                st.send_signal(signal.SIGINT)
                st.wait(30)
            gcs = (gc_starts(gclog) - gc0) if args.gc_log else None
            faults = minor_faults(pid) - f0
            total = sum(r[1] for r in diff(t0, t1, args.n).values())
            print(f"\n== {test} -P {p} -n {args.n}: {res['rps']:,.0f} req/s, p50/p99/p99.9 "
                  f"{res.get('p50')}/{res.get('p99')}/{res.get('p999')} ms, server CPU {total:.2f} us/req, "
                  f"{faults / args.n:.2f} page faults/req, RSS {rss_mb(pid):.0f} MB"
                  + (f", collections ended {gcs}" if gcs is not None else "")
                  + f" (ran {time.strftime('%H:%M:%S', time.gmtime(started))}.{int(started % 1 * 1000):03d}"
                  f"-{time.strftime('%H:%M:%S', time.gmtime())} UTC)")
            print(f"{'thread':20s} {'n':>3s} {'cpu us/req':>10s} {'of it sys':>9s} {'faults/req':>10s} "
                  f"{'wait us/req':>11s} {'vol cs':>7s} {'invol cs':>8s}")
            for name, (k, us, vol, invol, wait, sys_us, flt) in sorted(diff(t0, t1, args.n).items(),
                                                                      key=lambda kv: -kv[1][1]):
                if k:
                    print(f"{name:20s} {k:3d} {us:10.2f} {sys_us:9.2f} {flt:10.2f} {wait:11.2f} {vol:7d} {invol:8d}")
            if st:
                print_strace(sfile, args.n)
    finally:
        stop_group(proc)
        if args.gc_log and os.path.exists(gclog):
            print(f"\nGC log: {gclog}")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"^VmRSS:\s*(\d+)", f.read(), re.M).group(1)) / 1024


def minor_faults(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[7])  # minflt (field 10)


def gc_starts(path):
    """Collections that ended so far (ZGC: "GC(n) Minor/Major Collection (cause) a->b time")."""
    try:
        with open(path) as f:
            return sum(1 for line in f if "Collection (" in line and "->" in line)
    except OSError:
        return 0


def print_strace(path, n):
    with open(path) as f:
        lines = f.read().splitlines()
    print("syscalls per request (strace -c -f; slows the server):")
    for line in lines:
        cols = line.split()
        if len(cols) >= 5 and cols[0][0].isdigit() and cols[-1] != "total":
            calls = int(cols[3])
            print(f"  {cols[-1]:20s} {calls / n:8.3f}")
        elif cols and cols[-1] == "total":
            print(f"  {'total':20s} {int(cols[-2 if len(cols) == 5 else 3]) / n:8.3f}")


if __name__ == "__main__":
    main()
