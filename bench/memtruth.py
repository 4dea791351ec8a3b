#!/usr/bin/env python3
"""How true Keyline's memory accounting is, per type and encoding.

For each case: a fresh server, the live heap (total of `jcmd GC.class_histogram`, which runs a full GC)
and INFO used_memory before and after loading the case's keys, and the sum of MEMORY USAGE over them.
Prints per-key (or per-element) figures and the ratio estimate / live heap.

The data's heap is what FLUSHALL frees afterwards ("growth", the plain before/after difference, also holds what
the load left elsewhere: network buffer pools, JIT). Results: bench/results/2026-12-08-memory-truth.md.

Usage: python3 bench/memtruth.py LABEL=LAUNCHER [LABEL=LAUNCHER ...] [--only CASE,...]
  (pick the JVM with the launcher's KEYLINE_JAVA / KEYLINE_JAVA_OPTIONS)
  e.g. python3 bench/memtruth.py zgc=./keyline-server
       KEYLINE_JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java python3 bench/memtruth.py g1=./keyline-server
"""
import os, re, socket, subprocess, sys, time, shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import encode_cmd as resp, free_port  # noqa: E402  (the harness's own helpers)


def pipe(port, cmds):
    """Sends the RESP commands through redis-cli --pipe; raises when any failed."""
    p = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=b"".join(cmds), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    out = p.stdout.decode(errors="replace")
    if "errors: 0" not in out:
        raise RuntimeError(out[-300:])

def cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port)] + [str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()

def used_memory(port):
    return int(re.search(r"used_memory:(\d+)", cli(port, "INFO", "memory")).group(1))

def live_heap(pid):
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], stdout=subprocess.PIPE).stdout.decode()
    return int(re.search(r"^\s*Total\s+\d+\s+(\d+)\s*$", out, flags=re.M).group(1))

def memory_usage_sum(port, keys):
    p = subprocess.run(["redis-cli", "-p", str(port)], input="".join("MEMORY USAGE %s SAMPLES 0\n" % k for k in keys).encode(),
                       stdout=subprocess.PIPE, check=True)
    return sum(int(x) for x in p.stdout.decode().split())

def m(i, n=16):
    return ("m%0*d" % (n - 1, i)).encode()

# name: (keys, per-key element count, commands for key k)
def strings(n, size, ttl, intval=False):
    def cmds(k):
        v = str(k * 7 + 1000000).encode() if intval else ("%0*d" % (size, k)).encode()
        return [resp("SET", "key:%012d" % k, v, "EX", 100000) if ttl else resp("SET", "key:%012d" % k, v)]
    return (n, 1, cmds)

def coll(n, members, make):
    return (n, members, lambda k: [make("key:%012d" % k, members)])

CASES = {
    "str-int": strings(100000, 0, False, True),
    "str-16": strings(100000, 16, False),
    "str-16-ttl": strings(100000, 16, True),
    "str-1k": strings(30000, 1024, False),
    "str-1k-ttl": strings(30000, 1024, True),
    "list-16x100": coll(2000, 100, lambda key, c: resp("RPUSH", key, *[m(i) for i in range(c)])),
    "set-int-x100": coll(2000, 100, lambda key, c: resp("SADD", key, *[str(1000000 + i) for i in range(c)])),
    "set-lp-16x50": coll(4000, 50, lambda key, c: resp("SADD", key, *[m(i) for i in range(c)])),
    "set-ht-16x1000": coll(200, 1000, lambda key, c: resp("SADD", key, *[m(i) for i in range(c)])),
    "hash-lp-16x50": coll(4000, 50, lambda key, c: resp("HSET", key, *[x for i in range(c) for x in (m(i), m(i + 7))])),
    "hash-ht-16x1000": coll(200, 1000, lambda key, c: resp("HSET", key, *[x for i in range(c) for x in (m(i), m(i + 7))])),
    "zset-lp-16x50": coll(4000, 50, lambda key, c: resp("ZADD", key, *[x for i in range(c) for x in (str(i * 1.5).encode(), m(i))])),
    "zset-sl-16x1000": coll(200, 1000, lambda key, c: resp("ZADD", key, *[x for i in range(c) for x in (str(i * 1.5).encode(), m(i))])),
}

def stream_case():
    def cmds(k):
        key = "key:%012d" % k
        return [resp("XADD", key, "%d-%d" % (1000 + i, 0), "field", m(i)) for i in range(1000)]
    return (200, 1000, cmds)
CASES["stream-x1000"] = stream_case()

def server_pid(proc):
    # The launcher execs java: its pid is the JVM's.
    return proc.pid

def run_case(label, launcher, name, env):
    n, per, make = CASES[name]
    port = free_port()
    proc = subprocess.Popen([launcher, "--port", str(port), "--save", "", "--appendonly", "no", "--capacity", "0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if cli(port, "PING").strip() == "PONG":
                break
            time.sleep(0.1)
        cmds0 = [c for k in range(50) for c in make(10**9 + k)]  # warm-up keys of the same shape, then removed
        pipe(port, cmds0)
        cli(port, "FLUSHALL")
        live0, um0 = live_heap(server_pid(proc)), used_memory(port)
        pipe(port, [c for k in range(n) for c in make(k)])
        um1 = used_memory(port)
        mu = memory_usage_sum(port, ["key:%012d" % k for k in range(n)])
        live1 = live_heap(server_pid(proc))
        enc = cli(port, "OBJECT", "ENCODING", "key:%012d" % 0).strip()
        # The data's heap is what FLUSHALL frees: what the load left elsewhere (grown network buffer pools,
        # JIT-ed code's objects) stays in both figures.
        cli(port, "FLUSHALL", "SYNC")
        live2 = live_heap(server_pid(proc))
        div = n * per
        live, grown, est, musum = (live1 - live2) / div, (live1 - live0) / div, (um1 - um0) / div, mu / div
        print("%-4s %-16s %-10s %6d x %4d  live %7.1f (growth %7.1f)  used_memory %7.1f (%+4.0f%%)  MEMORY USAGE %7.1f (%+4.0f%%)  B/%s"
              % (label, name, enc, n, per, live, grown, est, 100 * (est / live - 1), musum, 100 * (musum / live - 1),
                 "key" if per == 1 else "element"), flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

def main():
    targets, only = [], list(CASES)
    argv = sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a == "--only":
            only = argv.pop(0).split(",")
        else:
            targets.append(a.split("=", 1))
    os.system("uptime")
    for name in only:
        for label, launcher in targets:
            run_case(label, launcher, name, dict(os.environ))

if __name__ == "__main__":
    main()
