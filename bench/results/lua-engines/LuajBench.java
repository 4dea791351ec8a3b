import org.luaj.vm2.*;
import org.luaj.vm2.lib.*;
import org.luaj.vm2.lib.jse.*;
import java.util.*;
public class LuajBench {
  static HashMap<String,Long> ks = new HashMap<>();
  public static void main(String[] a) throws Exception {
    long t0=System.nanoTime();
    Globals g = JsePlatform.standardGlobals();
    LuaTable redis = new LuaTable();
    redis.set("call", new VarArgFunction(){ public Varargs invoke(Varargs args){
      byte[] cmd = args.checkstring(1).m_bytes; // binary-safe
      LuaString k = args.checkstring(2);
      String key = k.tojstring();
      if (args.checkjstring(1).equalsIgnoreCase("INCR")) { long v = ks.merge(key,1L,Long::sum); return LuaValue.valueOf(v);} 
      return LuaValue.ONE; }});
    g.set("redis", redis);
    LuaValue f = g.load("redis.call('INCR',KEYS[1]); redis.call('EXPIRE',KEYS[1],100)", "@user_script");
    LuaTable keys = new LuaTable(); keys.set(1, LuaValue.valueOf("k".getBytes()));
    g.set("KEYS", keys);
    f.call();
    System.out.printf("first use (globals+compile+run) ms: %.1f%n",(System.nanoTime()-t0)/1e6);
    for (int r=0;r<3;r++){ long s=System.nanoTime(); int n=1_000_000; for(int i=0;i<n;i++) f.call(); double secs=(System.nanoTime()-s)/1e9; System.out.printf("calls/s: %.0f%n", n/secs);} 
    // fidelity
    String[] exprs = {"tostring(1/3)","tostring(2^53)","string.format('%.17g',0.1)","tostring(100)","tostring(1e15)","tostring(-0.0)", "type(unpack)", "type(loadstring)","tostring(3.0)"};
    for (String e: exprs) { try { System.out.println(e+" => "+g.load("return "+e).call().tojstring()); } catch(Exception ex){System.out.println(e+" => ERR "+ex.getMessage());} }
    try { g.load("local x = nil; return x.y","@user_script").call(); } catch (LuaError ex) { System.out.println("err => "+ex.getMessage()); }
    try { g.load("error('boom')","@user_script").call(); } catch (LuaError ex) { System.out.println("err => "+ex.getMessage()); }
    // memory of 10000 compiled scripts
    System.gc(); Thread.sleep(200); System.gc(); Runtime rt=Runtime.getRuntime(); long m0=rt.totalMemory()-rt.freeMemory();
    List<LuaValue> keep=new ArrayList<>(); for(int i=0;i<10000;i++) keep.add(g.load("return redis.call('GET',KEYS[1]) .. '"+i+"'","@user_script"));
    System.gc(); Thread.sleep(200); System.gc(); long m1=rt.totalMemory()-rt.freeMemory();
    System.out.printf("10000 scripts: %.1f MB (%d B/script)%n",(m1-m0)/1e6,(m1-m0)/10000); System.out.println(keep.size());
  }
}
