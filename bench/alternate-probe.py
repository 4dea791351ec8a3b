#!/usr/bin/env python3
"""compare.py's alternating rounds of one row, with what each server spends while the OTHER one is measured.

Usage: bench/alternate-probe.py [--pinned] [--rounds 3] [--test set] [-P 16] [-d 1024] [-n 200000] \
           [--gc-log] NAME=DIR|NAME=redis NAME=DIR|NAME=redis

Starts both servers once (as compare.py's throughput section does: pinned = both servers on CPU 0 and
redis-benchmark on CPU 1), warms each up as compare.py does (50,000 SET and HSET, -P 1 -d 3), sends FLUSHALL to
both, then runs the rounds A B A B ... (redis-benchmark -c 50 -r 1000000). For each run it prints the measured
server's requests/s, its CPU (utime+stime, all threads) per request and minor page faults per request, and the CPU
seconds the idle server burnt meanwhile: on 2 cores, what an idle JVM runs after its own round (JIT, collector,
heap governor, uncommit) is taken from the measured server or from redis-benchmark, so it shows in the other
server's figures. --gc-log logs a Keyline server's collections (-Xlog:gc) and prints them at the end.
Standard library only; both servers are stopped at the end, also on error.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import free_port, redis_benchmark, stop_group, wait_started  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(cpu seconds, minor faults) of the process: utime+stime, minflt."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK, int(fields[7])


def start(name, target, pinned, tmp, gc_log):
    port = free_port()
    d = os.path.join(tmp, name)
    os.makedirs(d)
    env = dict(os.environ)
    if target == "redis":
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", d]
    else:
        argv = [os.path.join(target, "keyline-server"), "--port", str(port), "--appendonly", "no", "--save", "",
                "--capacity", "0", "--bind", "127.0.0.1", "--loglevel", "warning", "--dir", d]
        env["KEYLINE_CDS_DIR"] = os.path.join(d, "cds")
        if gc_log:
            env["KEYLINE_JAVA_OPTS"] = (env.get("KEYLINE_JAVA_OPTS", "") + f" -Xlog:gc:file={d}/gc.log").strip()
    if pinned:
        argv = ["taskset", "-c", "0"] + argv
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True, cwd=d)
    wait_started(proc, port, name)
    # taskset and the launcher exec, so the process started is the server itself
    return proc, port, d


def benchmark(port, test, pipeline, dsize, n, pinned):
    return redis_benchmark(port, test, pipeline, dsize, n, pinned)[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs=2)
    ap.add_argument("--pinned", action="store_true")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--test", default="set")
    ap.add_argument("-P", type=int, default=16)
    ap.add_argument("-d", type=int, default=1024)
    ap.add_argument("-n", type=int, default=200000)
    ap.add_argument("--gc-log", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="keyline-alt-")
    servers = []
    try:
        for spec in args.targets:
            name, target = spec.split("=", 1)
            proc, port, d = start(name, target, args.pinned, tmp, args.gc_log)
            servers.append((name, proc, port, d))
        for name, proc, port, d in servers:
            for test in ("set", "hset"):
                benchmark(port, test, 1, 3, 50000, args.pinned)
        for name, proc, port, d in servers:
            subprocess.run(["redis-cli", "-p", str(port), "FLUSHALL"], stdout=subprocess.DEVNULL, check=True)
        print(f"{args.test} -P {args.P} -d {args.d} -n {args.n}, {'pinned' if args.pinned else 'unpinned'}, "
              f"load {os.getloadavg()[0]:.2f}")
        print(f"{'round':>5s} {'server':10s} {'req/s':>9s} {'cpu us/req':>10s} {'faults/req':>10s} "
              f"{'idle other burnt s':>18s}")
        for rnd in range(1, args.rounds + 1):
            for i, (name, proc, port, d) in enumerate(servers):
                other = servers[1 - i]
                s0, o0 = stat(proc.pid), stat(other[1].pid)
                res = benchmark(port, args.test, args.P, args.d, args.n, args.pinned)
                s1, o1 = stat(proc.pid), stat(other[1].pid)
                print(f"{rnd:5d} {name:10s} {res['rps'] if res else 0:9,.0f} {(s1[0] - s0[0]) * 1e6 / args.n:10.2f} "
                      f"{(s1[1] - s0[1]) / args.n:10.3f} {o1[0] - o0[0]:18.2f}")
        for name, proc, port, d in servers:
            log = os.path.join(d, "gc.log")
            if os.path.exists(log):
                print(f"-- {name} collections:")
                with open(log) as f:
                    for line in f:
                        if "Collection (" in line:
                            print("   " + line.rstrip())
    finally:
        for name, proc, port, d in servers:
            stop_group(proc)


if __name__ == "__main__":
    main()
