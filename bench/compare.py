#!/usr/bin/env python3
"""Keyline vs Redis comparison harness.

Run through bench/compare.sh (which raises the fd limit and cleans up on exit), e.g.

    bench/compare.sh --quick          # smoke run, well under 2 minutes
    bench/compare.sh                  # full run, about 15-20 minutes

See bench/README.md for what every section measures. Standard library only.
"""
import argparse
import atexit
import ctypes
import datetime
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CHURN_SRC = os.path.join(HERE, "churn", "ChurnLoad.java")
sys.path.insert(0, HERE)
from hiccup import HiccupMeter  # noqa: E402  (bench/hiccup.py)

# name -> (redis-benchmark -t test, title prefix of the section to parse)
WORKLOADS = {
    "PING_MBULK": ("ping_mbulk", "PING_MBULK"),
    "SET": ("set", "SET"),
    "GET": ("get", "GET"),
    "INCR": ("incr", "INCR"),
    "MSET": ("mset", "MSET (10 keys)"),
    "LPUSH": ("lpush", "LPUSH"),
    "LPOP": ("lpop", "LPOP"),
    "SADD": ("sadd", "SADD"),
    "HSET": ("hset", "HSET"),
    "ZADD": ("zadd", "ZADD"),
    "LRANGE_100": ("lrange_100", "LRANGE_100 (first 100 elements)"),
}
ALL_WORKLOADS = list(WORKLOADS)

# Reply volume per run is capped: LRANGE_100 with 1 KB values answers ~100 KB per request, and at -P 16 Redis serves
# under 2,000 of them a second here, so the pipelined request count would not finish within --run-timeout.
REPLY_BYTES_PER_RUN = 2_000_000_000
ELEMENTS_PER_REPLY = {"LRANGE_100": 100}


def requests_for(wl, n, dsize):
    """The request count for one run: n, or fewer where the replies would exceed REPLY_BYTES_PER_RUN."""
    per_reply = ELEMENTS_PER_REPLY.get(wl, 1) * dsize
    return min(n, max(1000, REPLY_BYTES_PER_RUN // per_reply))

QUICK = dict(
    workloads=["PING_MBULK", "SET", "GET", "LPUSH"],
    configs=[(1, 3), (16, 1024)],
    n=3000, n_pipelined=30000, rounds=2,
    conn_workloads=["SET", "GET"], conn_n=10000,
    mem_keys=20000, aof_keys=20000, startup_reps=1,
    churn_duration=3.0, churn_warmup=2.0, churn_keys=50000, churn_rate=20000,
    budget_min=10,
)
FULL = dict(
    workloads=ALL_WORKLOADS,
    configs=[(1, 3), (1, 1024), (16, 3), (16, 1024)],
    n=60000, n_pipelined=400000, rounds=2,
    conn_workloads=["PING_MBULK", "SET", "GET"], conn_n=100000,
    mem_keys=1000000, aof_keys=1000000, startup_reps=3,
    churn_duration=60.0, churn_warmup=5.0, churn_keys=2000000, churn_rate=20000,
    budget_min=40,
)

SERVERS = []      # every Server ever started, for cleanup
LOG = None        # file object for the verbose log
T_START = time.time()


def log(msg):
    line = "[%6.1fs] %s" % (time.time() - T_START, msg)
    print(line, file=sys.stderr, flush=True)
    if LOG:
        LOG.write(line + "\n")
        LOG.flush()


def die(msg):
    log("ERROR: " + msg)
    sys.exit(2)


# --------------------------------------------------------------------------- processes

def _set_pdeathsig():
    """preexec_fn: the server gets SIGKILL if this harness dies without cleaning up."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
            ppid = int(st[st.rindex(")") + 2:].split()[1])
            kids.setdefault(ppid, []).append(int(d))
        except (OSError, ValueError):
            pass
    return kids


def descendants(pid):
    kids, out, todo = children_map(), [], [pid]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def exe_of(pid):
    try:
        return os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return ""


def cmdline_of(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class RespError(Exception):
    pass


def resp_cmd(port, *args, timeout=10.0):
    """Send one command, return the decoded reply (str/int/list/None); raises RespError on -ERR."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(encode_cmd(*args))
        f = s.makefile("rb")
        return read_reply(f)


def encode_cmd(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


def read_reply(f):
    line = f.readline()
    if not line:
        raise ConnectionError("connection closed")
    t, rest = line[:1], line[1:-2]
    if t == b"+":
        return rest.decode(errors="replace")
    if t == b"-":
        raise RespError(rest.decode(errors="replace"))
    if t == b":":
        return int(rest)
    if t == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)
        return data[:-2].decode(errors="replace")
    if t == b"*":
        n = int(rest)
        return None if n < 0 else [read_reply(f) for _ in range(n)]
    if t == b"_":
        return None
    return rest.decode(errors="replace")


def ping_once(port, timeout=1.0):
    """True iff the server answers PING with +PONG (a -LOADING error is 'not ready')."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            buf = b""
            while b"\r\n" not in buf:
                chunk = s.recv(256)
                if not chunk:
                    return False
                buf += chunk
            return buf.startswith(b"+PONG")
    except OSError:
        return False


def wait_started(proc, port, name, timeout=120):
    """Polls PING until the server spawned as `proc` answers on `port`; raises if it exits or times out."""
    deadline = time.time() + timeout
    while not ping_once(port, timeout=0.5):
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.05)


def redis_benchmark(port, test, pipeline, dsize, n, pinned, title=None):
    """One `redis-benchmark -c 50 -r 1000000` run of `test` (on CPU 1 when pinned): parse_benchmark's result or None."""
    argv = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", "50", "-n", str(n), "-r", "1000000",
            "-d", str(dsize), "-P", str(pipeline), "-t", test]
    if pinned:
        argv = ["taskset", "-c", "1"] + argv
    out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600).stdout
    return parse_benchmark(out, title or test.upper()), out


def stop_group(proc, timeout=30):
    """Stops a server started with start_new_session=True: SIGTERM to its process group, then SIGKILL to whatever
    is left in the group (a launcher's java child, say). Returns whether it exited on SIGTERM within timeout."""
    clean = True
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            clean = False
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass
    return clean


def time_to_first_ping(launcher, env=None):
    """Starts `launcher` with an empty data directory and AOF and saving off, polls PING every 1 ms (a tighter poll
    slows the start it measures on 2 cores) and stops it with SHUTDOWN NOSAVE. Returns (seconds to the first PONG,
    the process's CPU seconds by then, its working directory)."""
    port = free_port()
    wd = tempfile.mkdtemp(prefix="first-ping-")
    t0 = time.perf_counter()
    p = subprocess.Popen([launcher, "--port", str(port), "--appendonly", "no", "--save", ""], cwd=wd, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not ping_once(port):
            if p.poll() is not None:
                raise RuntimeError("%s exited with %s before answering PING" % (launcher, p.returncode))
            time.sleep(0.001)
        wall = time.perf_counter() - t0
        with open("/proc/%d/stat" % p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"SHUTDOWN NOSAVE\r\n")
            s.recv(64)
        p.wait(60)
        return wall, cpu, wd
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


class Server:
    """One server process (redis-server or the Keyline launcher) in its own process group."""

    def __init__(self, kind, label, argv, port, workdir, cpu=None, env=None):
        self.kind, self.label, self.argv, self.port = kind, label, argv, port
        self.workdir, self.cpu, self.env = workdir, cpu, env
        self.proc = None
        self.logpath = os.path.join(workdir, "%s-%d.log" % (kind, port))
        self.spawn_time = None

    def spawn(self):
        argv = list(self.argv)
        if self.cpu is not None:
            argv = ["taskset", "-c", str(self.cpu)] + argv
        self.logf = open(self.logpath, "ab")
        self.spawn_time = time.perf_counter()
        self.proc = subprocess.Popen(argv, cwd=self.workdir, stdout=self.logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     preexec_fn=_set_pdeathsig, env=self.env)
        SERVERS.append(self)
        pidfile = os.environ.get("BENCH_PIDFILE")
        if pidfile:
            with open(pidfile, "a") as f:
                f.write("%d\n" % self.proc.pid)

    def wait_ready(self, timeout):
        """Poll PING in a tight loop; returns seconds from spawn to the first +PONG."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with code %s during start-up; log tail:\n%s"
                                   % (self.label, self.proc.returncode, self.log_tail()))
            if ping_once(self.port, timeout=0.5):
                return time.perf_counter() - self.spawn_time
            # 1 ms between attempts, as bench/startup-ab.py: a 0.5 ms poll made ~400 connection attempts per
            # Keyline start, whose CPU the 2-core machine took from the JVM's start-up threads (0.324 s to the
            # first PONG against 0.304 s with 1 ms and 0.300 s with 5 ms, interleaved, 2026-12-07 16:16).
            time.sleep(0.001)
        raise RuntimeError("%s did not answer PING within %ds; log tail:\n%s" % (self.label, timeout, self.log_tail()))

    def start(self, timeout=120):
        self.spawn()
        return self.wait_ready(timeout)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def server_pid(self):
        """PID of the process that actually serves: the java process for Keyline, if any."""
        if not self.alive():
            return None
        root = self.proc.pid
        cands = [root] + descendants(root)
        for p in cands:
            if os.path.basename(exe_of(p)) == "java":
                return p
        for p in cands:  # redis-server (taskset execs, so it is usually root itself)
            if "redis" in os.path.basename(exe_of(p)):
                return p
        return cands[-1]

    def log_tail(self, n=25):
        try:
            with open(self.logpath, "rb") as f:
                lines = f.read().decode(errors="replace").splitlines()
            return "\n".join("    " + l for l in lines[-n:])
        except OSError:
            return "    (no log)"

    def stop(self, timeout=30):
        if self.proc is None:
            return
        if not stop_group(self.proc, timeout):
            log("%s did not exit on SIGTERM within %ds, killed" % (self.label, timeout))
        try:
            self.logf.close()
        except Exception:
            pass


def cleanup():
    for s in SERVERS:
        try:
            if s.proc is not None and s.proc.poll() is None:
                s.stop(timeout=10)
            else:
                os.killpg(s.proc.pid, signal.SIGKILL)
        except Exception:
            pass


class Interrupted(BaseException):  # not caught by the per-row "except Exception" handlers
    pass


def _on_signal(signum, _frame):
    log("caught signal %d: stopping servers, writing a partial report" % signum)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a second Ctrl-C exits at once (atexit still cleans up)
    raise Interrupted("interrupted by signal %d" % signum)


def cpu_busy(interval=0.3):
    """Machine-wide busy % over interval (steal excluded from 'busy'), from /proc/stat."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        steal = v[7] if len(v) > 7 else 0
        return sum(v[:8]) - idle - steal, sum(v[:8])
    b0, t0 = snap()
    time.sleep(interval)
    b1, t1 = snap()
    return 100.0 * (b1 - b0) / max(1, t1 - t0)


def wait_quiet(max_wait, threshold=25.0):
    """Between runs (our servers idle), wait up to max_wait s for other work on the machine to calm down.
    Returns the last busy % seen."""
    busy = cpu_busy()
    t0 = time.time()
    if busy > threshold and max_wait > 0:
        log("machine is %.0f%% busy with other work; waiting up to %ds for it to drop below %.0f%%"
            % (busy, max_wait, threshold))
        while busy > threshold and time.time() - t0 < max_wait:
            busy = cpu_busy(1.0)
    return busy


# --------------------------------------------------------------------------- server factories

class Env:
    """Everything that decides how the two servers are started."""

    def __init__(self, args, tmp):
        self.args, self.tmp = args, tmp
        self.redis_bin = os.environ.get("REDIS_SERVER", "redis-server")
        self.bench_bin = os.environ.get("REDIS_BENCHMARK", "redis-benchmark")
        self.standin = args.standin
        if self.standin:
            self.b_name = "Keyline(stand-in: redis)"
            self.keyline_cmd = None
        else:
            self.b_name = "Keyline"
            self.keyline_cmd = shlex.split(os.environ.get("KEYLINE_CMD", os.path.join(REPO, "keyline-server")))
        self.keyline_extra = shlex.split(os.environ.get("KEYLINE_EXTRA_ARGS", ""))
        self.keyline_bind = os.environ.get("KEYLINE_BIND", "auto")  # auto | yes | no
        self.keyline_jvm = None  # facts of the JVM the launcher runs (set in main)
        self.keyline_env = None  # inherit: the launcher reads KEYLINE_JAVA / KEYLINE_JAVA_OPTS / JAVA_HOME

    def redis_argv(self, port, extra=()):
        return [self.redis_bin, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--logfile", ""] + list(extra)

    def make(self, which, cpu=None, aof_dir=None, name_suffix=""):
        """which = 'A' (redis) or 'B' (Keyline or its stand-in). aof_dir turns on the AOF in that dir."""
        port = free_port()
        wd = tempfile.mkdtemp(prefix="%s-" % which, dir=self.tmp)
        if which == "A" or self.standin:
            extra = []
            if aof_dir:
                extra = ["--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--dir", aof_dir]
            label = ("Redis" if which == "A" else self.b_name) + name_suffix
            return Server("redis" if which == "A" else "standin", label, self.redis_argv(port, extra), port, wd, cpu)
        argv = self.keyline_cmd + ["--port", str(port)]
        if aof_dir:
            argv += ["--appendonly", "yes", "--dir", aof_dir]
        else:
            argv += ["--appendonly", "no"]
        argv += ["--capacity", "0"]
        if self.keyline_bind in ("auto", "yes"):
            argv += ["--bind", "127.0.0.1"]
        argv += self.keyline_extra
        return Server("keyline", self.b_name + name_suffix, argv, port, wd, cpu, env=self.keyline_env)

    def start(self, which, cpu=None, aof_dir=None, timeout=None):
        """Start a server and wait for PING. For Keyline with KEYLINE_BIND=auto, retry without --bind if
        the launcher rejected it. Returns (server, seconds to first PONG)."""
        timeout = timeout or self.args.start_timeout
        srv = self.make(which, cpu, aof_dir)
        try:
            return srv, srv.start(timeout)
        except RuntimeError as e:
            srv.stop(5)
            if srv.kind == "keyline" and self.keyline_bind == "auto" and "--bind" in srv.argv:
                log("Keyline did not start with --bind 127.0.0.1 (%s); retrying without --bind"
                    % str(e).splitlines()[0])
                self.keyline_bind = "no"
                srv = self.make(which, cpu, aof_dir)
                try:
                    return srv, srv.start(timeout)
                except RuntimeError:
                    srv.stop(5)
                    raise
            raise


# --------------------------------------------------------------------------- redis-benchmark

def parse_benchmark(out, title_prefix):
    """Parse redis-benchmark (non-CSV) output: section whose title starts with title_prefix.
    Returns dict(rps, p50, p99, p999, max) in ops/s and ms, or None."""
    text = out.replace("\r", "\n")
    sections = re.split(r"^====== (.+?) ======\s*$", text, flags=re.M)
    # sections: [pre, title1, body1, title2, body2, ...]
    for i in range(1, len(sections) - 1, 2):
        title, body = sections[i].strip(), sections[i + 1]
        if title == title_prefix or title.startswith(title_prefix + " ") and "needed" not in title:
            m = re.search(r"throughput summary:\s*([\d.]+) requests per second", body)
            if not m:
                continue
            res = {"rps": float(m.group(1))}
            m2 = re.search(r"avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                           r"\s+([\d.]+)\s+([\d.]+)", body)
            if m2:
                res.update(avg=float(m2.group(1)), p50=float(m2.group(3)), p95=float(m2.group(4)),
                           p99=float(m2.group(5)), max=float(m2.group(6)))
            # p99.9: the HdrHistogram percentile listing; value at the first listed percentile >= 99.9
            res["p999"] = None
            for pm in re.finditer(r"^\s*([\d.]+)% <= ([\d.]+) milliseconds", body, flags=re.M):
                if float(pm.group(1)) >= 99.9:
                    res["p999"] = float(pm.group(2))
                    break
            return res
    return None


def run_benchmark(env, srv, wl, clients, pipeline, dsize, n, keyspace, cpu, timeout):
    test, title = WORKLOADS[wl]
    argv = [env.bench_bin, "-h", "127.0.0.1", "-p", str(srv.port), "-c", str(clients), "-n", str(n),
            "-r", str(keyspace), "-d", str(dsize), "-P", str(pipeline), "-t", test]
    if cpu is not None:
        argv = ["taskset", "-c", str(cpu)] + argv
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        out, rc = p.stdout.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.output or b"").decode(errors="replace")
        return {"status": "timeout", "note": "no result within %ds" % timeout, "secs": timeout}
    secs = time.perf_counter() - t0
    if LOG:
        LOG.write("$ %s\n%s\n" % (" ".join(argv), out.replace("\r", "\n")[-1500:]))
    m = re.search(r"Error from server: (.*)", out)
    if m:
        msg = m.group(1).strip()
        um = re.match(r"ERR unknown command '([^']*)'", msg)
        return {"status": "n/a", "note": ("unknown command %s" % um.group(1)) if um else msg[:80], "secs": secs}
    res = parse_benchmark(out, title)
    if rc != 0 or res is None:
        lines = [l for l in out.replace("\r", "\n").splitlines() if l.strip()]
        note = lines[-1][:80] if lines else "rc=%d" % rc
        if not srv.alive():
            return {"status": "crash", "note": "server died (exit %s)" % srv.proc.returncode, "secs": secs}
        return {"status": "error", "note": "rc=%d: %s" % (rc, note), "secs": secs}
    res.update(status="ok", secs=secs)
    return res


def pick(results, how):
    """The reported run: 'best' = highest ops/s; 'median' = middle by ops/s (lower-middle for an even count)."""
    ok = sorted((r for r in results if r.get("status") == "ok"), key=lambda r: r["rps"])
    if not ok:
        return results[0] if results else {"status": "skipped"}
    return ok[-1] if how == "best" else ok[(len(ok) - 1) // 2]


def throughput_section(env, cfg, results, deadline):
    args = env.args
    rows = results["throughput"] = []
    placements = args.placements
    for placement in placements:
        scpu, lcpu = (0, 1) if placement == "pinned" else (None, None)
        log("== throughput, placement=%s: starting servers" % placement)
        A, ta = env.start("A", cpu=scpu)
        B, tb = env.start("B", cpu=scpu)
        servers = {"A": A, "B": B}
        groups = [(50, p, d, cfg["workloads"], args.n if p == 1 else args.n_pipelined) for p, d in cfg["configs"]]
        if "connections" in args.sections:
            groups.append((1000, 1, 3, cfg["conn_workloads"], args.conn_n))
        if args.warmup_requests > 0:
            # Unrecorded warm-up of both servers with every workload measured (a JVM compiles a command's path
            # the first time it runs, on the core the pinned server shares: 0.14-0.41 s of compiler CPU in a
            # first INCR or ZADD run, bench/results/2026-12-07-p1.md), so no row times a cold start.
            warm = []
            for g in groups:
                warm += [wl for wl in g[3] if wl not in warm]
            for s in servers.values():
                for wl in warm:
                    run_benchmark(env, s, wl, 50, 1, 3, args.warmup_requests, args.keyspace, lcpu, 120)
            log("warm-up done (%d requests each of %s per server)" % (args.warmup_requests, ", ".join(warm)))
        for clients, pipeline, dsize, wls, n in groups:
            for s in servers.values():
                try:
                    resp_cmd(s.port, "FLUSHALL")
                except Exception as e:
                    log("FLUSHALL failed on %s: %s" % (s.label, e))
            for wl in wls:
                n_wl = requests_for(wl, n, dsize)
                runs = {"A": [], "B": []}
                busy = wait_quiet(args.max_quiet_wait)
                for rnd in range(args.rounds):
                    for which in ("A", "B"):  # alternate A B A B
                        srv = servers[which]
                        if time.time() > deadline:
                            runs[which].append({"status": "skipped", "note": "time budget"})
                            continue
                        if runs[which] and runs[which][-1]["status"] in ("n/a", "crash", "timeout"):
                            continue  # don't repeat a rejected command / a hang
                        if not srv.alive():
                            log("%s is down, restarting it" % srv.label)
                            srv.stop(5)
                            srv, _ = env.start(which, cpu=scpu)
                            servers[which] = srv
                        timeout = max(args.run_timeout, 60)
                        r = run_benchmark(env, srv, wl, clients, pipeline, dsize, n_wl, args.keyspace, lcpu, timeout)
                        r["round"] = rnd
                        runs[which].append(r)
                        log("%-9s %-10s c=%-4d P=%-2d d=%-4d %-26s %s" % (
                            placement, wl, clients, pipeline, dsize, srv.label,
                            ("%.0f ops/s p50=%s p99=%s p99.9=%s (%.1fs)" % (
                                r["rps"], r.get("p50"), r.get("p99"), r.get("p999"), r["secs"]))
                            if r["status"] == "ok" else "%s: %s" % (r["status"], r.get("note", ""))))
                        if r["status"] == "timeout" and srv.alive():
                            # a hung server would poison every later run: restart it
                            srv.stop(5)
                            srv, _ = env.start(which, cpu=scpu)
                            servers[which] = srv
                row = {"placement": placement, "workload": wl, "clients": clients, "pipeline": pipeline, "busy_before": busy,
                       "dsize": dsize, "n": n_wl, "A": pick(runs["A"], args.pick), "B": pick(runs["B"], args.pick),
                       "runs": runs}
                rows.append(row)
        for s in servers.values():
            s.stop()


# --------------------------------------------------------------------------- loading keys

def key_of(i):
    return b"key:%012d" % i  # 16 bytes


def load_keys(port, count, vsize, batch=1000, start=0):
    """SET key:%012d <value> for count keys over one pipelined socket. Returns seconds."""
    pad = b"x" * max(0, vsize - 16)
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        vhdr = b"$%d\r\n" % vsize
        i = start
        end = start + count
        while i < end:
            j = min(end, i + batch)
            if vsize >= 16:
                payload = b"".join(b"*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n%s%016d%s\r\n" % (key_of(k), vhdr, k, pad)
                                   for k in range(i, j))
            else:
                v = b"v" * vsize
                payload = b"".join(b"*3\r\n$3\r\nSET\r\n$16\r\n%s\r\n%s%s\r\n" % (key_of(k), vhdr, v)
                                   for k in range(i, j))
            s.sendall(payload)
            want, got, buf = j - i, 0, b""
            while got < want:
                chunk = s.recv(65536)
                if not chunk:
                    raise ConnectionError("server closed the connection while loading keys")
                buf += chunk
                got = buf.count(b"\r\n")
            if b"-" in buf:
                err = [l for l in buf.split(b"\r\n") if l.startswith(b"-")]
                if err:
                    raise RespError("SET rejected while loading: %s" % err[0][1:].decode(errors="replace"))
            i = j
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- JVM helpers

def jdk_tool(pid, tool):
    exe = exe_of(pid)
    cand = os.path.join(os.path.dirname(exe), tool) if exe else ""
    if cand and os.path.exists(cand):
        return cand
    return shutil.which(tool)


def run_tool(argv, timeout=180):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode(errors="replace")
    except (subprocess.TimeoutExpired, OSError) as e:
        return -1, str(e)


def jvm_live_bytes(pid):
    """Full GC, then live bytes: total of GC.class_histogram (it forces a full GC itself) and the heap
    'used' figure from GC.heap_info after GC.run. Either may be None."""
    jcmd = jdk_tool(pid, "jcmd")
    if not jcmd:
        return None, None, "jcmd not found"
    rc, out = run_tool([jcmd, str(pid), "GC.class_histogram"])
    live = None
    m = re.search(r"^\s*Total\s+(\d+)\s+(\d+)\s*$", out, flags=re.M)
    if m:
        live = int(m.group(2))
    run_tool([jcmd, str(pid), "GC.run"])
    rc2, out2 = run_tool([jcmd, str(pid), "GC.heap_info"])
    used = parse_heap_used(out2)
    note = "" if live is not None else ("jcmd failed: " + out.strip().splitlines()[-1][:100] if out.strip() else "jcmd failed")
    return live, used, note


def _to_bytes(num, unit):
    return int(float(num) * {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "B": 1}.get(unit.upper(), 1))


def parse_heap_used(out):
    total = 0
    found = False
    for line in out.splitlines():
        l = line.strip()
        if not l or l.lower().startswith(("metaspace", "class space")) or "region size" in l:
            continue
        # G1 / Parallel / Serial: "... total 123K, used 45K [..."  ZGC/Shenandoah: "used 45M"
        m = re.search(r"\bused\s+(\d+(?:\.\d+)?)([KMGB])", l)
        if m and not l.startswith(("from", "to", "eden", "object space")):
            head = l.split()[0].lower()
            total += _to_bytes(m.group(1), m.group(2))
            found = True
            if head in ("garbage-first", "zheap", "shenandoah") or l.lower().startswith("zheap"):
                return total  # single-line totals
    return total if found else None


def jvm_facts(pid):
    """JDK version, GC in use, command line of a running JVM."""
    facts = {"pid": pid, "exe": exe_of(pid), "cmdline": " ".join(cmdline_of(pid)), "cmdline_argv": cmdline_of(pid)}
    rc, out = run_tool([facts["exe"], "-version"], timeout=30) if facts["exe"] else (-1, "")
    facts["java_version"] = " | ".join(l.strip() for l in out.splitlines() if l.strip())[:300]
    jcmd = jdk_tool(pid, "jcmd")
    gc = None
    if jcmd:
        rc, flags = run_tool([jcmd, str(pid), "VM.flags"], timeout=30)
        m = re.findall(r"-XX:\+Use(\w+?)GC\b", flags)
        if m:
            gc = ",".join(sorted(set(m)))
        mx = re.search(r"-XX:MaxHeapSize=(\d+)", flags)
        if mx:
            facts["max_heap_mb"] = int(mx.group(1)) // (1024 * 1024)
        facts["vm_flags"] = flags.strip().splitlines()[-1][:600] if flags.strip() else ""
    facts["gc"] = gc or "unknown"
    return facts


def jstat_gc(pid):
    """(collections, gc seconds) from jstat -gcutil, or None."""
    jstat = jdk_tool(pid, "jstat")
    if not jstat:
        return None
    rc, out = run_tool([jstat, "-gcutil", str(pid)], timeout=30)
    lines = [l.split() for l in out.strip().splitlines() if l.strip()]
    if rc != 0 or len(lines) < 2:
        return None
    h, v = lines[-2], lines[-1]
    d = dict(zip(h, v))
    try:
        count = sum(int(float(d[k])) for k in ("YGC", "FGC", "CGC") if k in d and d[k] != "-")
        secs = float(d["GCT"])
        return count, secs
    except (KeyError, ValueError):
        return None


# --------------------------------------------------------------------------- memory

def redis_used_memory(port):
    info = resp_cmd(port, "INFO", "memory")
    m = re.search(r"^used_memory:(\d+)", info or "", flags=re.M)
    return int(m.group(1)) if m else None


SETTLE_SECS = 10


def settled_rss_kb(pid, rss):
    """VmRSS 10 s after the load (read each second, the last reading kept): a collector returns the heap freed
    after a load to the OS a little later (the launcher's ZGC: a collection when allocation stops, then pages
    unused for a second are uncommitted, over a few seconds), and jemalloc purges dirty pages in the background.
    A "two equal readings" rule stopped on the plateau before the uncommit. Returns (kB, seconds waited)."""
    for _ in range(SETTLE_SECS - 1):
        time.sleep(1.0)
        rss = rss_kb(pid)
    return rss, float(SETTLE_SECS - 1)


def memory_section(env, cfg, results):
    args = env.args
    rows = results["memory"] = []
    for vsize in (16, 1024):
        for which in ("A", "B"):
            name = "Redis" if which == "A" else env.b_name
            row = {"server": name, "keys": args.mem_keys, "vsize": vsize}
            srv = None
            try:
                srv, _ = env.start(which)
                pid = srv.server_pid()
                is_jvm = os.path.basename(exe_of(pid)) == "java"
                time.sleep(0.5)
                if is_jvm:
                    live0, used0, note = jvm_live_bytes(pid)
                rss0 = rss_kb(pid)
                # Both servers' own accounting: Redis's allocator figure, Keyline's estimate (store.Memory),
                # shown beside the JVM's live heap so the report says how true Keyline's estimate is.
                um0 = redis_used_memory(srv.port)
                secs = load_keys(srv.port, args.mem_keys, vsize)
                dbs = resp_cmd(srv.port, "DBSIZE")
                time.sleep(1.0)
                rss1 = rss_kb(pid)
                row.update(load_secs=secs, dbsize=dbs, rss_before_kb=rss0, rss_after_kb=rss1,
                           rss_per_key=(rss1 - rss0) * 1024.0 / args.mem_keys)
                rss2, waited = settled_rss_kb(pid, rss1)
                row.update(rss_settled_kb=rss2, settle_secs=1.0 + waited,
                           rss_settled_per_key=(rss2 - rss0) * 1024.0 / args.mem_keys)
                if um0 is not None:
                    um1 = redis_used_memory(srv.port)
                    row.update(used_memory_per_key=(um1 - um0) / args.mem_keys)
                if is_jvm:
                    live1, used1, note = jvm_live_bytes(pid)
                    row["rss_after_gc_kb"] = rss_kb(pid)
                    if live0 is not None and live1 is not None:
                        row["live_per_key"] = (live1 - live0) / args.mem_keys
                    if used0 is not None and used1 is not None:
                        row["heap_used_per_key"] = (used1 - used0) / args.mem_keys
                    # The keys' own heap: what FLUSHALL frees. The growth above also holds what the load left
                    # elsewhere (network buffer pools grown by the pipelined load, JIT): ~50 B/key at 20k keys.
                    resp_cmd(srv.port, "FLUSHALL", "SYNC")
                    live2, _, _ = jvm_live_bytes(pid)
                    if live1 is not None and live2 is not None:
                        row["data_heap_per_key"] = (live1 - live2) / args.mem_keys
                    if note:
                        row["note"] = note
                if dbs != args.mem_keys:
                    row["note"] = (row.get("note", "") + " DBSIZE=%s, expected %d" % (dbs, args.mem_keys)).strip()
                log("memory %-26s %5d-byte values: RSS %+.1f B/key at +10 s, %+.1f at +1 s%s%s (load %.1fs)" % (
                    name, vsize, row["rss_settled_per_key"], row["rss_per_key"],
                    ", used_memory %.1f B/key" % row["used_memory_per_key"] if "used_memory_per_key" in row else "",
                    ", keys' heap %.1f B/key" % row["data_heap_per_key"] if "data_heap_per_key" in row else "", secs))
            except Exception as e:
                row["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:150])
                if srv is not None and not srv.alive():
                    row["error"] += " (server died, exit %s)" % srv.proc.returncode
                log("memory %s %d-byte values failed: %s" % (name, vsize, row["error"]))
            finally:
                if srv:
                    srv.stop()
            rows.append(row)


# --------------------------------------------------------------------------- start-up

def wait_dbsize(port, expect, timeout):
    """Seconds until DBSIZE == expect (None on timeout), and the last value seen."""
    t0 = time.perf_counter()
    last = None
    while time.perf_counter() - t0 < timeout:
        try:
            last = resp_cmd(port, "DBSIZE", timeout=5)
            if last == expect:
                return time.perf_counter() - t0, last
        except (OSError, RespError, ConnectionError) as e:
            last = str(e)[:60]
        time.sleep(0.002)
    return None, last


def dir_size(path):
    tot = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                tot += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return tot


def embedded_startup(env, starts=20):
    """EmbeddedKeyline started `starts` times in one JVM (io.keyline.jmh.EmbeddedStartup, from
    target/test-classes): the first start, and the median of the later ("warm JVM") ones, each to the
    first PONG on a new connection. Run with the java the launcher runs."""
    kf = env.keyline_jvm or {}
    java = kf.get("exe") if os.path.basename(kf.get("exe", "")) == "java" else "java"
    cp = os.pathsep.join([os.path.join(REPO, "target", "test-classes"), os.path.join(REPO, "target", "keyline-server.jar")])
    row = {"server": env.b_name + " embedded (EmbeddedKeyline, same JVM)", "dataset": "empty", "times": [], "error": None}
    if not os.path.isfile(os.path.join(REPO, "target", "test-classes", "io", "keyline", "jmh", "EmbeddedStartup.class")):
        row["error"] = "target/test-classes missing (mvn -o test-compile)"
        return row
    try:
        out = subprocess.run([java, "-cp", cp, "io.keyline.jmh.EmbeddedStartup", str(starts)], capture_output=True,
                             text=True, timeout=600).stdout
        ms = [float(m) for m in re.findall(r"^start \d+: ([0-9.]+) ms$", out, flags=re.M)]
        if len(ms) < 2:
            raise RuntimeError("no timings in output: %s" % out[-300:])
        row["first"] = ms[0] / 1000.0
        row["times"] = [x / 1000.0 for x in ms[1:]]
        row["note"] = "first start in the JVM %.3f s; the column is starts 2..%d" % (ms[0] / 1000.0, len(ms))
        log("startup embedded: first %.3fs, warm median %.3fs (min %.3fs, max %.3fs)" % (
            row["first"], statistics.median(row["times"]), min(row["times"]), max(row["times"])))
    except Exception as e:
        row["error"] = str(e).splitlines()[0][:150]
        log("startup embedded: n/a (%s)" % row["error"])
    return row


def startup_section(env, cfg, results):
    args = env.args
    rows = results["startup"] = []
    for which in ("A", "B"):
        name = "Redis" if which == "A" else env.b_name
        times, err = [], None
        if which == "B" and not env.standin:
            # One unrecorded start: the launcher writes its class-data sharing archive at the first exit
            # after the jar changed, and every later start (what a user restarting a server sees) uses it.
            srv = None
            try:
                srv, t = env.start(which)
                log("startup %s: unrecorded first start (writes the CDS archive if missing): %.3fs" % (name, t))
            except Exception as e:
                log("startup %s: unrecorded first start failed: %s" % (name, str(e).splitlines()[0][:150]))
            finally:
                if srv:
                    srv.stop()
        for _ in range(args.startup_reps):
            srv = None
            try:
                srv, t = env.start(which)
                times.append(t)
            except Exception as e:
                err = str(e).splitlines()[0][:150]
            finally:
                if srv:
                    srv.stop()
        row = {"server": name, "dataset": "empty", "times": times, "error": err}
        rows.append(row)
        log("startup %-26s empty: %s" % (name, ", ".join("%.3fs" % t for t in times) or err))
        kf = env.keyline_jvm
        if which == "B" and kf and kf.get("cmdline_argv") and os.path.basename(kf.get("exe", "")) == "java":
            # the same java command line the launcher exec'd, without the launcher (its JDK probing etc.)
            times, err = [], None
            for _ in range(args.startup_reps):
                port = free_port()
                argv = list(kf["cmdline_argv"])
                argv[0] = kf["exe"]
                if "--port" in argv:
                    argv[argv.index("--port") + 1] = str(port)
                wd = tempfile.mkdtemp(prefix="B-direct-", dir=env.tmp)
                srv = Server("keyline", name + " (java directly)", argv, port, wd)
                try:
                    times.append(srv.start(args.start_timeout))
                except Exception as e:
                    err = str(e).splitlines()[0][:150]
                finally:
                    srv.stop()
            rows.append({"server": name + " (java command line, no launcher)", "dataset": "empty", "times": times,
                         "error": err})
            log("startup %s java directly, empty: %s" % (name, ", ".join("%.3fs" % t for t in times) or err))
    if not env.standin:
        rows.append(embedded_startup(env))
    if args.aof_keys > 0 and not args.no_aof:
        for which in ("A", "B"):
            name = "Redis" if which == "A" else env.b_name
            row = {"server": name, "dataset": "%d-key AOF" % args.aof_keys, "times": [], "loaded": []}
            aofdir = tempfile.mkdtemp(prefix="aof-%s-" % which, dir=env.tmp)
            srv = None
            try:
                srv, _ = env.start(which, aof_dir=aofdir)
                load_keys(srv.port, args.aof_keys, 16)
                try:
                    cfgaof = resp_cmd(srv.port, "CONFIG", "GET", "appendonly")
                except Exception:
                    cfgaof = None
                time.sleep(1.5)  # let an everysec fsync happen
                srv.stop(timeout=120)
                srv = None
                row["aof_bytes"] = dir_size(aofdir)
                if row["aof_bytes"] == 0:
                    raise RuntimeError("no AOF file written to --dir after loading %d keys and SIGTERM "
                                       "(CONFIG GET appendonly -> %s)" % (args.aof_keys, cfgaof))
                for _ in range(max(1, args.startup_reps)):
                    srv, t = env.start(which, aof_dir=aofdir, timeout=max(120, args.start_timeout))
                    tl, last = wait_dbsize(srv.port, args.aof_keys, 120)
                    srv.stop(timeout=120)
                    srv = None
                    if tl is None:
                        raise RuntimeError("after restart DBSIZE=%s, expected %d" % (last, args.aof_keys))
                    row["times"].append(t)
                    row["loaded"].append(t + tl)
                log("startup %-26s %s (%.1f MB): PONG after %s, all keys after %s" % (
                    name, row["dataset"], row["aof_bytes"] / 1e6, ", ".join("%.3fs" % t for t in row["times"]),
                    ", ".join("%.3fs" % t for t in row["loaded"])))
            except Exception as e:
                row["error"] = "%s" % str(e).splitlines()[0][:160]
                log("startup %s with AOF: n/a (%s)" % (name, row["error"]))
            finally:
                if srv:
                    srv.stop()
                shutil.rmtree(aofdir, ignore_errors=True)
            rows.append(row)


# --------------------------------------------------------------------------- churn

def churn_section(env, cfg, results):
    args = env.args
    java = shutil.which(os.environ.get("CHURN_JAVA", "java"))
    rows = results["churn"] = []
    placement = args.churn_placement
    scpu, lcpu = (0, 1) if placement == "pinned" else (None, None)
    for which in ("A", "B"):
        name = "Redis" if which == "A" else env.b_name
        row = {"server": name, "placement": placement, "rate": args.churn_rate, "duration": args.churn_duration,
               "keys": args.churn_keys, "vsize": 1024}
        srv = None
        try:
            srv, _ = env.start(which, cpu=scpu)
            pid = srv.server_pid()
            is_jvm = os.path.basename(exe_of(pid)) == "java"
            t0 = time.perf_counter()
            # preload with the Java tool (pipelined, 4 connections): 2M x 1 KB takes a while in Python
            pre = [java, "-Xms1g", "-Xmn768m", "-XX:+UseSerialGC", CHURN_SRC, "--port", str(srv.port),
                   "--keys", str(args.churn_keys), "--value-size", "1024", "--preload", "--duration", "0.01",
                   "--warmup", "0", "--rate", "1000"]
            rc, out = run_tool(pre, timeout=900)
            if "preloaded" not in out:
                raise RuntimeError("preload failed: " + out.strip()[-300:])
            row["preload_secs"] = time.perf_counter() - t0
            dbs = resp_cmd(srv.port, "DBSIZE")
            row["dbsize"] = dbs
            row["rss_before_kb"] = rss_kb(pid)
            row["busy_before"] = wait_quiet(args.max_quiet_wait)
            gc0 = jstat_gc(pid) if is_jvm else None
            jpath = os.path.join(env.tmp, "churn-%s.json" % which)
            argv = [java, "-Xms1g", "-Xmn768m", "-XX:+UseSerialGC", CHURN_SRC, "--port", str(srv.port),
                    "--keys", str(args.churn_keys), "--value-size", "1024", "--rate", str(args.churn_rate),
                    "--duration", str(args.churn_duration), "--warmup", str(args.churn_warmup),
                    "--connections", str(args.churn_connections), "--set-ratio", str(args.churn_set_ratio),
                    "--json", jpath]
            if lcpu is not None:
                argv = ["taskset", "-c", str(lcpu)] + argv
            log("churn %s: %d keys loaded in %.1fs, running %gs at %d ops/s" % (
                name, dbs, row["preload_secs"], args.churn_duration, args.churn_rate))
            # a hiccup meter per CPU beside the run: a stall every process on a CPU saw is the machine's, not the server's
            meter = HiccupMeter(range(os.cpu_count() or 1)).start()
            try:
                rc, out = run_tool(argv, timeout=args.churn_duration + args.churn_warmup + 120)
            finally:
                row["hiccup"] = meter.stop()
            if LOG:
                LOG.write("$ %s\n%s\n" % (" ".join(argv), out))
            if not os.path.exists(jpath):
                raise RuntimeError("load generator failed: " + out.strip()[-300:])
            with open(jpath) as f:
                row["result"] = json.load(f)
            row["rss_after_kb"] = rss_kb(pid)
            if is_jvm:
                gc1 = jstat_gc(pid)
                if gc0 and gc1:
                    row["server_gc_count"] = gc1[0] - gc0[0]
                    row["server_gc_secs"] = gc1[1] - gc0[1]
                row["jvm"] = jvm_facts(pid)
            if not srv.alive():
                row["error"] = "server died during churn (exit %s)" % srv.proc.returncode
            r = row["result"]
            log("churn %s: %.0f ops/s, p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms, errors %d/%d" % (
                name, r["achieved_rate"], r["latency_ms"]["p50"], r["latency_ms"]["p99"],
                r["latency_ms"]["p99_9"], r["latency_ms"]["max"], r["error_replies"], r["io_errors"]))
        except Exception as e:
            row["error"] = "%s" % str(e).splitlines()[0][:200] if str(e) else type(e).__name__
            if srv is not None and not srv.alive():
                row["error"] += " (server died, exit %s)" % srv.proc.returncode
            log("churn %s failed: %s" % (name, row["error"]))
        finally:
            if srv:
                srv.stop()
        rows.append(row)


def hiccup_cells(row):
    """The churn table's CPU-stall cell (max lateness of the hiccup meter per CPU, and how many wake-ups were
    >= 10 ms late) and notes matching each request slower than 50 ms with a meter stall at the same time."""
    h = row.get("hiccup")
    if not h:
        return "-", []
    cells, stall_spans = [], []
    for cpu, c in sorted(h.get("cpus", {}).items()):
        if "max_late_ms" not in c:
            cells.append("cpu%s ?" % cpu)
            continue
        cells.append("cpu%s max %.0f ms (%d >= 10 ms)" % (cpu, c["max_late_ms"], c["over_threshold"]))
        stall_spans += [(e["at"], e["at"] + e["ms"] / 1000.0 + 0.001) for e in c.get("events", [])]
    vm = {k: v for k, v in h.get("vmstat_delta", {}).items() if v}
    if vm:
        cells.append(", ".join("%s +%d" % kv for kv in sorted(vm.items())))
    notes = []
    result = row.get("result") or {}
    listed = result.get("slow_request_times", [])
    slow = [s for s in listed if s["ms"] >= 50]
    if slow:
        seen = sum(1 for s in slow
                   if any(a <= s["at"] + s["ms"] / 1000.0 and s["at"] <= b for a, b in stall_spans))
        notes.append("%d requests >= 50 ms, %d of them during a CPU stall the meter saw" % (len(slow), seen))
    if result.get("slow_requests", 0) > len(listed):
        # the load generator lists only the first ones: the note above then covers the start of the run only
        notes.append("only the first %d of %d requests >= 20 ms listed" % (len(listed), result["slow_requests"]))
    return "; ".join(cells), notes


# --------------------------------------------------------------------------- facts

def sh(cmd, timeout=30):
    try:
        return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout).stdout.decode(errors="replace").strip()
    except Exception as e:
        return "?(%s)" % e


def machine_facts(env):
    f = {}
    f["date"] = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    f["cpus"] = os.cpu_count()
    f["cpu_model"] = sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1")
    f["hypervisor"] = sh("lscpu | sed -n 's/^Hypervisor vendor:[[:space:]]*//p' | head -1")
    f["mem"] = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    f["kernel"] = platform.release()
    # The launcher asks for transparent huge pages when these allow it (ZGC's heap: shmem_enabled; G1's: enabled).
    f["thp"] = sh("for k in enabled shmem_enabled defrag; do printf '%s: %s; ' $k "
                  "\"$(cat /sys/kernel/mm/transparent_hugepage/$k 2>/dev/null || echo n/a)\"; done")
    f["os"] = sh(". /etc/os-release 2>/dev/null && echo $PRETTY_NAME")
    f["redis_server"] = sh("%s --version" % shlex.quote(env.redis_bin))
    f["redis_benchmark"] = sh("%s --version" % shlex.quote(env.bench_bin))
    f["loadavg_at_start"] = sh("cat /proc/loadavg")
    f["git"] = sh("git -C %s log -1 --format='%%h %%s' 2>/dev/null || echo '(no commits)'" % shlex.quote(REPO))
    f["keyline_cmd"] = "redis-server (stand-in)" if env.standin else " ".join(env.keyline_cmd)
    f["churn_java"] = sh("java -version 2>&1 | head -1")
    return f


def keyline_facts(env):
    """Start Keyline once (this also lets the launcher build the jar) and read its JVM facts."""
    srv = None
    try:
        srv, t = env.start("B", timeout=env.args.build_timeout)
        pid = srv.server_pid()
        if os.path.basename(exe_of(pid)) == "java":
            facts = jvm_facts(pid)
        else:
            facts = {"pid": pid, "exe": exe_of(pid), "cmdline": " ".join(cmdline_of(pid)), "gc": "n/a (not a JVM)",
                     "java_version": "n/a"}
        facts["first_start_secs"] = t
        facts["launcher_argv"] = " ".join(srv.argv)
        try:
            info = resp_cmd(srv.port, "INFO", "server")
            m = re.search(r"^(\w*version\w*):(.*)$", info or "", flags=re.M)
            facts["info_version"] = ("%s:%s" % (m.group(1), m.group(2).strip())) if m else ""
        except Exception as e:
            facts["info_version"] = "INFO failed: %s" % e
        return facts
    finally:
        if srv:
            srv.stop()


# --------------------------------------------------------------------------- report

def fmt_rps(r):
    if r.get("status") != "ok":
        return r.get("status", "?")
    return "{:,.0f}".format(r["rps"])


def fmt_lat(r):
    if r.get("status") != "ok":
        return "n/a"

    def f(x):
        return "-" if x is None else ("%.3f" % x if x < 10 else "%.1f" % x)
    return "%s / %s / %s" % (f(r.get("p50")), f(r.get("p99")), f(r.get("p999")))


def ratio(a, b):
    if a.get("status") == "ok" and b.get("status") == "ok" and a["rps"] > 0:
        return b["rps"] / a["rps"]
    return None


def vs(d):
    return "1KB" if d == 1024 else "%dB" % d


def render(env, results, facts, kfacts, args, mode):
    B = env.b_name
    L = []
    L.append("# Keyline vs Redis: %s run, %s" % (mode, facts["date"]))
    L.append("")
    L.append("## Machine and software")
    L.append("")
    L.append("| fact | value |")
    L.append("| --- | --- |")
    L.append("| CPU | %s cores, %s%s |" % (facts["cpus"], facts["cpu_model"],
                                         " (%s guest)" % facts["hypervisor"] if facts["hypervisor"] else ""))
    L.append("| memory / kernel / OS | %s / %s / %s |" % (facts["mem"], facts["kernel"], facts["os"]))
    L.append("| transparent huge pages | %s |" % facts.get("thp", "?"))
    L.append("| Redis | %s |" % facts["redis_server"])
    L.append("| load generator | %s; churn: ChurnLoad on %s |" % (facts["redis_benchmark"], facts["churn_java"]))
    L.append("| Keyline command | `%s` |" % facts["keyline_cmd"])
    if kfacts:
        L.append("| Keyline JVM | %s |" % kfacts.get("java_version", "?"))
        L.append("| Keyline GC / max heap | %s / %s MB |" % (kfacts.get("gc", "?"), kfacts.get("max_heap_mb", "?")))
        L.append("| Keyline java command line | `%s` |" % kfacts.get("cmdline", "?")[:400])
        L.append("| Keyline INFO | %s |" % kfacts.get("info_version", ""))
    L.append("| repo commit | %s |" % facts["git"].replace("|", "/"))
    L.append("| load average at start | %s |" % facts["loadavg_at_start"])
    L.append("")
    L.append("Options: `%s`" % " ".join(sys.argv[1:]) if sys.argv[1:] else "Options: (defaults)")
    L.append("")

    if "throughput" in results:
        L.append("## Throughput and latency (redis-benchmark)")
        L.append("")
        L.append("Each cell is the %s of %d alternating rounds (A B A B ...) by ops/s; the latency figures "
                 "are from that same run. Latency is p50 / p99 / p99.9 in ms as reported by redis-benchmark "
                 "(with -P 16 it is the latency of a request inside a pipelined batch). `-r %d` random keys; "
                 "-n = %d unpipelined, %d with -P 16, %d with 1000 clients, at most %d GB of replies per run "
                 "(LRANGE_100 with 1 KB values runs fewer requests). "
                 "Placement *pinned*: both servers `taskset -c 0`, redis-benchmark `taskset -c 1`; *unpinned*: "
                 "no affinity. ratio = %s / Redis ops/s (higher is better for %s)."
                 % (args.pick, args.rounds, args.keyspace, args.n, args.n_pipelined, args.conn_n,
                    REPLY_BYTES_PER_RUN // 1_000_000_000, B, B))
        L.append("")
        L.append("| placement | workload | clients | pipeline | value | Redis ops/s | %s ops/s | ratio | "
                 "Redis p50 / p99 / p99.9 ms | %s p50 / p99 / p99.9 ms |" % (B, B))
        L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for r in results["throughput"]:
            rt = ratio(r["A"], r["B"])
            bcell = fmt_rps(r["B"])
            if r["B"].get("status") not in ("ok", None) and r["B"].get("note"):
                bcell = "%s (%s)" % (r["B"]["status"], r["B"]["note"].replace("|", "/")[:60])
            L.append("| %s | %s%s | %d | %d | %s | %s | %s | %s | %s | %s |" % (
                r["placement"], r["workload"], " ⚠" if (r.get("busy_before") or 0) > 25 else "", r["clients"], r["pipeline"], vs(r["dsize"]), fmt_rps(r["A"]),
                bcell, "%.2f" % rt if rt is not None else "n/a", fmt_lat(r["A"]), fmt_lat(r["B"])))
        L.append("")
        nb = sum(1 for r in results["throughput"] if (r.get("busy_before") or 0) > 25)
        if nb:
            L.append("⚠ = %d rows started while other processes kept the machine more than 25%% busy (after waiting "
                     "up to %ds): treat them with suspicion." % (nb, args.max_quiet_wait))
            L.append("")
        rts = [ratio(r["A"], r["B"]) for r in results["throughput"]]
        rts = [x for x in rts if x]
        if rts:
            gm = 1.0
            for x in rts:
                gm *= x
            gm **= 1.0 / len(rts)
            L.append("Geometric mean of the ratios over the %d rows both servers completed: **%.2f**." % (len(rts), gm))
            L.append("")

    if "memory" in results:
        L.append("## Memory per key")
        L.append("")
        L.append("Fresh server per row; keys `key:%%012d` (16 bytes) set with one pipelined connection. "
                 "RSS = growth of VmRSS from before to after loading, divided by the key count: read 1 s after "
                 "the load, and %d s after it (settled). "
                 "used_memory = the server's own INFO used_memory growth (Redis: its allocator's count; Keyline: "
                 "its estimate, which maxmemory and MEMORY USAGE use: compare it with the keys' heap). Keys' heap = "
                 "what FLUSHALL then frees of the JVM's live objects, per key. Live heap = growth of the JVM's live objects "
                 "(total of `jcmd GC.class_histogram`, which runs a full GC) per key; heap used = `GC.heap_info` "
                 "used after `jcmd GC.run`." % SETTLE_SECS)
        L.append("")
        L.append("| server | keys | value | RSS B/key, +10 s | RSS B/key, +1 s | used_memory B/key | "
                 "JVM keys' heap B/key | JVM live heap B/key | JVM heap used after GC B/key | RSS after load, +10 s | note |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in results["memory"]:
            if r.get("error"):
                L.append("| %s | %d | %s | n/a | | | | | | | %s |" % (r["server"], r["keys"], vs(r["vsize"]),
                                                                r["error"].replace("|", "/")))
                continue

            def g(k):
                return "%.1f" % r[k] if r.get(k) is not None else "-"
            settled = g("rss_settled_per_key")
            L.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.0f MB | %s |" % (
                r["server"], r["keys"], vs(r["vsize"]), settled, g("rss_per_key"), g("used_memory_per_key"),
                g("data_heap_per_key"), g("live_per_key"), g("heap_used_per_key"), r.get("rss_settled_kb", r["rss_after_kb"]) / 1024.0,
                r.get("note", "").replace("|", "/")))
        L.append("")
        L.append("For reference: the key and value bytes alone are %d B/key (16-byte values) and %d B/key "
                 "(1 KB values)." % (32, 16 + 1024))
        L.append("")

    if "startup" in results:
        L.append("## Start-up time")
        L.append("")
        L.append("Seconds from spawning the process (for Keyline: the launcher script) to the first `+PONG` "
                 "on a raw socket polled every 1 ms (a `-LOADING` reply does not count); with an AOF also "
                 "the time until DBSIZE equals the key count. Median of %d starts (all values in brackets)."
                 % args.startup_reps)
        L.append("")
        L.append("| server | dataset | to first PONG (s) | to all keys loaded (s) | AOF size | note |")
        L.append("| --- | --- | ---: | ---: | ---: | --- |")
        for r in results["startup"]:
            t = r.get("times") or []
            ld = r.get("loaded") or []
            med = lambda xs: "%.3f [%s]" % (statistics.median(xs), ", ".join("%.3f" % x for x in xs)) if xs else "n/a"
            L.append("| %s | %s | %s | %s | %s | %s |" % (
                r["server"], r["dataset"], med(t), med(ld) if r["dataset"] != "empty" else "-",
                "%.1f MB" % (r["aof_bytes"] / 1e6) if r.get("aof_bytes") else "-",
                (r.get("error") or r.get("note") or "").replace("|", "/")))
        L.append("")

    if "churn" in results:
        L.append("## Latency under churn (fixed rate, bench/churn/ChurnLoad.java)")
        L.append("")
        c0 = results["churn"][0]
        L.append("%g s measured (after %g s warm-up) at a fixed %d ops/s, %d%% SET / %d%% GET on random keys of a "
                 "%d-key dataset with 1 KB values, %d connections, no pipelining; placement %s. Latency is "
                 "measured from the *intended* send time (coordinated-omission corrected); service time is "
                 "from the actual send. Values in ms."
                 % (args.churn_duration, args.churn_warmup, args.churn_rate, round(args.churn_set_ratio * 100),
                    round(100 - args.churn_set_ratio * 100), args.churn_keys, args.churn_connections, c0["placement"]))
        L.append("")
        L.append("| server | achieved ops/s | p50 | p99 | p99.9 | max | service p50 / p99 / p99.9 / max | "
                 "errors | server GC during run | RSS after | CPU stalls (hiccup meter) | note |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | --- | --- |")
        for r in results["churn"]:
            res = r.get("result")
            if not res:
                L.append("| %s | n/a | | | | | | | | | | %s |" % (r["server"], (r.get("error") or "").replace("|", "/")))
                continue
            lm, sm = res["latency_ms"], res["service_ms"]
            gc = "-"
            if "server_gc_count" in r:
                gc = "%d GCs, %.2f s" % (r["server_gc_count"], r["server_gc_secs"])
            if r.get("jvm"):
                gc = "%s (%s)" % (gc, r["jvm"].get("gc"))
            notes = [r["error"]] if r.get("error") else []
            if (r.get("busy_before") or 0) > 25:
                notes.append("⚠ machine %.0f%% busy with other work just before" % r["busy_before"])
            if res.get("loadgen_gc_count"):
                notes.append("load generator GC'd %d times (%d ms)" % (res["loadgen_gc_count"], res["loadgen_gc_ms"]))
            if res.get("get_misses"):
                notes.append("%d GET misses" % res["get_misses"])
            if res.get("unsent_ops"):
                notes.append("%d scheduled ops never sent (gave up)" % res["unsent_ops"])
            if res.get("completion_s") and res["completion_s"] > res.get("duration_s", 0) * 1.05:
                notes.append("server fell behind: the %gs schedule took %.1fs to complete" % (
                    res["duration_s"], res["completion_s"]))
            stalls, slow_notes = hiccup_cells(r)
            notes += slow_notes
            note = "; ".join(notes)
            L.append("| %s | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f / %.3f / %.3f | %d | %s | %s | %s | %s |" % (
                r["server"], res["achieved_rate"], lm["p50"], lm["p99"], lm["p99_9"], lm["max"], sm["p50"],
                sm["p99"], sm["p99_9"], sm["max"], res["error_replies"] + res["io_errors"], gc,
                "%.0f MB" % (r["rss_after_kb"] / 1024.0) if r.get("rss_after_kb") else "-", stalls, note.strip()))
        L.append("")
        for r in results["churn"]:
            if r.get("jvm"):
                L.append("%s JVM during churn: %s; GC %s; command line: `%s`" % (
                    r["server"], r["jvm"].get("java_version", "?"), r["jvm"].get("gc"), r["jvm"].get("cmdline", "")[:300]))
                L.append("")
    return "\n".join(L) + "\n"


def chart(results, path, bname, title):
    """Clustered bar chart of the ratio per workload, one panel per placement. Needs gnuplot."""
    if "throughput" not in results or not shutil.which("gnuplot"):
        return None
    rows = results["throughput"]
    placements = sorted({r["placement"] for r in rows}, key=lambda p: 0 if p == "unpinned" else 1)
    series = []
    for r in rows:
        key = (r["clients"], r["pipeline"], r["dsize"])
        if key not in series:
            series.append(key)
    sname = lambda k: "c%d%s %s" % (k[0], " P%d" % k[1] if k[1] > 1 else "", vs(k[2]))
    datadir = tempfile.mkdtemp(prefix="chart-")
    files = []
    for p in placements:
        wls = []
        for r in rows:
            if r["placement"] == p and r["workload"] not in wls:
                wls.append(r["workload"])
        fn = os.path.join(datadir, "%s.dat" % p)
        with open(fn, "w") as f:
            f.write("workload " + " ".join('"%s"' % sname(s) for s in series) + "\n")
            for w in wls:
                vals = []
                for s in series:
                    rr = [r for r in rows if r["placement"] == p and r["workload"] == w and
                          (r["clients"], r["pipeline"], r["dsize"]) == s]
                    x = ratio(rr[0]["A"], rr[0]["B"]) if rr else None
                    vals.append("%.4f" % x if x is not None else "NaN")
                f.write("%s %s\n" % (w, " ".join(vals)))
        files.append((p, fn))
    gp = os.path.join(datadir, "chart.gp")
    n = len(files)
    with open(gp, "w") as f:
        f.write('set terminal pngcairo noenhanced size 1400,%d font "sans,10"\n' % (420 * n + 40))
        f.write('set output "%s"\n' % path)
        f.write("set multiplot layout %d,1 title \"%s\"\n" % (n, title.replace('"', "'")))
        f.write("set style data histograms\nset style histogram clustered gap 1\n")
        f.write("set style fill solid 0.85 border -1\nset boxwidth 0.9\n")
        allr = [ratio(r["A"], r["B"]) for r in rows]
        ymax = max([x for x in allr if x] + [1.0]) * 1.15
        f.write("set key outside right top vertical\nset grid ytics\nset yrange [0:%.2f]\n" % ymax)
        f.write("set datafile missing 'NaN'\nset xtics rotate by -30 nomirror\n")
        f.write('set ylabel "%s / Redis ops/s"\n' % bname)
        for p, fn in files:
            f.write('set title "placement: %s"\n' % p)
            cols = ", ".join("'%s' using %d:xtic(1) title columnheader(%d)" % (fn, i + 2, i + 2)
                             if i == 0 else "'' using %d title columnheader(%d)" % (i + 2, i + 2)
                             for i in range(len(series)))
            f.write("plot %s, 1 with lines lw 2 lc rgb 'black' title 'parity'\n" % cols)
        f.write("unset multiplot\n")
    rc, out = run_tool(["gnuplot", gp], timeout=60)
    if rc != 0:
        log("gnuplot failed: %s" % out.strip()[-300:])
        return None
    shutil.rmtree(datadir, ignore_errors=True)
    return path


# --------------------------------------------------------------------------- main

def main():
    global LOG
    ap = argparse.ArgumentParser(description="Compare Keyline with redis-server (see bench/README.md).")
    ap.add_argument("--quick", action="store_true", help="smoke run: tiny counts, a few workloads")
    ap.add_argument("--standin", action="store_true",
                    help="use a second redis-server as 'Keyline' (A/A test of the harness, or while Keyline is missing)")
    ap.add_argument("--sections", default="throughput,connections,memory,startup,churn",
                    help="comma list from throughput,connections,memory,startup,churn")
    ap.add_argument("--workloads", help="comma list from: " + ",".join(ALL_WORKLOADS))
    ap.add_argument("--configs", help="comma list of PIPELINE:VALUESIZE, e.g. 1:3,16:1024")
    ap.add_argument("--placements", default="unpinned,pinned", help="unpinned,pinned")
    ap.add_argument("--rounds", type=int, help="alternating rounds per workload (>= 2)")
    ap.add_argument("--pick", choices=["best", "median"], default="best",
                    help="which round to report: best (highest ops/s, default) or median (lower-middle)")
    ap.add_argument("-n", "--n", type=int, help="requests per unpipelined run")
    ap.add_argument("--n-pipelined", type=int, help="requests per -P 16 run")
    ap.add_argument("--conn-n", type=int, help="requests per 1000-client run")
    ap.add_argument("--warmup-requests", type=int, help="unrecorded requests of each workload per server before the "
                    "throughput runs of each placement (default 50000 full, 2000 quick)")
    ap.add_argument("--keyspace", type=int, default=1000000, help="redis-benchmark -r")
    ap.add_argument("--run-timeout", type=int, default=120, help="seconds before one redis-benchmark run is abandoned")
    ap.add_argument("--mem-keys", type=int)
    ap.add_argument("--aof-keys", type=int)
    ap.add_argument("--no-aof", action="store_true", help="skip the start-up-with-AOF measurement")
    ap.add_argument("--startup-reps", type=int)
    ap.add_argument("--churn-rate", type=int)
    ap.add_argument("--churn-duration", type=float)
    ap.add_argument("--churn-warmup", type=float)
    ap.add_argument("--churn-keys", type=int)
    ap.add_argument("--churn-connections", type=int, default=8)
    ap.add_argument("--churn-set-ratio", type=float, default=0.5)
    ap.add_argument("--churn-placement", choices=["pinned", "unpinned"], default="pinned")
    ap.add_argument("--start-timeout", type=int, default=60, help="seconds for a server to answer PING")
    ap.add_argument("--build-timeout", type=int, default=900, help="seconds for Keyline's first start (jar build)")
    ap.add_argument("--budget-min", type=float, help="throughput runs stop (marked skipped) after this many minutes")
    ap.add_argument("--max-quiet-wait", type=int, help="seconds to wait, before each workload, for other CPU "
                    "load on the machine to drop below 25%% (default 20 full, 0 quick)")
    ap.add_argument("--out-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--label", default="", help="appended to the result file names")
    ap.add_argument("--keep-tmp", action="store_true")
    args = ap.parse_args()

    cfg = dict(QUICK if args.quick else FULL)
    mode = "quick" if args.quick else "full"
    if args.workloads:
        bad = [w for w in args.workloads.split(",") if w.upper() not in WORKLOADS]
        if bad:
            ap.error("unknown workload(s): %s" % ",".join(bad))
        cfg["workloads"] = [w.upper() for w in args.workloads.split(",")]
    if args.configs:
        cfg["configs"] = [tuple(int(x) for x in c.split(":")) for c in args.configs.split(",")]
    for k in ("n", "n_pipelined", "rounds", "conn_n", "mem_keys", "aof_keys", "startup_reps", "churn_rate",
              "churn_duration", "churn_warmup", "churn_keys", "budget_min"):
        if getattr(args, k) is None:
            setattr(args, k, cfg[k])
    if args.warmup_requests is None:
        args.warmup_requests = 2000 if args.quick else 50000
    if args.max_quiet_wait is None:
        args.max_quiet_wait = 0 if args.quick else 20
    args.sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    args.placements = [p.strip() for p in args.placements.split(",") if p.strip()]
    if args.rounds < 2:
        log("note: fewer than 2 rounds requested; the issue asks for at least 2")
    if any(p not in ("pinned", "unpinned") for p in args.placements):
        ap.error("--placements takes unpinned and/or pinned")

    # environment checks, with install hints
    for tool, hint in (("redis-server", "apt-get install -y redis-server"),
                       ("redis-benchmark", "apt-get install -y redis-tools"),
                       ("taskset", "apt-get install -y util-linux"),
                       ("java", "apt-get install -y openjdk-17-jdk-headless")):
        name = {"redis-server": os.environ.get("REDIS_SERVER", tool),
                "redis-benchmark": os.environ.get("REDIS_BENCHMARK", tool)}.get(tool, tool)
        if not shutil.which(name):
            die("%s not found (install: %s)" % (name, hint))
    if not shutil.which("gnuplot"):
        log("gnuplot not found: no chart (install: apt-get install -y gnuplot-nox)")
    if "pinned" in args.placements and (os.cpu_count() or 1) < 2:
        die("pinned placement needs 2 CPUs")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096
    if soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536, hard))
        except (ValueError, OSError):
            pass
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if "connections" in args.sections and soft < 1100:
        log("WARNING: open-file limit is %d; 1000-client runs need ~1100 (raise the hard limit: ulimit -Hn)" % soft)

    tmp = tempfile.mkdtemp(prefix="keyline-bench-")
    env = Env(args, tmp)
    if not env.standin:
        exe = env.keyline_cmd[0]
        if not (os.path.exists(exe) or shutil.which(exe)):
            die("Keyline launcher %s not found. Set KEYLINE_CMD, or use --standin to run redis-server vs "
                "redis-server." % exe)

    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    os.makedirs(args.out_dir, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    base = os.path.join(args.out_dir, "%s-%s%s" % (stamp, mode, ("-" + args.label) if args.label else ""))
    LOG = open(base + ".log", "w")
    log("mode=%s, results -> %s.{md,png,json,log}, scratch %s" % (mode, base, tmp))

    facts = machine_facts(env)
    kfacts = None
    if not env.standin:
        log("starting Keyline once (builds the jar if needed, reads JVM facts) ...")
        try:
            kfacts = keyline_facts(env)
            env.keyline_jvm = kfacts
            log("Keyline up after %.1fs: %s, GC %s" % (kfacts["first_start_secs"], kfacts.get("java_version", "")[:80],
                                                       kfacts.get("gc")))
        except Exception as e:
            die("Keyline does not start: %s" % e)

    results = {}
    deadline = time.time() + args.budget_min * 60
    interrupted = False
    sections = [("throughput", throughput_section), ("memory", memory_section),
                ("startup", startup_section), ("churn", churn_section)]
    if "connections" in args.sections and "throughput" not in args.sections:
        # connections-only: run the throughput machinery with just the 1000-client group
        cfg["configs"], cfg["workloads"] = [], []
        args.sections.append("throughput")
    for name, fn in sections:
        if name not in args.sections:
            continue
        t0 = time.time()
        try:
            if name == "throughput":
                fn(env, cfg, results, deadline)
            else:
                fn(env, cfg, results)
        except Interrupted as e:
            results.setdefault("errors", []).append("%s: %s; report is partial" % (name, e))
            interrupted = True
        except Exception as e:
            log("section %s aborted: %s: %s" % (name, type(e).__name__, e))
            results.setdefault("errors", []).append("%s: %s" % (name, e))
        log("section %s took %.0fs" % (name, time.time() - t0))
        results.setdefault("sections", []).append({"name": name, "secs": time.time() - t0,
                                                   "loadavg_end": sh("cat /proc/loadavg")})
        cleanup_now = [s for s in SERVERS if s.alive()]
        for s in cleanup_now:
            s.stop(10)
        if interrupted:
            break

    # The measurements first: a rendering error must not lose a run of many minutes.
    with open(base + ".json", "w") as f:
        json.dump({"facts": facts, "keyline": kfacts, "args": {k: v for k, v in vars(args).items()},
                   "results": results}, f, indent=1, default=str)
    md = render(env, results, facts, kfacts, args, mode)
    if results.get("errors"):
        md += "\n## Errors\n\n" + "\n".join("- " + e for e in results["errors"]) + "\n"
    png = chart(results, base + ".png", env.b_name,
                "%s / Redis throughput ratio (%s run, %s)" % (env.b_name, mode, facts["date"]))
    if png:
        md += "\n![ratio chart](%s)\n" % os.path.basename(png)
    md += "\nTotal harness time: %.1f minutes. Section times and load average at their end (other work on the " \
          "machine skews results): %s.\n" % ((time.time() - T_START) / 60, "; ".join(
              "%s %.0fs [%s]" % (x["name"], x["secs"], " ".join(x["loadavg_end"].split()[:3]))
              for x in results.get("sections", [])))
    with open(base + ".md", "w") as f:
        f.write(md)
    print(md)
    log("wrote %s.md%s, %s.json and %s.log" % (base, ", %s" % png if png else "", base, base))
    if not args.keep_tmp:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
