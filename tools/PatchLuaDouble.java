import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step (process-classes, run by exec-maven-plugin with the JDK's source launcher): writes a copy of LuaJ
 * 3.0.1's {@code org.luaj.vm2.LuaDouble} into target/classes whose {@code tojstring()} calls
 * {@code io.keyline.scripting.LuaNumberText.format(double)} (Lua 5.1's "%.14g") instead of LuaJ's own text
 * ({@code Float.toString}, so {@code 1/3 .. ''} gave "0.33333334" and {@code 2^53 .. ''} "9007199254740992").
 * Every number-to-string conversion in LuaJ (the VM's concatenation, the string library, table.concat, tostring)
 * goes through that method, so patching it is the one place that restores 5.1's text. LuaJ is MIT-licensed;
 * the patched class is a build product only (target/classes comes before the LuaJ jar on every class path, and the
 * shade plugin leaves the jar's copy out).
 *
 * <p>The patch overwrites the first eight bytes of the method's code with
 * {@code aload_0; getfield v; invokestatic LuaNumberText.format(D); areturn}. LuaDouble is class-file version 47
 * (no StackMapTable; the old type-inferring verifier ignores the unreachable rest), so nothing else changes
 * except four constant-pool entries appended for the new method reference.
 *
 * <p>Usage: {@code java tools/PatchLuaDouble.java <luaj-jse.jar> <target/classes>}
 */
public final class PatchLuaDouble {
    private static final String ENTRY = "org/luaj/vm2/LuaDouble.class";
    private static final String OWNER = "io/keyline/scripting/LuaNumberText";
    private static final String NAME = "format";
    private static final String DESC = "(D)Ljava/lang/String;";

    public static void main(String[] args) throws IOException {
        byte[] in;
        try (ZipFile jar = new ZipFile(args[0])) {
            ZipEntry e = jar.getEntry(ENTRY);
            if (e == null) throw new IllegalStateException(ENTRY + " not in " + args[0]);
            try (InputStream s = jar.getInputStream(e)) {
                in = s.readAllBytes();
            }
        }
        Path out = Path.of(args[1], ENTRY);
        Files.createDirectories(out.getParent());
        Files.write(out, patch(in));
    }

    static byte[] patch(byte[] cls) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(cls);
        if (b.getInt() != 0xCAFEBABE) throw new IllegalStateException("not a class file");
        b.getShort();
        int major = b.getShort() & 0xFFFF;
        if (major >= 50) throw new IllegalStateException("class version " + major + " has stack maps; patch not safe");
        int cpCountPos = b.position();
        int count = b.getShort() & 0xFFFF;
        String[] utf8 = new String[count];
        int[] ref1 = new int[count];
        int[] ref2 = new int[count];
        int[] tag = new int[count];
        for (int i = 1; i < count; i++) {
            int t = b.get() & 0xFF;
            tag[i] = t;
            switch (t) {
                case 1 -> {
                    int len = b.getShort() & 0xFFFF;
                    byte[] s = new byte[len];
                    b.get(s);
                    utf8[i] = new String(s, java.nio.charset.StandardCharsets.UTF_8);
                }
                case 3, 4 -> b.getInt();
                case 5, 6 -> { b.getLong(); i++; }
                case 7, 8, 16, 19, 20 -> ref1[i] = b.getShort() & 0xFFFF;
                case 9, 10, 11, 12, 17, 18 -> { ref1[i] = b.getShort() & 0xFFFF; ref2[i] = b.getShort() & 0xFFFF; }
                case 15 -> { b.get(); b.getShort(); }
                default -> throw new IllegalStateException("constant tag " + t);
            }
        }
        int cpEnd = b.position();
        // The field v:D, read by the new code.
        int fieldRef = 0;
        for (int i = 1; i < count; i++) {
            if (tag[i] == 9 && "v".equals(utf8[ref1[ref2[i]]]) && "D".equals(utf8[ref2[ref2[i]]])) fieldRef = i;
        }
        if (fieldRef == 0) throw new IllegalStateException("field v:D not found");
        // Appended constants: Utf8 owner, Class, Utf8 name, Utf8 desc, NameAndType, Methodref.
        int base = count;
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(extra);
        d.writeByte(1); d.writeUTF(OWNER);
        d.writeByte(7); d.writeShort(base);
        d.writeByte(1); d.writeUTF(NAME);
        d.writeByte(1); d.writeUTF(DESC);
        d.writeByte(12); d.writeShort(base + 2); d.writeShort(base + 3);
        d.writeByte(10); d.writeShort(base + 1); d.writeShort(base + 4);
        int methodRef = base + 5;

        // Walk to the methods and find tojstring()Ljava/lang/String;'s code.
        b.position(cpEnd);
        b.getShort(); b.getShort(); b.getShort();
        int interfaces = b.getShort() & 0xFFFF;
        b.position(b.position() + 2 * interfaces);
        skipMembers(b);
        int methods = b.getShort() & 0xFFFF;
        int codeStart = -1;
        for (int m = 0; m < methods; m++) {
            b.getShort();
            String name = utf8[b.getShort() & 0xFFFF];
            String desc = utf8[b.getShort() & 0xFFFF];
            int attrs = b.getShort() & 0xFFFF;
            for (int a = 0; a < attrs; a++) {
                String an = utf8[b.getShort() & 0xFFFF];
                int len = b.getInt();
                if ("Code".equals(an) && "tojstring".equals(name) && "()Ljava/lang/String;".equals(desc)) {
                    int codeLen = b.getInt(b.position() + 4);
                    if (codeLen < 8) throw new IllegalStateException("tojstring too short");
                    codeStart = b.position() + 8;
                }
                b.position(b.position() + len);
            }
        }
        if (codeStart < 0) throw new IllegalStateException("tojstring() not found");
        byte[] outCls = new byte[cls.length + extra.size()];
        System.arraycopy(cls, 0, outCls, 0, cpEnd);
        System.arraycopy(extra.toByteArray(), 0, outCls, cpEnd, extra.size());
        System.arraycopy(cls, cpEnd, outCls, cpEnd + extra.size(), cls.length - cpEnd);
        ByteBuffer o = ByteBuffer.wrap(outCls);
        o.putShort(cpCountPos, (short) (count + 6));
        int c = codeStart + extra.size();
        o.put(c, (byte) 0x2A);                      // aload_0
        o.put(c + 1, (byte) 0xB4);                  // getfield v:D
        o.putShort(c + 2, (short) fieldRef);
        o.put(c + 4, (byte) 0xB8);                  // invokestatic LuaNumberText.format(D)
        o.putShort(c + 5, (short) methodRef);
        o.put(c + 7, (byte) 0xB0);                  // areturn
        return outCls;
    }

    private static void skipMembers(ByteBuffer b) {
        int n = b.getShort() & 0xFFFF;
        for (int i = 0; i < n; i++) {
            b.position(b.position() + 6);
            int attrs = b.getShort() & 0xFFFF;
            for (int a = 0; a < attrs; a++) {
                b.getShort();
                int len = b.getInt();
                b.position(b.position() + len);
            }
        }
    }
}
