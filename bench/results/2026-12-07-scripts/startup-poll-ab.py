import os, sys, time, subprocess, tempfile, socket, statistics
sys.path.insert(0, "/work/main/bench")
from compare import free_port, ping_once as ping
L = "/work/main/keyline-server"
def run(sl):
    port = free_port(); wd = tempfile.mkdtemp(prefix="sy-")
    args = [L, "--port", str(port), "--appendonly", "no", "--capacity", "0", "--bind", "127.0.0.1"]
    t0 = time.perf_counter()
    p = subprocess.Popen(args, cwd=wd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    n = 0
    while not ping(port, timeout=0.5): time.sleep(sl); n += 1
    t = time.perf_counter() - t0
    with open("/proc/%d/stat" % p.pid) as f: fl = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fl[11]) + int(fl[12])) / 100
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"SHUTDOWN NOSAVE\r\n"); s.recv(64)
    p.wait(60); return t, n, cpu
vs = [0.0005, 0.001, 0.005]
res = {v: [] for v in vs}
for i in range(9):
    for v in (vs if i % 2 == 0 else vs[::-1]): res[v].append(run(v))
for v in vs: print(v, "wall", round(statistics.median(r[0] for r in res[v]), 3), "polls", statistics.median(r[1] for r in res[v]), "cpu", statistics.median(r[2] for r in res[v]))
