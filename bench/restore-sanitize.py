#!/usr/bin/env python3
"""RESTORE of large listpacks, side by side: redis-server with sanitize-dump-payload no and yes, Keyline
(which validates completely whatever the parameter says). The payloads are DUMPed by redis-server (a hash
and a list as one listpack each, a sorted set as a listpack), then each server runs RESTORE ... REPLACE of
every payload N times; the figure is the mean time per RESTORE measured by the client, sequential, one
connection. Usage: bench/restore-sanitize.py REDIS_PORT KEYLINE_PORT [N]  (servers started and stopped by
bench/restore-sanitize.sh)."""
import socket
import os
import sys
import time

SIZE = 20000


def cmd(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")

    def call(self, *args):
        self.s.sendall(cmd(*args))
        return self.read()

    def read(self):
        line = self.f.readline()
        t = line[:1]
        if t == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if t == b"-":
            raise RuntimeError(line.decode().strip())
        if t == b"*":
            return [self.read() for _ in range(int(line[1:]))]
        return line[1:].strip()


def main():
    rp, kp = int(sys.argv[1]), int(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    global SIZE
    SIZE = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
    r, k = Conn(rp), Conn(kp)
    # Redis keeps (and restores) these keys as one listpack each; Keyline keeps its default limits, so it
    # converts them while it restores. With SAME_LIMITS=1 Keyline gets Redis's hash and zset limits too
    # and restores both as one listpack each (built in one pass).
    if os.environ.get("SAME_LIMITS") == "1":
        for p, v in (("hash-max-listpack-entries", 100000), ("hash-max-listpack-value", 64),
                     ("zset-max-listpack-entries", 100000), ("zset-max-listpack-value", 64)):
            k.call("CONFIG", "SET", p, v)
    for c in (r,):
        for p, v in (("hash-max-listpack-entries", 100000), ("hash-max-listpack-value", 64),
                     ("zset-max-listpack-entries", 100000), ("zset-max-listpack-value", 64),
                     ("list-max-listpack-size", -5)):
            c.call("CONFIG", "SET", p, v)
    for i in range(0, SIZE, 1000):
        r.call("HSET", "h", *[x for j in range(i, i + 1000) for x in (f"field:{j}", f"value:{j}")])
        r.call("ZADD", "z", *[x for j in range(i, i + 1000) for x in (j * 0.5, f"member:{j}")])
        r.call("RPUSH", "l", *[f"element:{j}" for j in range(i, i + 1000)])
    payloads = {}
    for key in ("h", "z", "l"):
        payloads[key] = r.call("DUMP", key)
        enc = r.call("OBJECT", "ENCODING", key).decode()
        payloads[key + "-enc"] = enc
    print("| payload (from redis-server) | bytes | redis-server sanitize no | redis-server sanitize yes | keyline | keyline / redis yes |")
    print("|---|---|---|---|---|---|")
    for key, label in (("h", f"hash, {SIZE} fields"), ("z", f"zset, {SIZE} members"), ("l", f"list, {SIZE} elements")):
        p = payloads[key]
        times = {}
        for name, c, mode in (("rno", r, "no"), ("ryes", r, "yes"), ("k", k, "yes")):
            c.call("CONFIG", "SET", "sanitize-dump-payload", mode)
            c.call("RESTORE", "warm", 0, p, "REPLACE")
            t0 = time.perf_counter()
            for _ in range(n):
                c.call("RESTORE", "t", 0, p, "REPLACE")
            times[name] = (time.perf_counter() - t0) / n * 1000
        print(f"| {label} ({payloads[key + '-enc']} in redis-server, "
              f"{k.call('OBJECT', 'ENCODING', 't').decode()} in keyline) | {len(p)} | {times['rno']:.2f} ms | {times['ryes']:.2f} ms "
              f"| {times['k']:.2f} ms | {times['k'] / times['ryes']:.2f} |")


if __name__ == "__main__":
    main()
