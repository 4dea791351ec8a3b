import json, subprocess, sys, collections
# Used by bench/results/2026-12-08-get-lpop-p16.md. Summarises a get-lpop-jitprobe.sh output dir: python3 THIS DIR [TOP]
d = sys.argv[1]
ev = json.loads(subprocess.run(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr", "print", "--json", "--events", "jdk.Compilation,jdk.Deoptimization", d + "/rec.jfr"], capture_output=True, text=True).stdout)["recording"]["events"]
times = []
for line in open(d + "/times"):
    p = line.split()
    if len(p) == 3: times.append((p[0], p[2], p[1]))
wins = {}
for name, kind, t in times:
    wins.setdefault(name, {})[kind] = t
def hms(s): return s[11:23]
def dur(x):
    # "PT0.012345S"
    return float(x[2:-1]) if x.endswith("S") and "M" not in x else 0
for name, w in wins.items():
    rows = collections.defaultdict(lambda: [0, 0.0, 0, 0])
    deopts = collections.Counter()
    tot = 0.0
    seen = set()
    for e in ev:
        key0 = (e["type"], e["values"]["startTime"], str(e["values"].get("compileId")), str(e["values"].get("bci")))
        if key0 in seen: continue
        seen.add(key0)
        st = hms(e["values"]["startTime"])
        if not (w["start"] <= st <= w["end"]): continue
        v = e["values"]
        if e["type"] == "jdk.Compilation":
            m = v["method"]; key = f'{m["type"]["name"].split(".")[-1]}.{m["name"]} L{v["compileLevel"]}'
            r = rows[key]; r[0] += 1; r[1] += dur(v["duration"]); r[2] = max(r[2], v["inlinedBytes"]); r[3] = v["codeSize"]
            tot += dur(v["duration"])
        else:
            m = v["method"]
            deopts[f'{m["type"]["name"].split(".")[-1]}.{m["name"]} bci{v["bci"]} {v["reason"]} {v["action"]}'] += 1
    print(f"== {name}: compile wall time total {tot*1000:.0f} ms")
    for k, r in sorted(rows.items(), key=lambda kv: -kv[1][1])[:int(sys.argv[2]) if len(sys.argv) > 2 else 15]:
        print(f"  {r[1]*1000:7.1f} ms x{r[0]} {k} inlined={r[2]} code={r[3]}")
    for k, c in deopts.most_common(25):
        print(f"  deopt x{c} {k}")
