#!/usr/bin/env python3
"""Start-up timeline A/B: when each launcher's JVM reaches the start path's milestones, interleaved.

Usage: bench/startup-timeline.py REPS NAME=LAUNCHER [NAME=LAUNCHER ...]
e.g.   bench/startup-timeline.py 15 before=/tmp/before/keyline-server after=./keyline-server

Like bench/startup-ab.py (one unrecorded start each, then REPS starts alternating the order, PING every
millisecond until +PONG, SHUTDOWN NOSAVE), with KEYLINE_JAVA_OPTS=-Xlog:class+load (the launcher leaves -Xlog
flags out of its CDS archive's key, so the archive is the same). Prints per launcher the median JVM uptime at
which each milestone class was first loaded (Main, Logback's LoggerContext, Netty's warm-up, KeylineServer,
ServerContext, the listening channel's class = the bind, the first connection, the PING's command), the median
of bind - Main and PING - Main (the start path without the JVM's boot), wall time and CPU at the first PONG,
classes loaded by the exit, and how many of them were not from the CDS archive.
"""
import os
import re
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import time_to_first_ping  # noqa: E402  (the harness's own helpers)

MILESTONES = [("Main", "io.keyline.cli.Main"), ("LoggerContext", "ch.qos.logback.classic.LoggerContext"),
              ("Netty start", "io.netty.channel.epoll.Epoll"), ("KeylineServer", "io.keyline.server.KeylineServer"),
              ("ServerContext", "io.keyline.engine.ServerContext"),
              ("bind", "io.netty.channel.epoll.EpollServerSocketChannel"),
              ("1st conn", "io.keyline.session.Connection"), ("PING ran", "io.keyline.commands.ConnectionCommands$1")]


def run(launcher):
    log_dir = tempfile.mkdtemp(prefix="startup-timeline-")
    log = os.path.join(log_dir, "class-load.txt")
    env = dict(os.environ)
    env["KEYLINE_JAVA_OPTS"] = (env.get("KEYLINE_JAVA_OPTS", "") + " -Xlog:class+load:file=%s:uptime,tid" % log).strip()
    wall, cpu, wd = time_to_first_ping(launcher, env)
    shutil.rmtree(wd, ignore_errors=True)
    first, loaded, not_shared = {}, 0, 0
    with open(log) as f:
        lines = f.readlines()
    shutil.rmtree(log_dir, ignore_errors=True)
    for line in lines:
        m = re.match(r"\[(\d+\.\d+)s\]\[\d+\] (\S+) source: (.*)", line)
        if not m:
            continue
        loaded += 1
        if "shared objects file" not in m.group(3):
            not_shared += 1
        first.setdefault(m.group(2), float(m.group(1)))
    row = {name: first.get(cls) for name, cls in MILESTONES}
    main = row["Main"]
    row["bind - Main"] = row["bind"] - main if row["bind"] and main else None
    row["PING - Main"] = row["PING ran"] - main if row["PING ran"] and main else None
    row.update({"wall": wall, "CPU s": cpu, "classes": loaded, "not from CDS": not_shared})
    return row


def main():
    reps = int(sys.argv[1])
    launchers = [a.split("=", 1) for a in sys.argv[2:]]
    for _, launcher in launchers:
        run(launcher)  # unrecorded: writes the CDS archive if the jar changed
    print("start: " + os.popen("uptime").read().strip())
    rows = {name: [] for name, _ in launchers}
    for i in range(reps):
        for name, launcher in (launchers if i % 2 == 0 else launchers[::-1]):
            rows[name].append(run(launcher))
    print("end:   " + os.popen("uptime").read().strip())
    keys = [name for name, _ in MILESTONES] + ["bind - Main", "PING - Main", "wall", "CPU s", "classes", "not from CDS"]
    print("%-14s" % "" + "".join("%12s" % name for name, _ in launchers))
    for k in keys:
        line = "%-14s" % k
        for name, _ in launchers:
            values = [r[k] for r in rows[name] if r[k] is not None]
            line += "%12.3f" % statistics.median(values) if values else "%12s" % "-"
        print(line)


if __name__ == "__main__":
    main()
