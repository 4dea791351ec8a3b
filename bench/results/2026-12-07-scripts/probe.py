import sys, os, time, subprocess, socket
sys.path.insert(0, "/work/main/bench")
import compare as C
port = C.free_port()
env = dict(os.environ)
env["KEYLINE_JAVA_OPTS"] = os.environ.get("OPTS", "-XX:NativeMemoryTracking=summary")
env["KEYLINE_CDS_DIR"] = "/proc/nonexistent/x"
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
r0 = rss()
secs = C.load_keys(port, 1000000, 16)
print("load %.1fs" % secs)
for t in range(1, 13):
    time.sleep(1)
    print("+%ds rss growth %.1f B/key" % (t, (rss() - r0) * 1024 / 1e6))
jcmd = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd"
print(subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True).stdout)
print(subprocess.run([jcmd, str(pid), "VM.native_memory", "summary"], capture_output=True, text=True).stdout[:6000])
p.terminate(); p.wait()
