#!/usr/bin/env python3
"""A/B throughput of two Keyline builds (git revisions) in one run, with redis-benchmark.

Usage: bench/ab.py [--rounds 3] [-n 100000] [--tests set,get,...] REV_A REV_B

Each revision is checked out into a temporary git worktree and built (mvn package -DskipTests),
then started with its own ./keyline-server launcher (--appendonly no --capacity 0, 127.0.0.1, a
free port). Rounds alternate the order (A,B then B,A ...) so drift on a noisy machine hits both;
every round runs redis-benchmark unpipelined (50 clients) and pipelined (-P 16) for each test.
Prints the median requests/s per build and the ratio B/A per row, plus the geometric mean.
Servers and worktrees are removed at the end, also on error or Ctrl-C.
"""
import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
from compare import free_port, ping_once, stop_group  # noqa: E402  (the harness's own helpers)


def wait_ping(port, timeout=120):
    deadline = time.time() + timeout
    while not ping_once(port):
        if time.time() > deadline:
            raise RuntimeError(f"no PONG on port {port} within {timeout}s")
        time.sleep(0.1)


def build(rev, root):
    path = os.path.join(root, rev.replace("/", "_"))
    subprocess.check_call(["git", "-C", REPO, "worktree", "add", "--detach", "-q", path, rev])
    subprocess.check_call(["mvn", "-q", "-o", "-B", "-DskipTests", "package"], cwd=path,
                          stdout=subprocess.DEVNULL)
    return path


def run_build(path, tests, n, pipelines):
    port = free_port()
    proc = subprocess.Popen([os.path.join(path, "keyline-server"), "--port", str(port), "--appendonly", "no",
                             "--capacity", "0", "--bind", "127.0.0.1", "--loglevel", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_ping(port)
        out = {}
        for p in pipelines:
            res = subprocess.run(["redis-benchmark", "-p", str(port), "-q", "--csv", "-n", str(n), "-c", "50",
                                  "-P", str(p), "-r", "100000", "-t", ",".join(tests)],
                                 capture_output=True, text=True, check=True).stdout
            for line in res.splitlines():
                cols = [c.strip('"') for c in line.split(",")]
                if len(cols) >= 2 and cols[0] != "test":
                    out[f"{cols[0]} -P {p}"] = float(cols[1])
        return out
    finally:
        stop_group(proc)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rev_a")
    ap.add_argument("rev_b")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("-n", type=int, default=100000)
    ap.add_argument("--tests", default="set,get,incr,lpush,rpop,sadd,hset,zadd,mset")
    ap.add_argument("--pipelines", default="1,16")
    args = ap.parse_args()
    if not shutil.which("redis-benchmark"):
        sys.exit("ab.py: redis-benchmark not found (apt-get install -y redis-tools)")
    tests = args.tests.split(",")
    pipelines = [int(p) for p in args.pipelines.split(",")]
    root = tempfile.mkdtemp(prefix="keyline-ab-")
    paths = {}
    try:
        for rev in (args.rev_a, args.rev_b):
            paths[rev] = build(rev, root)
        results = {args.rev_a: {}, args.rev_b: {}}
        for r in range(args.rounds):
            order = (args.rev_a, args.rev_b) if r % 2 == 0 else (args.rev_b, args.rev_a)
            for rev in order:
                for row, v in run_build(paths[rev], tests, args.n, pipelines).items():
                    results[rev].setdefault(row, []).append(v)
                print(f"round {r + 1}: {rev} done", file=sys.stderr)
        a, b = results[args.rev_a], results[args.rev_b]
        print(f"| row | A {args.rev_a} req/s | B {args.rev_b} req/s | B/A |")
        print("|---|---:|---:|---:|")
        ratios = []
        for row in a:
            if row not in b:
                continue
            ma, mb = statistics.median(a[row]), statistics.median(b[row])
            ratios.append(mb / ma)
            print(f"| {row} | {ma:,.0f} | {mb:,.0f} | {mb / ma:.2f} |")
        gm = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        print(f"\ngeometric mean B/A over {len(ratios)} rows: {gm:.3f} "
              f"({args.rounds} rounds, -n {args.n}, medians; order alternated per round)")
    finally:
        for path in paths.values():
            subprocess.call(["git", "-C", REPO, "worktree", "remove", "--force", path])
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
