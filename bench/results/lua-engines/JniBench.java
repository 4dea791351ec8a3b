import party.iroiro.luajava.*;
import party.iroiro.luajava.lua51.*;
import java.util.*;
import java.nio.*;
public class JniBench {
  static HashMap<String,Long> ks = new HashMap<>();
  public static void main(String[] a) throws Exception {
    long t0=System.nanoTime();
    Lua L = new Lua51();
    L.openLibraries();
    L.createTable(0,2);
    L.push(l -> { ByteBuffer cmd = l.toBuffer(1); String key = l.toString(2);
       byte c0 = cmd.get(0);
       if (c0=='I') { long v = ks.merge(key,1L,Long::sum); l.push(v); } else l.push(1L);
       return 1; });
    L.setField(-2,"call");
    L.setGlobal("redis");
    L.createTable(1,0); L.push("k"); L.rawSetI(-2,1); L.setGlobal("KEYS");
    L.load("redis.call('INCR',KEYS[1]); redis.call('EXPIRE',KEYS[1],100)");
    int ref = L.ref();
    L.refGet(ref); L.pCall(0,0);
    System.out.printf("first use (native load+state+compile+run) ms: %.1f%n",(System.nanoTime()-t0)/1e6);
    for (int r=0;r<3;r++){ long s=System.nanoTime(); int n=300_000; for(int i=0;i<n;i++){ L.refGet(ref); L.pCall(0,0);} double secs=(System.nanoTime()-s)/1e9; System.out.printf("calls/s: %.0f%n", n/secs);} 
    String[] exprs = {"tostring(1/3)","tostring(2^53)","string.format('%.17g',0.1)","tostring(1e15)","type(unpack)"};
    for (String e: exprs) { L.run("__r = "+e); L.getGlobal("__r"); System.out.println(e+" => "+L.toString(-1)); L.pop(1);} 
    try { L.load(ByteBuffer.allocateDirect(40).put("local x = nil; return x.y".getBytes()).flip(),"@user_script"); L.pCall(0,0);} catch (LuaException ex){ System.out.println("err => "+ex.getMessage()); }
    long m0 = memKb(L);
    for(int i=0;i<10000;i++){ L.load("return redis.call('GET',KEYS[1]) .. '"+i+"'"); L.ref(); }
    long m1 = memKb(L);
    System.out.printf("10000 scripts: %.1f MB in Lua heap (%d B/script)%n",(m1-m0)/1024.0,(m1-m0)*1024/10000);
  }
  static long memKb(Lua L) throws Exception { L.run("collectgarbage('collect'); __m = collectgarbage('count')"); L.getGlobal("__m"); long v=(long)L.toNumber(-1); L.pop(1); return v; }
}
