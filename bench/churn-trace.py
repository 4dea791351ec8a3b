#!/usr/bin/env python3
"""Attributes the slow requests of a churn run: what ran on the server's CPU while each one waited.

Usage: python3 bench/churn-trace.py [--keys 2000000] [--rate 20000] [--duration 60] [--warmup 5]
                                    [--java-opts '-Xlog:...'] [--server DIR/keyline-server | --redis] [--out DIR]

Runs the churn section's load (bench/churn/ChurnLoad.java, 1 KB SET/GET at a fixed rate) against one server,
placed as bench/compare.py places it (server on CPU 0, load generator on CPU 1), and records at the same time:
  - the hiccup meter per CPU (bench/hiccup.py): stalls every process on a CPU saw;
  - every context switch on the machine (perf, sched:sched_switch, CLOCK_MONOTONIC);
  - the JVM's own log when --java-opts asks for one (e.g. -Xlog:safepoint,gc:file=F:time).
Then, for each burst of slow requests (service time >= --slow-ms), it prints which threads ran on CPU 0 during the
burst (ms on CPU each), what the server's threads were doing (running, runnable but waiting for the CPU, sleeping,
blocked in the kernel) and the meter's stalls. Why: the churn tail had ~100 ms stalls whose cause neither the servers'
logs nor the hiccup meter alone could name (bench/results/2026-12-07-churn-stall.md, 2026-12-07-churn2.md).
Writes OUT/report.txt and keeps the raw data (OUT/sched.data, OUT/churn.json, OUT/hiccup.json).
"""
import argparse
import collections
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from hiccup import HiccupMeter  # noqa: E402

CHURN = os.path.join(HERE, "churn", "ChurnLoad.java")
LOADGEN_JVM = ["-Xms1g", "-Xmn768m", "-XX:+UseSerialGC"]
SWITCH = re.compile(r"\[(\d+)\]\s+([\d.]+):.*?prev_comm=(.*?) prev_pid=(\d+) .*?prev_state=(\S+) ==> "
                    r"next_comm=(.*?) next_pid=(\d+) ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ping(port, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not answer PING")


def start_server(a, port):
    if a.redis:
        argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    else:
        argv = [a.server, "--port", str(port), "--appendonly", "no", "--capacity", "0", "--bind", "127.0.0.1"]
    env = dict(os.environ)
    if a.java_opts:
        env["KEYLINE_JAVA_OPTS"] = (env.get("KEYLINE_JAVA_OPTS", "") + " " + a.java_opts).strip()
    log = open(os.path.join(a.out, "server.log"), "w")
    return subprocess.Popen(["taskset", "-c", "0"] + argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def server_pid(port):
    """The pid listening on port (the launcher execs java, but ask the kernel rather than assume)."""
    out = subprocess.run(["ss", "-Hltnp", "sport = :%d" % port], stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r"pid=(\d+)", out)
    return int(m.group(1)) if m else None


def thread_names(pid):
    names = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                names[int(tid)] = f.read().strip()
        except OSError:
            pass
    return names


def churn(a, port, extra, json_path=None):
    argv = ["taskset", "-c", "1", "java"] + LOADGEN_JVM + [CHURN, "--port", str(port), "--keys", str(a.keys),
                                                          "--value-size", "1024"] + extra
    if json_path:
        argv += ["--json", json_path]
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout


def parse_switches(path):
    """[(t_mono, cpu, prev_pid, prev_comm, prev_state, next_pid, next_comm)] from perf script."""
    out = subprocess.run(["perf", "script", "-i", path, "-F", "cpu,time,trace"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    rows = []
    for line in out.splitlines():
        m = SWITCH.search(line)
        if m:
            rows.append((float(m.group(2)), int(m.group(1)), int(m.group(4)), m.group(3), m.group(5),
                         int(m.group(7)), m.group(6)))
    return rows


def cpu_usage(switches, cpu, t0, t1):
    """ms each task spent on `cpu` within [t0, t1] (monotonic seconds), from its switches."""
    used = collections.Counter()
    running, since = None, None
    for t, c, ppid, pcomm, pstate, npid, ncomm in switches:
        if c != cpu:
            continue
        if t >= t1:
            if running is not None:
                used[running] += (t1 - max(since, t0)) * 1000
            break
        if running is not None and t > t0:
            used[running] += (t - max(since, t0)) * 1000
        running, since = (npid, ncomm), t
    return used


def thread_states(switches, pids, t0, t1):
    """For each thread of pids: the intervals within [t0, t1] it was off CPU, with the state it left in."""
    off = collections.defaultdict(list)
    last_out = {}
    for t, c, ppid, pcomm, pstate, npid, ncomm in switches:
        if ppid in pids:
            last_out[ppid] = (t, pstate, c)
        if npid in pids and npid in last_out:
            t_out, state, cpu = last_out.pop(npid)
            if t > t0 and t_out < t1 and (t - t_out) * 1000 >= 2:
                off[npid].append((t_out, (t - t_out) * 1000, state))
        if t > t1 + 0.5:
            break
    return off


def clock(epoch):
    return time.strftime("%H:%M:%S", time.gmtime(epoch)) + ("%.3f" % (epoch % 1))[1:]


def longest_runs(switches, cpu, n=5):
    """The n longest times one task ran on `cpu` without a switch: (ms, start, pid, comm)."""
    runs, last = [], None
    for t, c, ppid, pcomm, pstate, npid, ncomm in switches:
        if c != cpu:
            continue
        if last:
            runs.append(((t - last[0]) * 1000, last[0], last[1], last[2]))
        last = (t, npid, ncomm)
    return sorted(runs, reverse=True)[:n]


def share_of(pid, comm, server_tids, loop_tids):
    """The kind of a task that ran on the server's CPU, for the per-burst summary."""
    if pid == 0:
        return "idle"
    if pid in loop_tids:
        return "server event loop"
    if pid in server_tids:
        return "server, other threads"
    if comm.startswith("kdamond"):
        return "kdamond"
    if comm.startswith("python3"):
        return "python (meter, harness)"
    return "other processes"


def bursts(slow, gap=0.005):
    """Groups slow requests sent within `gap` s of each other: one burst = one stall seen by every connection."""
    out = []
    for s in sorted(slow, key=lambda s: s["at"]):
        if out and s["at"] - out[-1]["at"] <= gap:
            out[-1]["n"] += 1
            out[-1]["ms"] = max(out[-1]["ms"], s["ms"])
        else:
            out.append({"at": s["at"], "ms": s["ms"], "n": 1})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", default=os.path.join(os.path.dirname(HERE), "keyline-server"))
    ap.add_argument("--redis", action="store_true", help="run redis-server instead of Keyline")
    ap.add_argument("--java-opts", default="", help="appended to KEYLINE_JAVA_OPTS")
    ap.add_argument("--keys", type=int, default=2000000)
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--slow-ms", type=float, default=30)
    ap.add_argument("--out", default="/tmp/churn-trace")
    ap.add_argument("--analyze", action="store_true", help="only re-read the data of an earlier run in --out")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if not a.analyze:
        record(a)
    analyze(a)


def record(a):
    port = free_port()
    srv = start_server(a, port)
    perf = meter = None
    try:
        wait_ping(port)
        pid = server_pid(port)
        print("server pid %s; preloading %d keys" % (pid, a.keys), flush=True)
        out = churn(a, port, ["--preload", "--duration", "0.01", "--warmup", "0", "--rate", "1000"])
        if "preloaded" not in out:
            raise RuntimeError("preload failed: " + out[-300:])
        time.sleep(3)
        names = thread_names(pid)
        perf_data = os.path.join(a.out, "sched.data")
        perf = subprocess.Popen(["perf", "record", "-q", "-k", "mono", "-e", "sched:sched_switch", "-a", "-o",
                                 perf_data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        meter = HiccupMeter([0, 1]).start()
        wall_minus_mono = time.time() - time.monotonic()
        jpath = os.path.join(a.out, "churn.json")
        out = churn(a, port, ["--rate", str(a.rate), "--duration", str(a.duration), "--warmup", str(a.warmup),
                              "--connections", "8"], jpath)
        hic = meter.stop()
        meter = None
        perf.send_signal(signal.SIGINT)
        perf.wait(60)
        perf = None
        names.update(thread_names(pid))
        with open(os.path.join(a.out, "hiccup.json"), "w") as f:
            json.dump(hic, f)
        with open(os.path.join(a.out, "server-threads.json"), "w") as f:
            json.dump({"wall_minus_mono": wall_minus_mono, "threads": names,
                       "loadavg_after": open("/proc/loadavg").read().strip()}, f)
    finally:
        for p in (perf,):
            if p:
                p.send_signal(signal.SIGINT)
                p.wait(60)
        if meter:
            meter.stop()
        try:
            os.killpg(srv.pid, signal.SIGTERM)
            srv.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(srv.pid, signal.SIGKILL)


def analyze(a):
    with open(os.path.join(a.out, "server-threads.json")) as f:
        meta = json.load(f)
    names = {int(k): v for k, v in meta["threads"].items()}
    wall_minus_mono = meta["wall_minus_mono"]
    with open(os.path.join(a.out, "churn.json")) as f:
        res = json.load(f)
    with open(os.path.join(a.out, "hiccup.json")) as f:
        hic = json.load(f)
    switches = parse_switches(os.path.join(a.out, "sched.data"))
    pids = set(names)
    loop_tids = {t for t, n in names.items() if n.startswith("keyline-io") or n == "redis-server"}
    totals = collections.Counter()
    lines = ["latency p50 %(p50).3f p99 %(p99).3f p99.9 %(p99_9).3f max %(max).3f ms" % res["latency_ms"],
             "service p99.9 %.3f max %.3f ms; slow requests (>= 20 ms) %d, listed %d" % (
                 res["service_ms"]["p99_9"], res["service_ms"]["max"], res["slow_requests"],
                 len(res["slow_request_times"])),
             "switches recorded: %d; load average after the run %s" % (len(switches), meta.get("loadavg_after", "?"))]
    stalls = [(e["at"], e["ms"], cpu) for cpu, c in hic["cpus"].items() for e in c.get("events", [])]
    for b in bursts(res["slow_request_times"]):
        if b["ms"] < a.slow_ms:
            continue
        t0 = b["at"] - wall_minus_mono - 0.002
        t1 = t0 + b["ms"] / 1000 + 0.004
        seen = ["cpu%s %.0f ms at +%.0f" % (cpu, ms, (at - b["at"]) * 1000) for at, ms, cpu in stalls
                if at <= b["at"] + b["ms"] / 1000 and b["at"] <= at + ms / 1000]
        lines.append("\n%s  %d requests, up to %.1f ms; meter: %s" % (
            clock(b["at"]), b["n"], b["ms"], ", ".join(seen) or "nothing"))
        used = cpu_usage(switches, 0, t0, t1)
        shares = collections.Counter()
        for (p, comm), ms in used.items():
            shares[share_of(p, comm, pids, loop_tids)] += ms
        totals.update(shares)
        lines.append("  cpu0 by kind (ms): " + ", ".join("%s %.1f" % kv for kv in shares.most_common()))
        lines.append("  cpu0: " + ", ".join("%s(%d) %.1f" % (comm, p, ms) for (p, comm), ms in used.most_common(8)
                                            if ms >= 0.5))
        for tid, spans in thread_states(switches, pids, t0, t1).items():
            lines.append("  %s(%d) off cpu: %s" % (names.get(tid, "?"), tid, ", ".join(
                "%.1f ms %s from +%.1f" % (ms, st, (t - t0) * 1000 - 2) for t, ms, st in spans)))
    lines.insert(3, "longest stretches one task held cpu0 (a vCPU the host stopped shows as one): " + ", ".join(
        "%s(%d) %.1f ms at %s" % (comm, p, ms, clock(t + wall_minus_mono)) for ms, t, p, comm in longest_runs(switches, 0)))
    lines.insert(3, "cpu0 during all bursts >= %g ms (ms): %s" % (a.slow_ms, ", ".join(
        "%s %.0f" % kv for kv in totals.most_common())))
    text = "\n".join(lines)
    with open(os.path.join(a.out, "report.txt"), "w") as f:
        f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
