#!/usr/bin/env python3
"""Interleaved: ZUncommitDelay variants of the launcher (governor on): SET/GET/MSET -P 16 ops/s, and RSS growth
per key after loading 1M 16-byte keys, read at +1, +3, +6, +10 s."""
import os, subprocess, sys, time, re, statistics, signal
sys.path.insert(0, "/work/main/bench")
import compare as C
K = "/work/main/keyline-server"
confs = {d: (["--heap-governor", "yes"], {"KEYLINE_JAVA_OPTS": "-XX:ZUncommitDelay=%s" % d}) for d in sys.argv[1].split(",")}
tests = [("set", 16)]
res = {}; mem = {}
def start(args, env):
    port = C.free_port()
    p = subprocess.Popen([K] + args + ["--port", str(port), "--appendonly", "no", "--capacity", "0", "--save", ""],
                         cwd="/tmp", env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(600):
        try:
            C.resp_cmd(port, "PING"); break
        except Exception: time.sleep(0.05)
    return p, port
def pid_of(port):
    out = subprocess.run(["pgrep", "-f", "port %d" % port], capture_output=True, text=True).stdout.split()
    return int(out[-1])
for rnd in range(int(sys.argv[2]) if len(sys.argv) > 2 else 2):
    order = list(confs) if rnd % 2 == 0 else list(reversed(confs))
    for name in order:
        args, env = confs[name]
        p, port = start(args, env)
        try:
            for t, P in tests:
                out = subprocess.run(["redis-benchmark", "-p", str(port), "-q", "--csv", "-c", "50", "-P", str(P), "-d", "1024", "-n", "200000", "-r", "1000000", "-t", t],
                                     capture_output=True, text=True).stdout
                m = re.search(r'^"[^"]+","([\d.]+)"', out, flags=re.M)
                res.setdefault((t, P), {}).setdefault(name, []).append(float(m.group(1)) if m else 0.0)
        finally:
            os.killpg(p.pid, signal.SIGTERM); p.wait(30)
        p, port = start(args, env)
        try:
            pid = pid_of(port); time.sleep(0.5)
            r0 = C.rss_kb(pid); C.load_keys(port, 1000000, 16); t0 = time.time(); rs = []
            for at in (1, 3, 6, 10):
                time.sleep(max(0, t0 + at - time.time())); rs.append((C.rss_kb(pid) - r0) * 1024 / 1e6)
            mem.setdefault(name, []).append(rs)
        finally:
            os.killpg(p.pid, signal.SIGTERM); p.wait(30)
    print("round", rnd + 1, "done", flush=True)
print("| row | " + " | ".join("delay " + n for n in confs) + " |")
print("|---|" + "---:|" * len(confs))
for k, v in res.items():
    print("| %s -P %d ops/s | " % (k[0].upper(), k[1]) + " | ".join("%.0f" % statistics.median(v[n]) for n in confs) + " |")
for i, at in enumerate((1, 3, 6, 10)):
    print("| RSS B/key at +%d s | " % at + " | ".join("%.1f" % statistics.median(r[i] for r in mem[n]) for n in confs) + " |")
