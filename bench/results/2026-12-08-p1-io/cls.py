import sys, subprocess, collections, re
f, comm, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = subprocess.run(["perf","script","-i",f,"-F","comm,ip,sym,dso"], capture_output=True, text=True).stdout
c=collections.Counter(); leafc=collections.Counter()
cur=None
def done(s):
    if not s or not s[0].startswith(comm): return
    fr=s[1]
    if not fr: return
    if any('kernel.kallsyms' in x for x in fr[:1]): k='kernel'
    elif any(('Dispatcher.process' in x) or ('Dispatcher.execute' in x) for x in fr): k='user: command (under Dispatcher.process)'
    elif any('RespParser' in x for x in fr): k='user: parser'
    else:
        k='user: I/O path and loop'
        leafc[re.sub(r'\+0x[0-9a-f]+','',fr[0])[:120]]+=1
    c[k]+=1
for line in out.splitlines():
    if not line.strip():
        done(cur); cur=None; continue
    if not line.startswith((' ','\t')): cur=(line.split()[0],[])
    else: cur[1].append(line.strip().split(None,1)[1] if len(line.strip().split(None,1))>1 else '')
done(cur)
u=1e6/2999/n
for k,v in c.most_common(): print(f"{v*u:6.2f} us/req  {k}")
print("I/O-path user leaves:")
for k,v in leafc.most_common(int(sys.argv[4]) if len(sys.argv)>4 else 25): print(f"  {v*u:6.3f}  {k}")
