"""Harness-like sequence on one Keyline: each workload run, then an idle gap (the Redis half of a round).
Prints server CPU us/request and ops/s per run. Usage: gap.py LABEL 'JAVA OPTS' [gap_secs] [rounds]"""
import sys, os, time, subprocess, re, statistics
sys.path.insert(0, "/work/main/bench")
from compare import free_port, ping_once
TICK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK
def rss(pid):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) // 1024
label, opts = sys.argv[1], sys.argv[2]
gap = float(sys.argv[3]) if len(sys.argv) > 3 else 4.0
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 2
jar = os.environ.get("KL", "/work/main")
port = free_port()
env = dict(os.environ, KEYLINE_JAVA_OPTS=opts, KEYLINE_CDS_DIR="/proc/nonexistent/x")
p = subprocess.Popen(["taskset", "-c", "0", jar + "/keyline-server", "--port", str(port), "--appendonly", "no", "--save", "", "-c", "0"],
                     env=env, stdout=open(f"/tmp/memx/{label}.log", "w"), stderr=subprocess.STDOUT)
while not ping_once(port): time.sleep(0.05)
pid = p.pid
res = {}
wls = [tuple((w.split(":")[0], int(w.split(":")[1]), int(w.split(":")[2]))) for w in os.environ["WL"].split(",")] if os.environ.get("WL") else [("set", 16, 200000), ("get", 16, 200000), ("incr", 16, 200000), ("lpush", 16, 200000), ("lpop", 16, 200000), ("set", 1, 30000)]
for r in range(rounds):
    for t, P, n in wls:
        c0 = cpu(pid); t0 = time.time()
        subprocess.run(["taskset", "-c", "1", "redis-benchmark", "-p", str(port), "-c", "50", "-n", str(n), "-r", "1000000",
                        "-d", "1024" if P == 16 else "3", "-P", str(P), "-t", t, "-q"], capture_output=True)
        dt = time.time() - t0; c1 = cpu(pid)
        if r > 0 or rounds == 1:
            res.setdefault(f"{t}:P{P}", []).append(((c1 - c0) * 1e6 / n, n / dt, rss(pid)))
        time.sleep(gap)
for k, v in res.items():
    print("%-8s %-10s cpu %6.2f us/req  %8.0f ops/s  rss %5d MB" % (label, k, statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), v[-1][2]))
p.terminate(); p.wait()
