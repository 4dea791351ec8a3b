#!/usr/bin/env python3
"""Start-up A/B: time and CPU to the first PONG of several launchers, interleaved.

Usage: bench/startup-ab.py REPS NAME=LAUNCHER [NAME=LAUNCHER ...]
e.g.   bench/startup-ab.py 9 before=/tmp/before/keyline-server after=./keyline-server redis=redis-server

Each launcher is started once unrecorded (a Keyline launcher writes its CDS archive at the first clean
exit after its jar changed), then REPS times, alternating the order every round so that drift on a
loaded machine hits all of them. Each start: `LAUNCHER --port P --appendonly no --save ""` in an empty
directory, PING every millisecond until +PONG, then SHUTDOWN NOSAVE. Prints, per launcher, the median
wall time to the first PONG and the process's user+sys CPU seconds at that moment (the launcher execs
java, so its pid is the JVM's). CPU time is the steadier figure under load; wall time shows the
overlap that threads buy on an idle machine. The load average is printed before and after.
"""
import os
import statistics
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import time_to_first_ping  # noqa: E402  (the harness's own helpers)


def run(launcher):
    wall, cpu, wd = time_to_first_ping(launcher)
    shutil.rmtree(wd, ignore_errors=True)
    return wall, cpu


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    reps = int(sys.argv[1])
    launchers = [a.split("=", 1) for a in sys.argv[2:]]
    print("start:", os.popen("uptime").read().strip(), flush=True)
    for name, launcher in launchers:
        print("unrecorded %s: %.3f s, %.2f CPU s" % ((name,) + run(launcher)), flush=True)
    wall = {n: [] for n, _ in launchers}
    cpu = {n: [] for n, _ in launchers}
    for i in range(reps):
        for name, launcher in (launchers if i % 2 == 0 else launchers[::-1]):
            t, c = run(launcher)
            wall[name].append(t)
            cpu[name].append(c)
    print("end:  ", os.popen("uptime").read().strip())
    for name, _ in launchers:
        print("%-10s to first PONG: median %.3f s [%s]; CPU median %.2f s [%s]" % (
            name, statistics.median(wall[name]), " ".join("%.3f" % x for x in wall[name]),
            statistics.median(cpu[name]), " ".join("%.2f" % x for x in cpu[name])))


if __name__ == "__main__":
    main()
