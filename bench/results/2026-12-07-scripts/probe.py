import sys, os, time, subprocess, socket
sys.path.insert(0, "/work/main/bench")
import compare as C
port = C.free_port()
env = dict(os.environ)
env["KEYLINE_JAVA_OPTS"] = os.environ.get("OPTS", "-XX:NativeMemoryTracking=summary")
if not os.environ.get("CDS"): env["KEYLINE_CDS_DIR"] = "/proc/nonexistent/x"
p = subprocess.Popen(["/work/main/keyline-server", "--port", str(port), "--appendonly", "no", "--save", "", "--loglevel", "debug", "-c", "0"],
                     env=env, stdout=open("/tmp/memx/server.log", "w"), stderr=subprocess.STDOUT)
for _ in range(200):
    try:
        if C.ping_once(port): break
        time.sleep(0.05)
    except Exception: time.sleep(0.05)
time.sleep(0.5)
pid = int(subprocess.check_output(["pgrep", "-f", "port %d" % port]).split()[0])
def rss(): return C.rss_kb(pid)
if os.environ.get("JCMD"): print("pre-load jcmd live/used:", C.jvm_live_bytes(pid)[:2])
r0 = rss()
def smaps():
    out = {}; cur = None
    for l in open(f"/proc/{pid}/smaps"):
        parts = l.split()
        if "-" in parts[0] and len(parts) >= 5 and ":" in parts[3]:
            name = parts[5] if len(parts) > 5 else "[anon]"
            cur = name if not name.startswith("/memfd") else "memfd"
            if cur == "[anon]": cur = "anon"
        elif parts[0] == "Rss:":
            out[cur] = out.get(cur, 0) + int(parts[1])
    return out
s0 = smaps()
subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd", str(pid), "VM.native_memory", "baseline"], capture_output=True)
secs = C.load_keys(port, 1000000, 16)
print("load %.1fs" % secs)
for t in range(1, 13):
    time.sleep(1)
    print("+%ds rss growth %.1f B/key" % (t, (rss() - r0) * 1024 / 1e6))
s1 = smaps()
for k in sorted(set(s0)|set(s1), key=lambda k: -(s1.get(k,0)-s0.get(k,0)))[:8]: print("smaps %-40s %+8d kB" % (k, s1.get(k,0)-s0.get(k,0)))
jcmd = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd"
print(subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True).stdout)
print(subprocess.run([jcmd, str(pid), "VM.native_memory", "summary.diff"], capture_output=True, text=True).stdout[:6000])
p.terminate(); p.wait()
