#!/usr/bin/env python3
"""Keyline under several garbage collectors, side by side with redis-server, in one run (issue 15, item 2).

Usage: bench/gc-compare.py [--keys 1000000] [--churn-keys 2000000] [--churn-seconds 60] [--churn-rate 20000]
                           [--only memory|churn] [--out FILE.md] LABEL='JVM FLAGS' [LABEL='JVM FLAGS' ...]

Each LABEL starts Keyline through ./keyline-server with KEYLINE_JAVA_OPTS set to its flags ('' = the launcher's
defaults); redis-server is measured once as the reference. Two workloads, both as bench/compare.sh measures them:
- steady data: RSS growth per key after SET of --keys keys with 16-byte and with 1 KB values (one pipelined
  connection, RSS read 1 s after the last reply), and the JVM's live heap per key (jcmd GC.class_histogram);
- cache-like churn: --churn-keys keys of 1 KB preloaded, then bench/churn/ChurnLoad.java at a fixed rate of
  half SET, half GET for --churn-seconds (server pinned to CPU 0, the load to CPU 1), latency measured from each
  request's intended send time (coordinated omission counted), plus the collector's pause count and time.
Writes a Markdown table to --out (default: bench/results/<date>-gc-compare.md) and prints it.
"""
import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare as C  # noqa: E402  (the harness's server control, loaders and JVM probes)


def start(kind, opts, tmp, cpu=None):
    port = C.free_port()
    wd = tempfile.mkdtemp(prefix=kind + "-", dir=tmp)
    if kind == "redis":
        argv = [os.environ.get("REDIS_SERVER", "redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", ""]
        srv = C.Server("redis", "Redis", argv, port, wd, cpu)
    else:
        env = dict(os.environ, KEYLINE_JAVA_OPTS=opts)
        argv = [os.path.join(C.REPO, "keyline-server"), "--port", str(port), "--bind", "127.0.0.1",
                "--appendonly", "no", "--save", "", "--capacity", "0"]
        srv = C.Server("keyline", "Keyline", argv, port, wd, cpu, env=env)
    srv.start(120)
    return srv


def steady(kind, opts, tmp, keys, vsize):
    srv = start(kind, opts, tmp)
    try:
        pid = srv.server_pid()
        jvm = kind != "redis"
        time.sleep(0.5)
        live0 = C.jvm_live_bytes(pid)[0] if jvm else None
        rss0 = C.rss_kb(pid)
        C.load_keys(srv.port, keys, vsize)
        time.sleep(1.0)
        row = {"rss": (C.rss_kb(pid) - rss0) * 1024.0 / keys}
        if jvm:
            live1 = C.jvm_live_bytes(pid)[0]
            if live0 is not None and live1 is not None:
                row["live"] = (live1 - live0) / keys
        return row
    finally:
        srv.stop()


def churn(kind, opts, tmp, args):
    srv = start(kind, opts, tmp, cpu=0)
    try:
        pid = srv.server_pid()
        java = shutil.which(os.environ.get("CHURN_JAVA", "java"))
        base = [java, "-Xms1g", "-Xmn768m", "-XX:+UseSerialGC", C.CHURN_SRC, "--port", str(srv.port),
                "--keys", str(args.churn_keys), "--value-size", "1024"]
        rc, out = C.run_tool(base + ["--preload", "--duration", "0.01", "--warmup", "0", "--rate", "1000"], 900)
        if "preloaded" not in out:
            raise RuntimeError("preload failed: " + out.strip()[-300:])
        gc0 = C.jstat_gc(pid) if kind != "redis" else None
        jpath = os.path.join(tmp, "churn-%d.json" % srv.port)
        rc, out = C.run_tool(["taskset", "-c", "1"] + base + [
            "--rate", str(args.churn_rate), "--duration", str(args.churn_seconds), "--warmup", "5",
            "--connections", "8", "--set-ratio", "0.5", "--json", jpath], args.churn_seconds + 200)
        with open(jpath) as f:
            res = json.load(f)
        lat = res["latency_ms"]
        row = {"p99": lat["p99"], "p999": lat["p99_9"], "max": lat["max"], "rss_mb": C.rss_kb(pid) / 1024.0}
        gc1 = C.jstat_gc(pid) if kind != "redis" else None
        if gc0 and gc1:
            row["gc"] = "%d / %.2f s" % (gc1[0] - gc0[0], gc1[1] - gc0[1])
        return row
    finally:
        srv.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--churn-keys", type=int, default=2000000)
    ap.add_argument("--churn-seconds", type=float, default=60)
    ap.add_argument("--churn-rate", type=int, default=20000)
    ap.add_argument("--only", choices=["memory", "churn"])
    ap.add_argument("--out")
    ap.add_argument("configs", nargs="+", help="LABEL='JVM flags'")
    args = ap.parse_args()
    if not shutil.which(os.environ.get("REDIS_SERVER", "redis-server")):
        C.die("redis-server not found: it is the reference (apt-get install -y redis-server)")
    configs = [("Redis 7 (reference)", None)] + [tuple(c.split("=", 1)) if "=" in c else (c, "") for c in args.configs]
    tmp = tempfile.mkdtemp(prefix="gc-compare-")
    rows = []
    try:
        for label, opts in configs:
            kind = "redis" if opts is None else "keyline"
            row = {"label": label, "opts": opts or ("" if kind == "keyline" else "-")}
            for what, fn in (("m16", lambda: steady(kind, opts, tmp, args.keys, 16)),
                             ("m1k", lambda: steady(kind, opts, tmp, args.keys, 1024)),
                             ("churn", lambda: churn(kind, opts, tmp, args))):
                if args.only and (what == "churn") != (args.only == "churn"):
                    continue
                try:
                    row[what] = fn()
                except Exception as e:  # one failed measurement must not lose the others
                    row[what] = {"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:120])}
                C.log("%s %s: %s" % (label, what, row[what]))
            rows.append(row)
    finally:
        C.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)

    def cell(d, key, fmt):
        if d is None:
            return ""
        if "error" in d:
            return d["error"]
        return fmt % d[key] if key in d else ""

    load = open("/proc/loadavg").read().split()[:3]
    lines = ["# Keyline's collectors side by side (%s UTC, load average at the end %s)" % (
        datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), " ".join(load)), "",
        "Command: `bench/gc-compare.py %s`" % " ".join(
            a if " " not in a else "'%s'" % a for a in sys.argv[1:]), "",
        "| server, JVM flags | RSS B/key, 16 B values (live heap) | RSS B/key, 1 KB values (live heap) | "
        "churn p99 / p99.9 / max ms | GC cycles / time during churn | RSS after churn MB |",
        "|---|---|---|---|---|---|"]
    for r in rows:
        m16, m1k, ch = r.get("m16"), r.get("m1k"), r.get("churn")
        lines.append("| %s `%s` | %s %s | %s %s | %s | %s | %s |" % (
            r["label"], r["opts"], cell(m16, "rss", "%.1f"), cell(m16, "live", "(%.1f)"),
            cell(m1k, "rss", "%.1f"), cell(m1k, "live", "(%.1f)"),
            "" if ch is None else (ch["error"] if "error" in ch else "%.1f / %.1f / %.1f" % (ch["p99"], ch["p999"], ch["max"])),
            cell(ch, "gc", "%s"), cell(ch, "rss_mb", "%.0f")))
    text = "\n".join(lines) + "\n"
    out = args.out or os.path.join(HERE, "results", "%s-gc-compare.md" % datetime.date.today().isoformat())
    with open(out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
