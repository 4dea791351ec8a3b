#!/usr/bin/env python3
"""Bytes allocated per request by the event-loop threads of one or more Keyline builds, with redis-benchmark.

Usage: bench/alloc-ab.py [--warmup 100000] [--workload set:16:200000:1024 ...] NAME=DIR ...

Garbage is what drives ZGC's cycles, and on the pinned placement (server alone on one core) those cycles
compete with the event loop; so per command it matters how many bytes a request allocates, apart from
the value the store keeps. Each NAME=DIR (a Keyline checkout with a built jar) is started by its own
./keyline-server with JFR recording only jdk.ThreadAllocationStatistics (every 100 ms); each workload
(TEST:PIPELINE:REQUESTS[:VALUE_BYTES], redis-benchmark's -t names, 50 clients, -r 1000000) runs an
unrecorded warm-up and then the measured run, bracketed by idle pauses; the event-loop threads'
(keyline-io-*) cumulative allocated bytes at the last sample before and the first sample after the
measured run give bytes per request. Builds run one after the other (allocation does not depend on the
machine's load, unlike time). Prints one table: workload, build, allocated bytes/request.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import free_port, ping_once, stop_group  # noqa: E402

JFR = os.environ.get("JFR", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr")
JCMD = os.path.join(os.path.dirname(JFR), "jcmd")
PAUSE = 0.6  # idle seconds around a measured run: more than the 100 ms sampling period


def bench(port, test, pipeline, n, size):
    argv = ["redis-benchmark", "-p", str(port), "-q", "--csv", "-c", "50", "-P", str(pipeline), "-n", str(n),
            "-r", "1000000", "-d", str(size), "-t", test]
    subprocess.run(argv, capture_output=True, text=True, check=True, timeout=900)


def run_build(target, workloads, warmup, tmp):
    port = free_port()
    jfr = os.path.join(tmp, f"alloc-{port}.jfr")
    opts = (f"-XX:StartFlightRecording=filename={jfr},settings=none,"
            "+jdk.ThreadAllocationStatistics#enabled=true,+jdk.ThreadAllocationStatistics#period=100ms")
    env = dict(os.environ, KEYLINE_CDS_DIR="/proc/nonexistent/x", KEYLINE_JAVA_OPTS=opts)
    argv = [os.path.join(target, "keyline-server"), "--port", str(port), "--appendonly", "no", "--capacity", "0",
            "--bind", "127.0.0.1", "--loglevel", "warning", "--dir", tmp]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True, cwd=tmp)
    spans = []
    try:
        deadline = time.time() + 120
        while not ping_once(port, timeout=0.5):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"{target} did not start")
            time.sleep(0.05)
        for test, p, n, size in workloads:
            if warmup:
                bench(port, test, p, warmup, size)
            time.sleep(PAUSE)
            t0 = time.time()
            bench(port, test, p, n, size)
            t1 = time.time()
            time.sleep(PAUSE)
            spans.append((t0, t1))
        # The server's shutdown skips JFR's exit hook: the recording is dumped while it runs.
        r = subprocess.run([JCMD, str(proc.pid), "JFR.dump", f"filename={jfr}"], capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"jcmd JFR.dump: {r.stdout[-500:]} {r.stderr[-500:]}")
    finally:
        stop_group(proc, 60)
    r = subprocess.run([JFR, "print", "--json", "--events", "jdk.ThreadAllocationStatistics", jfr],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"jfr print {jfr}: {r.stdout[-500:]} {r.stderr[-500:]}")
    out = r.stdout
    samples = {}  # thread -> [(time, allocated)]
    for e in json.loads(out)["recording"]["events"]:
        v = e["values"]
        name = (v.get("thread") or {}).get("javaName") or ""
        if name.startswith("keyline-io"):
            t = datetime.datetime.fromisoformat(v["startTime"].replace("Z", "+00:00")).timestamp()
            samples.setdefault(name, []).append((t, v["allocated"]))
    result = []
    for (t0, t1), (test, p, n, size) in zip(spans, workloads):
        total = 0
        for series in samples.values():
            series.sort()
            before = max((a for t, a in series if t <= t0), default=0)
            after = min((a for t, a in series if t >= t1), default=None)
            if after is None:
                raise RuntimeError("no allocation sample after the run")
            total += after - before
        result.append(total / n)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs="+", help="NAME=DIR")
    ap.add_argument("--warmup", type=int, default=100000)
    ap.add_argument("--workload", action="append", help="TEST:PIPELINE:REQUESTS[:VALUE_BYTES] (repeatable)")
    args = ap.parse_args()
    workloads = []
    for w in args.workload or ["set:16:200000:1024"]:
        f = w.split(":")
        workloads.append((f[0], int(f[1]), int(f[2]), int(f[3]) if len(f) > 3 else 3))
    tmp = tempfile.mkdtemp(prefix="keyline-alloc-ab-")
    res = {}
    try:
        for name, target in (t.split("=", 1) for t in args.targets):
            d = os.path.join(tmp, name)
            os.makedirs(d)
            res[name] = run_build(target, workloads, args.warmup, d)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    names = list(res)
    print("| workload | " + " | ".join(f"{n} B/req" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    for i, (test, p, n, size) in enumerate(workloads):
        print(f"| {test} -P {p} -d {size} (-n {n}) | " + " | ".join(f"{res[x][i]:.0f}" for x in names) + " |")


if __name__ == "__main__":
    main()
