#!/usr/bin/env python3
"""The slowest request while ONE collection grows big: HSET, SADD and ZADD into one key each.

Usage: bench/grow-stall.py [--elements 2000000] [--batch 1000] [--rounds 1] [--pinned] NAME=DIR|NAME=redis ...

A collection's table that resizes in one step makes the request that crosses the threshold pay for
copying every element (and, on the JVM, for zeroing and faulting in the new arrays): that request
and every other client of the same event loop wait. This grows one hash (HSET key f:N v), one set
(SADD key m:N) and one sorted set (ZADD key N m:N) to --elements each, in pipelined batches of
--batch requests over one connection (each request adds one element), and records each batch's
round trip (send to last reply). Beside it a second process sends one PING at a time on its own
connection and records the slowest PING: what another client sees during the growth.

Each NAME=DIR is a Keyline checkout with a built jar, started with its own ./keyline-server as
bench/cpu-ab.py starts it; NAME=redis starts Debian's redis-server. Prints per target and type the
slowest batch, the 99.9th and 99th percentile and the median batch time, the slowest PING, the time
the whole growth took and the server's CPU seconds, as a markdown table.
"""
import argparse
import importlib.util
import multiprocessing
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare import free_port, stop_group  # noqa: E402  (the harness's own helpers)

_spec = importlib.util.spec_from_file_location("cpu_ab", os.path.join(HERE, "cpu-ab.py"))
cpu_ab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cpu_ab)  # start(), cpu_seconds(): servers started as cpu-ab.py starts them


def commands(kind, start, end, prefix=b""):
    """The pipelined requests for elements [start, end) of one type, RESP-encoded."""
    out = []
    hkey, skey, zkey = (b"$%d\r\n%s%s\r\n" % (len(prefix) + 4, prefix, k) for k in (b"hkey", b"skey", b"zkey"))
    for i in range(start, end):
        m = b"m:%09d" % i  # 11 bytes
        if kind == "hset":
            out.append(b"*4\r\n$4\r\nHSET\r\n" + hkey + b"$11\r\n%s\r\n$1\r\nv\r\n" % m)
        elif kind == "sadd":
            out.append(b"*3\r\n$4\r\nSADD\r\n" + skey + b"$11\r\n%s\r\n" % m)
        else:
            s = b"%d" % i
            out.append(b"*4\r\n$4\r\nZADD\r\n" + zkey + b"$%d\r\n%s\r\n$11\r\n%s\r\n" % (len(s), s, m))
    return b"".join(out)


def read_replies(sock, want):
    """Reads want integer replies (":1\\r\\n"); raises on an error reply."""
    got, buf = 0, b""
    while got < want:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("server closed the connection")
        got += chunk.count(b"\r\n")
        buf = chunk
        if b"-" in chunk:
            raise RuntimeError("error reply: " + chunk[chunk.index(b"-"):][:200].decode(errors="replace"))
    return buf


def grow(port, kind, elements, batch, prefix=b""):
    times = []
    with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        at = 0
        nxt = commands(kind, 0, min(batch, elements), prefix)
        t_all = time.perf_counter()
        while at < elements:
            end = min(elements, at + batch)
            payload = nxt
            t0 = time.perf_counter()
            s.sendall(payload)
            # Encode the next batch while the server works on this one (not timed as the server's).
            nxt = commands(kind, end, min(elements, end + batch), prefix) if end < elements else b""
            read_replies(s, end - at)
            times.append((time.perf_counter() - t0, end))
            at = end
        total = time.perf_counter() - t_all
    return times, total


def probe(port, stop, result):
    """One PING at a time; the slowest round trip and when (elements done is unknown here: wall time)."""
    worst, n = 0.0, 0
    with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while not stop.is_set():
            t0 = time.perf_counter()
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            buf = b""
            while not buf.endswith(b"\r\n"):
                buf += s.recv(64)
            worst = max(worst, time.perf_counter() - t0)
            n += 1
            time.sleep(0.001)
    result.put((worst, n))


def pct(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs="+", help="NAME=DIR or NAME=redis")
    ap.add_argument("--elements", type=int, default=2_000_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--types", default="hset,sadd,zadd")
    ap.add_argument("--warmup", type=int, default=200_000,
                    help="elements per type grown into warm-up keys and deleted first, so the JIT has compiled the path")
    ap.add_argument("--pinned", action="store_true", help="server on CPU 0, this client on CPU 1")
    args = ap.parse_args()
    if args.pinned:
        os.sched_setaffinity(0, {1})
    targets = [t.split("=", 1) for t in args.targets]
    tmp = tempfile.mkdtemp(prefix="keyline-grow-stall-")
    rows = []
    loads = [os.getloadavg()[0]]
    try:
        for r in range(args.rounds):
            order = targets if r % 2 == 0 else targets[::-1]
            for name, target in order:
                port = free_port()
                proc, pid = cpu_ab.start(target, port, args.pinned, tmp)
                try:
                    if args.warmup:
                        for kind in args.types.split(","):
                            grow(port, kind, args.warmup, args.batch, b"warm:")
                        with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
                            s.sendall(b"*4\r\n$3\r\nDEL\r\n$9\r\nwarm:hkey\r\n$9\r\nwarm:skey\r\n$9\r\nwarm:zkey\r\n")
                            s.recv(64)
                    for kind in args.types.split(","):
                        stop, q = multiprocessing.Event(), multiprocessing.Queue()
                        pr = multiprocessing.Process(target=probe, args=(port, stop, q))
                        pr.start()
                        c0 = cpu_ab.cpu_seconds(pid)
                        times, total = grow(port, kind, args.elements, args.batch)
                        c1 = cpu_ab.cpu_seconds(pid)
                        stop.set()
                        ping_worst, pings = q.get(timeout=60)
                        pr.join(10)
                        ms = sorted(t * 1e3 for t, _ in times)
                        worst_t, worst_at = max(times)
                        row = dict(round=r + 1, name=name, kind=kind, worst=worst_t * 1e3, worst_at=worst_at,
                                   p999=pct(ms, 0.999), p99=pct(ms, 0.99), p50=statistics.median(ms),
                                   ping=ping_worst * 1e3, pings=pings, total=total, cpu=c1 - c0)
                        top = sorted(times, reverse=True)[:5]
                        print(f"round {r + 1} {name:8s} {kind}: slowest batch {row['worst']:.1f} ms at "
                              f"{worst_at:,} elements, p99.9 {row['p999']:.1f}, p99 {row['p99']:.1f}, "
                              f"p50 {row['p50']:.2f} ms; slowest PING {row['ping']:.1f} ms ({pings} pings); "
                              f"total {total:.1f} s, server CPU {c1 - c0:.1f} s; top 5: "
                              + ", ".join(f"{t * 1e3:.0f} ms@{e:,}" for t, e in top), file=sys.stderr)
                        rows.append(row)
                finally:
                    stop_group(proc)
                loads.append(os.getloadavg()[0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"| round | target | type | slowest batch ms (at elements) | p99.9 ms | p99 ms | p50 ms | slowest PING ms "
          f"| growth s | server CPU s |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for w in rows:
        print(f"| {w['round']} | {w['name']} | {w['kind'].upper()} | {w['worst']:.1f} ({w['worst_at']:,}) | "
              f"{w['p999']:.1f} | {w['p99']:.1f} | {w['p50']:.2f} | {w['ping']:.1f} | {w['total']:.1f} | "
              f"{w['cpu']:.1f} |")
    print(f"\n{args.elements:,} elements per key, batches of {args.batch} pipelined requests, "
          f"{'pinned' if args.pinned else 'unpinned'}; load average 1-min min/max {min(loads):.2f}/{max(loads):.2f}")


if __name__ == "__main__":
    main()
