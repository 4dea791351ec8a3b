#!/usr/bin/env python3
"""A hiccup meter: how long each CPU was unavailable to an ordinary process while a benchmark ran.

Usage as a tool:   bench/hiccup.py --cpu 0 --out FILE   (runs until SIGTERM/SIGINT, then writes FILE as JSON)
Usage from Python: m = HiccupMeter([0, 1]); m.start(); ...; summary = m.stop()

Each meter process is pinned to one CPU and sleeps 1 ms in a loop; whenever it wakes up late by more than
--threshold-ms it records the wall-clock time and the gap. A gap that every process on a CPU would have seen
(a stalled vCPU, the host taking the core away, an interrupt storm) shows up here; a stall inside one server
(a lock, a GC pause, a slow syscall of its own) does not. Why: the churn runs had ~100 ms stalls in both Redis
and Keyline whose cause the servers' own logs could not show (bench/results/2026-12-07-churn-stall.md).
stop() also reports what /proc/vmstat counted meanwhile (major faults, reclaim and compaction stalls) and the
steal time in /proc/stat.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

VMSTAT_KEYS = ("pgmajfault", "allocstall_normal", "allocstall_movable", "compact_stall", "pgscan_direct",
               "pgscan_kswapd", "thp_fault_alloc", "thp_collapse_alloc", "numa_pages_migrated")


def vmstat():
    out = {}
    try:
        with open("/proc/vmstat") as f:
            for line in f:
                k, v = line.split()
                if k in VMSTAT_KEYS:
                    out[k] = int(v)
    except OSError:
        pass
    return out


def steal_ticks():
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8])  # cpu user nice system idle iowait irq softirq steal
    except (OSError, IndexError, ValueError):
        return 0


class HiccupMeter:
    def __init__(self, cpus, threshold_ms=10.0):
        self.cpus, self.threshold_ms = list(cpus), threshold_ms
        self.procs, self.files = [], []

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="hiccup-")
        self.vm0, self.steal0, self.t0 = vmstat(), steal_ticks(), time.time()
        for cpu in self.cpus:
            path = os.path.join(self.tmp, "cpu%d.json" % cpu)
            self.files.append(path)
            self.procs.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), "--cpu", str(cpu),
                                                "--out", path, "--threshold-ms", str(self.threshold_ms)]))
        return self

    def stop(self):
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        per_cpu = {}
        for cpu, path in zip(self.cpus, self.files):
            try:
                with open(path) as f:
                    per_cpu[str(cpu)] = json.load(f)
            except (OSError, ValueError) as e:
                per_cpu[str(cpu)] = {"error": str(e)}
        vm1 = vmstat()
        return {"seconds": round(time.time() - self.t0, 1), "threshold_ms": self.threshold_ms, "cpus": per_cpu,
                "vmstat_delta": {k: vm1.get(k, 0) - self.vm0.get(k, 0) for k in vm1},
                "steal_ticks": steal_ticks() - self.steal0}


def meter(cpu, out, threshold_ms):
    os.sched_setaffinity(0, {cpu})
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    events, worst, wakeups = [], 0.0, 0
    threshold = threshold_ms / 1000.0
    last = time.perf_counter()
    while not stop:
        time.sleep(0.001)
        now = time.perf_counter()
        late = now - last - 0.001
        if late > worst:
            worst = late
        if late > threshold and len(events) < 200:
            events.append({"at": round(time.time() - (now - last), 3), "ms": round(late * 1000, 1)})
        wakeups += 1
        last = now
    with open(out, "w") as f:
        json.dump({"cpu": cpu, "wakeups": wakeups, "max_late_ms": round(worst * 1000, 1),
                   "over_threshold": len(events), "events": events}, f)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpu", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threshold-ms", type=float, default=10.0)
    a = ap.parse_args()
    meter(a.cpu, a.out, a.threshold_ms)
