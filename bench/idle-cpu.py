#!/usr/bin/env python3
"""Idle CPU of a started server: per-thread CPU and wake-ups while nothing talks to it.

Usage: bench/idle-cpu.py SECONDS LAUNCHER [SERVER ARGS ...]
e.g.   bench/idle-cpu.py 20 ./keyline-server --appendonly no --save ""

Starts LAUNCHER --port P [SERVER ARGS] in an empty temporary directory, waits for +PONG, lets it settle 4 s, then
reads every thread's CPU ticks (/proc/PID/task/*/stat) and context switches (voluntary + involuntary: one per wake-up
of a thread that sleeps) at the start and end of a SECONDS window, and stops it with SHUTDOWN NOSAVE. Prints the
server's share of a core, its wake-ups per second, and the CPU ticks (1/100 s) per thread name. Compare builds by
running it for each in turn; print the load average beside the figures (idle shares are small, a loaded machine's
scheduler noise is not).
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import free_port, ping_once as ping  # noqa: E402  (the harness's own helpers)


def threads(pid):
    """{tid: (name, cpu ticks, context switches)} of a process."""
    out = {}
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
                name = f.read().strip()
            with open("/proc/%d/task/%s/stat" % (pid, t)) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            switches = 0
            with open("/proc/%d/task/%s/status" % (pid, t)) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
            out[t] = (name, int(fields[11]) + int(fields[12]), switches)
        except OSError:
            pass  # a thread that ended meanwhile
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    window, launcher, args = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    port = free_port()
    wd = tempfile.mkdtemp(prefix="idle-cpu-")
    p = subprocess.Popen([launcher, "--port", str(port)] + args, cwd=wd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        while not ping(port):
            if p.poll() is not None:
                raise RuntimeError("%s exited with %s before answering PING" % (launcher, p.returncode))
            time.sleep(0.01)
        time.sleep(4)
        before, t0 = threads(p.pid), time.time()
        time.sleep(window)
        after, elapsed = threads(p.pid), time.time() - t0
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"SHUTDOWN NOSAVE\r\n")
            s.recv(64)
        p.wait(60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        shutil.rmtree(wd, ignore_errors=True)
    ticks, wakeups = {}, 0
    for t, (name, cpu, switches) in after.items():
        _, cpu0, switches0 = before.get(t, (name, 0, 0))
        ticks[name] = ticks.get(name, 0) + cpu - cpu0
        wakeups += switches - switches0
    print("load:", os.popen("uptime").read().strip())
    print("%s %s: %.2f%% of a core over %.0f s, %.0f wake-ups/s; CPU ticks by thread: %s" % (
        launcher, " ".join(args), sum(ticks.values()) / elapsed, elapsed, wakeups / elapsed,
        ", ".join("%s %d" % kv for kv in sorted(ticks.items(), key=lambda kv: -kv[1]) if kv[1] > 0)))


if __name__ == "__main__":
    main()
