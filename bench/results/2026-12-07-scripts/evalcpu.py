import sys, os, time, subprocess, statistics
sys.path.insert(0, "/work/main/bench")
from compare import free_port, ping_once
TICK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK
res = {}
cmds = {"eval": ["-P", "16", "eval", "return redis.call('incr',KEYS[1])", "1", "k:__rand_int__"],
        "setevict": ["-P", "16", "-t", "set", "-d", "100"]}
for rnd in range(3):
    for bits in ([6, 7] if rnd % 2 == 0 else [7, 6]):
        port = free_port()
        env = dict(os.environ, KEYLINE_JAVA_OPTS=f"-Dkeyline.stripe-bits={bits}", KEYLINE_CDS_DIR="/proc/nonexistent/x")
        p = subprocess.Popen(["taskset", "-c", "0", "/work/main/keyline-server", "--port", str(port), "--appendonly", "no", "--save", "", "-c", "0",
                              "--maxmemory", "30mb", "--maxmemory-policy", "allkeys-lru"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        while not ping_once(port): time.sleep(0.05)
        for name, a in cmds.items():
            base = ["taskset", "-c", "1", "redis-benchmark", "-p", str(port), "-c", "50", "-r", "1000000", "-q"]
            subprocess.run(base + ["-n", "100000"] + a, capture_output=True)  # warm-up
            c0 = cpu(p.pid); t0 = time.time()
            subprocess.run(base + ["-n", "300000"] + a, capture_output=True)
            dt = time.time() - t0
            res.setdefault((name, bits), []).append(((cpu(p.pid) - c0) * 1e6 / 300000, 300000 / dt))
        p.terminate(); p.wait()
for k, v in sorted(res.items()):
    print("%-9s bits=%d cpu %.2f us/req (%s)  %.0f ops/s" % (k[0], k[1], statistics.median(x[0] for x in v), " ".join("%.2f" % x[0] for x in v), statistics.median(x[1] for x in v)))
