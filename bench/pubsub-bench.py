#!/usr/bin/env python3
"""Pub/sub figures, Keyline next to redis-server in one run (loopback).

1. PUBLISH throughput with no subscriber: redis-benchmark custom command, 50 clients, P1 and P16.
2. Fan-out: N subscribers (1, 10, 100, 1000) on one channel, one publisher pipelining PUBLISH in
   batches of 100; messages delivered per second = messages x N / time until every subscriber has
   read every message. The load generator is this Python process (asyncio), the same for both
   servers: compare the ratio, not the absolute rate.
3. Memory of 10,000 idle subscribers (each on its own channel): server RSS after minus before.

Usage: bench/pubsub-bench.py [keyline-port] [redis-port]. WARM=N (environment) first runs the fan-out
suite N times on both servers and discards it, so Keyline's JIT is warm (a long-running server's state). Prints Markdown tables. Needs
redis-server, redis-cli, redis-benchmark and ./keyline-server (built). Stops what it starts.
"""
import asyncio, os, subprocess, sys, time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KP = int(sys.argv[1]) if len(sys.argv) > 1 else 7831
RP = int(sys.argv[2]) if len(sys.argv) > 2 else 7832
MSG = b"m" * 16
FRAME = b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$16\r\n" + MSG + b"\r\n"


def cmd(*args):
    return b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def ping(port):
    return subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG"


def bench_publish(port):
    out = {}
    for p in (1, 16):
        n = 200_000 if p == 1 else 1_000_000
        r = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "50", "-n", str(n), "-P", str(p), "-q",
                            "publish", "ch", "hello"], capture_output=True, text=True).stdout
        rps = [l for l in r.replace("\r", "\n").split("\n") if "requests per second" in l][-1]
        out[p] = float(rps.split(":")[1].split()[0])
    return out


async def fanout(port, n_subs, messages):
    subs = []
    for _ in range(n_subs):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(cmd(b"SUBSCRIBE", b"ch"))
        await w.drain()
        await r.readuntil(b":1\r\n")
        subs.append((r, w))
    want = len(FRAME) * messages

    async def drain(r):
        got = 0
        while got < want:
            data = await r.read(1 << 16)
            if not data:  # disconnected (e.g. by client-output-buffer-limit): report, don't spin
                raise RuntimeError(f"subscriber disconnected after {got} of {want} bytes")
            got += len(data)

    pr, pw = await asyncio.open_connection("127.0.0.1", port)
    batch = cmd(b"PUBLISH", b"ch", MSG) * 100
    start = time.perf_counter()
    readers = [asyncio.create_task(drain(r)) for r, _ in subs]

    async def publish():
        for i in range(messages // 100):
            pw.write(batch)
            await pw.drain()
            if i % 10 == 9:
                await asyncio.sleep(0)  # let the subscribers' readers run
        left = (messages // 100) * 100
        replies = 0
        while replies < left:
            data = await pr.read(1 << 16)
            if not data:
                raise RuntimeError("publisher disconnected")
            replies += data.count(b"\r\n")

    await asyncio.gather(publish(), *readers)
    elapsed = time.perf_counter() - start
    for _, w in subs + [(pr, pw)]:
        w.close()
    return messages * n_subs / elapsed


async def idle_memory(port, pid, n=10_000):
    before = rss_kb(pid)
    conns = []
    for i in range(n):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(cmd(b"SUBSCRIBE", b"idle:%d" % i))
        conns.append((r, w))
        if i % 500 == 499:
            await asyncio.gather(*(w.drain() for _, w in conns[-500:]))
            await asyncio.gather(*(r.readuntil(b":1\r\n") for r, _ in conns[-500:]))
    await asyncio.sleep(1)
    after = rss_kb(pid)
    for _, w in conns:
        w.close()
    await asyncio.sleep(0.5)
    return (after - before) * 1024 / n


def main():
    redis = subprocess.Popen(["redis-server", "--port", str(RP), "--save", "", "--appendonly", "no",
                              "--maxclients", "20000"], stdout=subprocess.DEVNULL)
    keyline = subprocess.Popen([os.path.join(HERE, "keyline-server"), "--port", str(KP), "--appendonly", "no",
                                "--save", "", "--maxclients", "20000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not (ping(RP) and ping(KP)):
            time.sleep(0.3)
        kpid = int(subprocess.run(["redis-cli", "-p", str(KP), "info", "server"], capture_output=True,
                                  text=True).stdout.split("process_id:")[1].split()[0])
        servers = [("redis-server", RP, redis.pid), ("Keyline", KP, kpid)]
        print("| PUBLISH, no subscriber, 50 clients | redis-server | Keyline | ratio |\n|---|---|---|---|")
        pub = {name: bench_publish(port) for name, port, _ in servers}
        for p in (1, 16):
            a, b = pub["redis-server"][p], pub["Keyline"][p]
            print(f"| P{p} (requests/s) | {a:,.0f} | {b:,.0f} | {b / a:.2f} |")
        for _ in range(int(os.environ.get("WARM", "0"))):
            for n in (1, 10, 100, 1000):
                for _, port, _ in servers:
                    asyncio.run(fanout(port, n, max(1000, 100_000 // n)))
        print("\n| fan-out, one publisher | redis-server | Keyline | ratio |\n|---|---|---|---|")
        for n in (1, 10, 100, 1000):
            messages = max(1000, 100_000 // n)
            rates = [asyncio.run(fanout(port, n, messages)) for _, port, _ in servers]
            print(f"| {n} subscribers, {messages:,} messages (delivered/s) | {rates[0]:,.0f} | {rates[1]:,.0f} | {rates[1] / rates[0]:.2f} |")
        print("\n| 10,000 idle subscribers | redis-server | Keyline | ratio |\n|---|---|---|---|")
        mem = [asyncio.run(idle_memory(port, pid)) for _, port, pid in servers]
        print(f"| RSS growth per subscriber (bytes) | {mem[0]:,.0f} | {mem[1]:,.0f} | {mem[1] / mem[0]:.2f} |")
    finally:
        subprocess.run(["redis-cli", "-p", str(RP), "shutdown", "nosave"], capture_output=True)
        subprocess.run(["redis-cli", "-p", str(KP), "shutdown", "nosave"], capture_output=True)
        for p in (redis, keyline):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
