import sys, subprocess, collections, re
f, comm, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = subprocess.run(["perf","script","-i",f,"-F","comm,tid,ip,sym,dso"], capture_output=True, text=True).stdout
samples=[]; cur=None
for line in out.splitlines():
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if not line.startswith((' ','\t')):
        cur={'comm':line.split()[0],'frames':[]}
    else:
        parts=line.strip().split(None,1)
        cur['frames'].append(parts[1] if len(parts)>1 else '')
if cur: samples.append(cur)
sel=[s for s in samples if s['comm'].startswith(comm)]
us_per_sample=1e6/2999
cat=collections.Counter(); top=collections.Counter()
for s in sel:
    fr=s['frames']; leaf=fr[0] if fr else ''
    kern='kernel.kallsyms' in leaf
    sysc=None
    for x in fr:
        m=re.search(r'(__x64_sys_\w+|do_softirq|asm_exc_page_fault|asm_sysvec\w+|schedule\b)',x)
        if m: sysc=m.group(1); break
    if kern: cat['kernel:'+(sysc or 'other')]+=1
    else:
        d=re.search(r'\(([^)]*)\)\s*$',leaf); d=d.group(1) if d else '?'
        cat['user:'+d.split('/')[-1][:40]]+=1
    top[re.sub(r'\+0x[0-9a-f]+','',leaf)[:110]]+=1
print(f"{comm}: {len(sel)} samples = {len(sel)*us_per_sample/n:.2f} us/req")
for k,v in cat.most_common(25): print(f"  {k:50s} {v*us_per_sample/n:6.2f} us/req")
print("top leaves:")
for k,v in top.most_common(int(sys.argv[4]) if len(sys.argv)>4 else 40): print(f"  {v*us_per_sample/n:6.3f}  {k}")
