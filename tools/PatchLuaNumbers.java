import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Build step (process-classes, run with the JDK's source launcher): writes copies of LuaJ 3.0.1's number classes
 * and of its compiler's FuncState and LuaError into target/classes, five methods and a constant changed to Lua 5.1's behaviour. LuaJ is MIT-licensed; the patched classes are
 * build products only (target/classes comes before the LuaJ jar on every class path, and the shade plugin leaves
 * the jar's copies out).
 * <ul>
 *   <li>{@code LuaDouble.tojstring()} calls {@code io.keyline.scripting.LuaNumberText.format(double)} (5.1's
 *       "%.14g") instead of LuaJ's own text ({@code Float.toString}: {@code 1/3 .. ''} gave "0.33333334"). Every
 *       number-to-string conversion (concatenation, the string library, table.concat, tostring) goes through it.
 *   <li>{@code LuaDouble.valueOf(double)} asks {@code LuaNumberText.isLuaInteger(double)} whether the value may
 *       become a {@code LuaInteger}: LuaJ turned every whole double into one, so -0 (5.1 keeps the double, and
 *       prints "-0") became 0.
 *   <li>{@code LuaInteger.neg()} negates as a double ({@code -(double) v}, through {@code LuaDouble.valueOf}), so
 *       {@code -0} is the double -0 as in 5.1; every other result is the same number as LuaJ's long negation.
 *   <li>{@code FuncState.numberK(LuaValue)} (the compiler's numeric constants, after constant folding of
 *       {@code -0} or {@code 0/-1}) normalises through {@code LuaDouble.valueOf} instead of its own whole-number
 *       check, so a folded -0 stays a double.
 *   <li>{@code LuaDouble}'s NaN constant (the result of 0/0, {@code LuaDouble.NAN}) gets x86's default NaN bits,
 *       sign set, as C's 0/0 on the machines Redis runs on, so {@code tostring(0/0)} is "-nan" and
 *       {@code tostring(-(0/0))} "nan" (the JVM's {@code dneg} flips the sign bit).
 *   <li>{@code LuaError.getMessage()} writes the position as Lua 5.1 does ({@code "user_script:1: x"}, through
 *       {@code io.keyline.scripting.LuaErrorText.message}) instead of LuaJ's {@code "@user_script:1 x"}: the text
 *       {@code pcall} gives a script.
 * </ul>
 *
 * <p>Each patch overwrites the start of the method's code and leaves the rest (now unreachable, or the target of
 * the new code's branch) as it was. The classes are class-file version 47 (no StackMapTable; the old
 * type-inferring verifier ignores unreachable code), so nothing else changes except constant-pool entries appended
 * for new references. Any difference in LuaJ's layout (class version, a method's code length, a constant) stops
 * the build.
 *
 * <p>Usage: {@code java tools/PatchLuaNumbers.java <luaj-jse.jar> <target/classes>}
 */
public final class PatchLuaNumbers {
    private static final String TEXT = "io/keyline/scripting/LuaNumberText";
    private static final int NOP = 0x00, ALOAD_0 = 0x2A, DLOAD_0 = 0x26, D2I = 0x8E, I2D = 0x87, DNEG = 0x77,
            GETFIELD = 0xB4, INVOKESTATIC = 0xB8, IFEQ = 0x99, ARETURN = 0xB0, ALOAD_1 = 0x2B, ASTORE_1 = 0x4C,
            INSTANCEOF = 0xC1, INVOKEVIRTUAL = 0xB6;

    public static void main(String[] args) throws IOException {
        try (ZipFile jar = new ZipFile(args[0])) {
            ClassFile dbl = ClassFile.read(jar, "org/luaj/vm2/LuaDouble");
            int v = dbl.field("org/luaj/vm2/LuaDouble", "v", "D");
            dbl.patch("tojstring", "()Ljava/lang/String;", 8, code(
                    ALOAD_0, GETFIELD, u2(v), INVOKESTATIC, u2(dbl.methodRef(TEXT, "format", "(D)Ljava/lang/String;")),
                    ARETURN));
            // if (LuaNumberText.isLuaInteger(d)) return LuaInteger.valueOf((int) d); else the original's
            // "new LuaDouble(d)" at 17.
            int integerValueOf = dbl.methodRef("org/luaj/vm2/LuaInteger", "valueOf", "(I)Lorg/luaj/vm2/LuaInteger;");
            dbl.expectCode("valueOf", "(D)Lorg/luaj/vm2/LuaNumber;", 17, 0xBB); // new LuaDouble
            dbl.patch("valueOf", "(D)Lorg/luaj/vm2/LuaNumber;", 17, code(
                    DLOAD_0, INVOKESTATIC, u2(dbl.methodRef(TEXT, "isLuaInteger", "(D)Z")), IFEQ, u2(13),
                    DLOAD_0, D2I, INVOKESTATIC, u2(integerValueOf), ARETURN, NOP, NOP, NOP, NOP));
            // x86's default NaN (what 0/0 and inf-inf give in C, printed "-nan" by glibc) has the sign bit set;
            // LuaJ's NaN constant (0/0 in LuaDouble.ddiv and dmod, LuaDouble.NAN) is Java's positive Double.NaN.
            dbl.setNaNConstants(0xFFF8000000000000L);
            dbl.write(Path.of(args[1]));

            ClassFile integer = ClassFile.read(jar, "org/luaj/vm2/LuaInteger");
            int iv = integer.field("org/luaj/vm2/LuaInteger", "v", "I");
            integer.patch("neg", "()Lorg/luaj/vm2/LuaValue;", 10, code(
                    ALOAD_0, GETFIELD, u2(iv), I2D, DNEG,
                    INVOKESTATIC, u2(integer.methodRef("org/luaj/vm2/LuaDouble", "valueOf", "(D)Lorg/luaj/vm2/LuaNumber;")),
                    ARETURN));
            integer.write(Path.of(args[1]));

            // The compiler's constants: LuaJ turned whole doubles into LuaIntegers with its own check; now through
            // the patched LuaDouble.valueOf. Bytes 0-6 (instanceof LuaDouble, else to 30) stay; 30 is addk.
            ClassFile funcState = ClassFile.read(jar, "org/luaj/vm2/compiler/FuncState");
            funcState.expectCode("numberK", "(Lorg/luaj/vm2/LuaValue;)I", 30, ALOAD_0);
            funcState.patch("numberK", "(Lorg/luaj/vm2/LuaValue;)I", 30, code(
                    ALOAD_1, INSTANCEOF, u2(funcState.classRef("org/luaj/vm2/LuaDouble")), IFEQ, u2(26),
                    ALOAD_1, INVOKEVIRTUAL, u2(funcState.methodRef("org/luaj/vm2/LuaValue", "todouble", "()D")),
                    INVOKESTATIC, u2(funcState.methodRef("org/luaj/vm2/LuaDouble", "valueOf", "(D)Lorg/luaj/vm2/LuaNumber;")),
                    ASTORE_1, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP));
            funcState.write(Path.of(args[1]));

            // LuaError.getMessage(): bytes 0-22 (the traceback if any, null without a message) stay; from 23 the
            // position and message are LuaErrorText.message(fileline, m), up to the original "return m" at 57.
            ClassFile error = ClassFile.read(jar, "org/luaj/vm2/LuaError");
            String getMessage = "()Ljava/lang/String;";
            error.expectCode("getMessage", getMessage, 23, ALOAD_0);
            error.expectCode("getMessage", getMessage, 57, ALOAD_1);
            byte[] position = new byte[57 - 23];
            byte[] call = code(ALOAD_0, GETFIELD, u2(error.field("org/luaj/vm2/LuaError", "fileline", "Ljava/lang/String;")),
                    ALOAD_1, INVOKESTATIC,
                    u2(error.methodRef("io/keyline/scripting/LuaErrorText", "message", "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;")),
                    ARETURN);
            System.arraycopy(call, 0, position, 0, call.length); // the rest: NOPs up to 57
            error.patchAt("getMessage", getMessage, 23, position);
            error.write(Path.of(args[1]));
        }
    }

    private static int[] u2(int index) {
        return new int[]{index >> 8 & 0xFF, index & 0xFF};
    }

    /** Bytes from opcodes (ints) and two-byte operands ({@link #u2} arrays). */
    private static byte[] code(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) out.write(i);
            else for (int b : (int[]) p) out.write(b);
        }
        return out.toByteArray();
    }

    /** Just enough of a class file: its constant pool (to look up and append entries) and its methods' code. */
    private static final class ClassFile {
        private final String name;
        private final byte[] bytes;
        private final int cpCountPos;
        private final int cpEnd;
        private final String[] utf8;
        private final int[] tag;
        private final int[] ref1;
        private final int[] ref2;
        private final int[] valuePos;
        private int count;
        private final ByteArrayOutputStream appended = new ByteArrayOutputStream();
        private final List<String> appendedKeys = new ArrayList<>();
        private final List<Runnable> codeEdits = new ArrayList<>();

        private ClassFile(String name, byte[] bytes) {
            this.name = name;
            this.bytes = bytes;
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.getInt() != 0xCAFEBABE) throw new IllegalStateException(name + ": not a class file");
            b.getShort();
            int major = b.getShort() & 0xFFFF;
            if (major >= 50) throw new IllegalStateException(name + ": class version " + major + " has stack maps; patch not safe");
            cpCountPos = b.position();
            count = b.getShort() & 0xFFFF;
            utf8 = new String[count];
            tag = new int[count];
            ref1 = new int[count];
            ref2 = new int[count];
            valuePos = new int[count];
            for (int i = 1; i < count; i++) {
                int t = b.get() & 0xFF;
                tag[i] = t;
                valuePos[i] = b.position();
                switch (t) {
                    case 1 -> {
                        byte[] s = new byte[b.getShort() & 0xFFFF];
                        b.get(s);
                        utf8[i] = new String(s, StandardCharsets.UTF_8);
                    }
                    case 3, 4 -> b.getInt();
                    case 5, 6 -> { b.getLong(); i++; }
                    case 7, 8, 16, 19, 20 -> ref1[i] = b.getShort() & 0xFFFF;
                    case 9, 10, 11, 12, 17, 18 -> { ref1[i] = b.getShort() & 0xFFFF; ref2[i] = b.getShort() & 0xFFFF; }
                    case 15 -> { b.get(); b.getShort(); }
                    default -> throw new IllegalStateException(name + ": constant tag " + t);
                }
            }
            cpEnd = b.position();
        }

        static ClassFile read(ZipFile jar, String name) throws IOException {
            var e = jar.getEntry(name + ".class");
            if (e == null) throw new IllegalStateException(name + " not in " + jar.getName());
            try (InputStream s = jar.getInputStream(e)) {
                return new ClassFile(name, s.readAllBytes());
            }
        }

        private boolean refersTo(int ref, String owner, String member, String desc) {
            return utf8[ref1[ref1[ref]]].equals(owner) && utf8[ref1[ref2[ref]]].equals(member)
                    && utf8[ref2[ref2[ref]]].equals(desc);
        }

        /** The index of an existing Fieldref. */
        int field(String owner, String member, String desc) {
            for (int i = 1; i < count; i++) if (tag[i] == 9 && refersTo(i, owner, member, desc)) return i;
            throw new IllegalStateException(name + ": no field " + owner + "." + member + ":" + desc);
        }

        /** Gives every NaN Double constant the raw bits {@code bits}; fails if the pool has none. */
        void setNaNConstants(long bits) {
            int changed = 0;
            for (int i = 1; i < utf8.length; i++) {
                if (tag[i] == 6 && Double.isNaN(ByteBuffer.wrap(bytes).getDouble(valuePos[i]))) {
                    ByteBuffer.wrap(bytes).putLong(valuePos[i], bits);
                    changed++;
                }
            }
            if (changed == 0) throw new IllegalStateException(name + ": no NaN constant");
        }

        /** The index of an existing Class constant. */
        int classRef(String owner) {
            for (int i = 1; i < utf8.length; i++) if (tag[i] == 7 && utf8[ref1[i]].equals(owner)) return i;
            throw new IllegalStateException(name + ": no class constant " + owner);
        }

        /** The index of a Methodref, appended if the pool has none. */
        int methodRef(String owner, String member, String desc) {
            for (int i = 1; i < utf8.length; i++) if (tag[i] == 10 && refersTo(i, owner, member, desc)) return i;
            String key = owner + "." + member + desc;
            int known = appendedKeys.indexOf(key);
            if (known >= 0) return count - 6 * (appendedKeys.size() - known) + 5;
            try {
                DataOutputStream d = new DataOutputStream(appended);
                int base = count;
                d.writeByte(1); d.writeUTF(owner);
                d.writeByte(7); d.writeShort(base);
                d.writeByte(1); d.writeUTF(member);
                d.writeByte(1); d.writeUTF(desc);
                d.writeByte(12); d.writeShort(base + 2); d.writeShort(base + 3);
                d.writeByte(10); d.writeShort(base + 1); d.writeShort(base + 4);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            appendedKeys.add(key);
            count += 6;
            return count - 1;
        }

        /** The offset in {@link #bytes} of a method's code, checked to be exactly {@code length} bytes long. */
        private int codeOffset(String method, String desc, int length) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.position(cpEnd + 6);
            int interfaces = b.getShort() & 0xFFFF;
            b.position(b.position() + 2 * interfaces);
            skipMembers(b);
            int methods = b.getShort() & 0xFFFF;
            for (int m = 0; m < methods; m++) {
                b.getShort();
                String n = utf8[b.getShort() & 0xFFFF];
                String d = utf8[b.getShort() & 0xFFFF];
                int attrs = b.getShort() & 0xFFFF;
                for (int a = 0; a < attrs; a++) {
                    String an = utf8[b.getShort() & 0xFFFF];
                    int len = b.getInt();
                    if (an.equals("Code") && n.equals(method) && d.equals(desc)) {
                        int codeLength = b.getInt(b.position() + 4);
                        if (codeLength < length) {
                            throw new IllegalStateException(name + "." + method + ": code is " + codeLength + " bytes");
                        }
                        return b.position() + 8;
                    }
                    b.position(b.position() + len);
                }
            }
            throw new IllegalStateException(name + ": no method " + method + desc);
        }

        /** Fails unless the byte at {@code at} in the method's code is {@code opcode} (where a patch ends). */
        void expectCode(String method, String desc, int at, int opcode) {
            if ((bytes[codeOffset(method, desc, at + 1) + at] & 0xFF) != opcode) {
                throw new IllegalStateException(name + "." + method + ": unexpected code at " + at);
            }
        }

        /** Overwrites the first {@code newCode.length} bytes of the method's code (at least {@code minLength}). */
        void patch(String method, String desc, int minLength, byte[] newCode) {
            patchAt(method, desc, 0, Math.max(minLength, newCode.length), newCode);
        }

        /** Overwrites the method's code from {@code start} (an instruction boundary, as the end must be). */
        void patchAt(String method, String desc, int start, byte[] newCode) {
            patchAt(method, desc, start, start + newCode.length, newCode);
        }

        private void patchAt(String method, String desc, int start, int minLength, byte[] newCode) {
            int at = codeOffset(method, desc, minLength) + start;
            codeEdits.add(() -> System.arraycopy(newCode, 0, bytes, at, newCode.length));
        }

        void write(Path classes) throws IOException {
            codeEdits.forEach(Runnable::run);
            byte[] extra = appended.toByteArray();
            byte[] out = new byte[bytes.length + extra.length];
            System.arraycopy(bytes, 0, out, 0, cpEnd);
            System.arraycopy(extra, 0, out, cpEnd, extra.length);
            System.arraycopy(bytes, cpEnd, out, cpEnd + extra.length, bytes.length - cpEnd);
            ByteBuffer.wrap(out).putShort(cpCountPos, (short) count);
            Path file = classes.resolve(name + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, out);
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
}
