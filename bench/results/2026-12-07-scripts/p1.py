#!/usr/bin/env python3
import os, subprocess, sys, time, re, statistics, signal
sys.path.insert(0, "/work/main/bench")
import compare as C
confs = {
  "pre-10e2158": ("/work/wt/pre/keyline-server", [], {}),
  "head": ("/work/main/keyline-server", [], {}),
  "head-gov-off": ("/work/main/keyline-server", ["--heap-governor", "no"], {"KEYLINE_JAVA_OPTS": "-XX:ZUncommitDelay=300"}),
}
if len(sys.argv) > 1: confs = {k: v for k, v in confs.items() if k in sys.argv[1].split(",")}
tests = [("set", 1, 3, 30000), ("incr", 1, 3, 30000), ("get", 1, 3, 30000), ("set", 16, 1024, 200000)]
res = {}
for rnd in range(2):
    order = list(confs) if rnd % 2 == 0 else list(reversed(confs))
    for name in order:
        k, args, env = confs[name]
        port = C.free_port()
        p = subprocess.Popen(["taskset", "-c", "0", k] + args + ["--port", str(port), "--appendonly", "no", "--capacity", "0", "--save", ""],
                             cwd="/tmp", env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(600):
            try:
                C.resp_cmd(port, "PING"); break
            except Exception: time.sleep(0.05)
        try:
            subprocess.run(["taskset", "-c", "1", "redis-benchmark", "-p", str(port), "-q", "-c", "50", "-n", "50000", "-t", "set,get"], capture_output=True)
            for t, P, d, n in tests:
                out = subprocess.run(["taskset", "-c", "1", "redis-benchmark", "-p", str(port), "-q", "--csv", "-c", "50", "-P", str(P), "-d", str(d), "-n", str(n), "-r", "1000000", "-t", t],
                                     capture_output=True, text=True).stdout
                m = re.search(r'^"[^"]+","([\d.]+)"', out, flags=re.M)
                res.setdefault((t, P), {}).setdefault(name, []).append(float(m.group(1)) if m else 0.0)
        finally:
            os.killpg(p.pid, signal.SIGTERM); p.wait(30)
    print("round", rnd + 1, "done", flush=True)
print("| row | " + " | ".join(confs) + " |")
print("|---|" + "---:|" * len(confs))
for k, v in res.items():
    print("| %s -P %d | " % (k[0].upper(), k[1]) + " | ".join("%.0f" % statistics.median(v[n]) for n in confs) + " |")
