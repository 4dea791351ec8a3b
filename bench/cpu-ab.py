#!/usr/bin/env python3
"""Server CPU per request of several builds (or redis-server), interleaved, with redis-benchmark.

Usage: bench/cpu-ab.py [--rounds 3] [--pinned] [--warmup 100000] [--preload 'redis-benchmark args'] \
           [--workload zadd:16:300000 ...] NAME=DIR|NAME=redis ...

On a machine that other jobs load, requests/s moves with their load; the CPU time the server itself
spent per request moves much less. So each run reads the server's utime+stime (all its threads: event
loop, JIT, GC) from /proc/PID/stat before and after a fixed `redis-benchmark -n` run and reports
microseconds of server CPU per request, beside the requests/s.

Each NAME=DIR is a Keyline checkout with a built jar (started by its own ./keyline-server; the CDS
archive goes to a temp dir so builds never share one); NAME=redis starts redis-server. Every round
starts each server afresh (order alternated per round), runs an unrecorded warm-up of each workload
(--warmup requests, so the JIT has compiled the path; 0 for none), then the measured runs without a
FLUSHALL in between (ZADD's set keeps growing, as in compare.py's second round). A workload is
TEST:PIPELINE:REQUESTS[:VALUE_BYTES] with redis-benchmark's -t names (-d, default 3); 50 clients, -r 1000000;
lrange_N (100, 300, 500, 600) measures only the LRANGE mylist 0 N-1 requests, after an unmeasured LPUSH fill. --pinned runs the
server on CPU 0 and redis-benchmark on CPU 1 (compare.py's pinned placement).
Prints, per workload and build, the median CPU us/request and requests/s, and each build's ratio to
the first one.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import free_port, stop_group, wait_started  # noqa: E402  (the harness's own helpers)

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def java_pid(root):
    """The java process under the launcher (the launcher execs, so usually root itself)."""
    for _ in range(50):
        try:
            exe = os.path.basename(os.readlink(f"/proc/{root}/exe"))
        except OSError:
            exe = ""
        if exe in ("java", "redis-server") or exe.startswith("redis"):
            return root
        time.sleep(0.1)
    return root


def start(target, port, pinned, tmp):
    if target == "redis":
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", tmp]
    else:
        argv = [os.path.join(target, "keyline-server"), "--port", str(port), "--appendonly", "no",
                "--capacity", "0", "--bind", "127.0.0.1", "--loglevel", "warning", "--dir", tmp]
    if pinned:
        argv = ["taskset", "-c", "0"] + argv
    env = dict(os.environ, KEYLINE_CDS_DIR=os.path.join(tmp, "cds"))
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True, cwd=tmp)
    wait_started(proc, port, target)
    return proc, java_pid(proc.pid)


def bench(port, test, pipeline, n, pinned, size=3, keyspace=1000000):
    argv = ["redis-benchmark", "-p", str(port), "-q", "--csv", "-c", "50", "-P", str(pipeline), "-n", str(n),
            "-r", str(keyspace), "-d", str(size)]
    if test.startswith("lrange_"):
        # `-t lrange_100` first runs -n LPUSHes into mylist and prints their row first: the CPU read
        # around it would mix both. So the list gets a few hundred elements of this size at its head
        # (unmeasured; LPUSH, so an earlier workload's elements sit behind them), and only
        # `LRANGE mylist 0 N-1` is measured, the command redis-benchmark's LRANGE_N row sends.
        fill = ["redis-benchmark", "-p", str(port), "-q", "-c", "50", "-n", str(max(1000, 2 * int(test[7:]))),
                "-d", str(size), "-t", "lpush"]
        subprocess.run((["taskset", "-c", "1"] if pinned else []) + fill, check=True, stdout=subprocess.DEVNULL,
                       timeout=600)
        argv += ["LRANGE", "mylist", "0", str(int(test[7:]) - 1)]
    else:
        argv += ["-t", test]
    if pinned:
        argv = ["taskset", "-c", "1"] + argv
    out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=600).stdout
    for line in out.splitlines():
        cols = [c.strip('"') for c in line.split(",")]
        if len(cols) >= 2 and cols[0] != "test":
            return float(cols[1])
    raise RuntimeError("no result: " + out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs="+", help="NAME=DIR or NAME=redis")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pinned", action="store_true")
    ap.add_argument("--warmup", type=int, default=100000)
    ap.add_argument("--workload", action="append", help="TEST:PIPELINE:REQUESTS (repeatable)")
    ap.add_argument("--keyspace", type=int, default=1000000,
                    help="redis-benchmark -r: HSET/SADD/ZADD grow one key to at most this many elements "
                         "(1000: a small hashtable-encoded collection; the default: ~330k after warm-up and run)")
    ap.add_argument("--preload", default="",
                    help="redis-benchmark arguments run once after start, unmeasured: data that stays in the "
                         "heap, e.g. '-t mset -P 16 -n 200000 -d 1024' (compare.py's pinned ZADD row runs after "
                         "its MSET row: ~0.9 GB of 1 KB values)")
    args = ap.parse_args()
    workloads = [(w.split(":")[0], int(w.split(":")[1]), int(w.split(":")[2]),
                  int(w.split(":")[3]) if len(w.split(":")) > 3 else 3)
                 for w in (args.workload or ["zadd:16:300000"])]
    targets = [t.split("=", 1) for t in args.targets]
    res = {}  # (workload, name) -> [(cpu_us, rps)]
    tmp = tempfile.mkdtemp(prefix="keyline-cpu-ab-")
    load = [os.getloadavg()]
    try:
        for r in range(args.rounds):
            order = targets if r % 2 == 0 else targets[::-1]
            for name, target in order:
                port = free_port()
                proc, pid = start(target, port, args.pinned, tmp)
                try:
                    if args.preload:
                        pre = ["redis-benchmark", "-p", str(port), "-q", "-c", "50", "-r", "1000000"]
                        pre += args.preload.split()
                        subprocess.run((["taskset", "-c", "1"] if args.pinned else []) + pre, check=True,
                                       stdout=subprocess.DEVNULL, timeout=900)
                    if args.warmup:
                        for test, p, _, size in workloads:
                            bench(port, test, p, args.warmup, args.pinned, size, args.keyspace)
                    for test, p, n, size in workloads:
                        c0 = cpu_seconds(pid)
                        rps = bench(port, test, p, n, args.pinned, size, args.keyspace)
                        c1 = cpu_seconds(pid)
                        us = (c1 - c0) * 1e6 / n
                        res.setdefault((f"{test} -P {p} -d {size}", name), []).append((us, rps))
                        print(f"round {r + 1} {name:10s} {test} -P {p}: {us:.2f} us/req cpu, {rps:,.0f} req/s",
                              file=sys.stderr)
                finally:
                    stop_group(proc)
                load.append(os.getloadavg())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    first = targets[0][0]
    print(f"| workload | build | server CPU us/req (median) | runs | req/s (median) | CPU vs {first} |")
    print("|---|---|---:|---|---:|---:|")
    for test, p, n, size in workloads:
        row = f"{test} -P {p} -d {size}"
        base = statistics.median(u for u, _ in res[(row, first)])
        for name, _ in targets:
            runs = res[(row, name)]
            us = statistics.median(u for u, _ in runs)
            rps = statistics.median(x for _, x in runs)
            print(f"| {row} (-n {n}) | {name} | {us:.2f} | {' '.join(f'{u:.2f}' for u, _ in runs)} | "
                  f"{rps:,.0f} | {us / base:.2f} |")
    print(f"\n{args.rounds} rounds, {'pinned (server CPU 0, benchmark CPU 1)' if args.pinned else 'unpinned'}, "
          f"warm-up {args.warmup} requests per workload; -r {args.keyspace}; "
          f"{('preload `' + args.preload + '`; ') if args.preload else ''}load average 1-min min/max during the run "
          f"{min(l[0] for l in load):.2f}/{max(l[0] for l in load):.2f}")


if __name__ == "__main__":
    main()
