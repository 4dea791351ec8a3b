package io.keyline.commands;

import io.keyline.engine.Args;
import io.keyline.engine.CallContext;
import io.keyline.engine.CommandSpec.Flag;
import io.keyline.engine.CommandTable;
import io.keyline.engine.Errors;
import io.keyline.engine.Handler;
import io.keyline.engine.KeySpec;
import io.keyline.engine.RedisException;
import io.keyline.pubsub.KeyspaceEvents;
import io.keyline.store.Database;
import io.keyline.store.MutableString;
import io.keyline.store.Strings;

import java.util.ArrayList;
import java.util.List;

/**
 * Bitmap commands, ported from Redis's src/bitops.c (7.2): SETBIT, GETBIT, BITCOUNT, BITPOS,
 * BITOP, BITFIELD and BITFIELD_RO, with Redis's error texts. Writes (SETBIT, BITFIELD SET/INCRBY)
 * change the string in place as a {@link MutableString} (amortised growth, as sds does); reads use
 * {@link Strings#array}/{@link Strings#length} without copying.
 */
final class BitmapCommands {
    static final String BIT_OFFSET_ERR = "ERR bit offset is not an integer or out of range";
    static final String BIT_VALUE_ERR = "ERR bit is not an integer or out of range";
    static final String BITFIELD_TYPE_ERR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private BitmapCommands() {
    }

    private static final int BITFIELD_WRITE_FLAGS = KeySpec.bits("RW access update");
    private static final int BITFIELD_READ_FLAGS = KeySpec.bits("RO access");

    /** BITFIELD's key only reads when every subcommand is GET (Redis's bitfieldGetKeys). */
    static int bitfieldKeyFlags(byte[][] argv) {
        for (int i = 2; i < argv.length; i++) {
            if (Args.is(argv[i], "set") || Args.is(argv[i], "incrby")) return BITFIELD_WRITE_FLAGS;
        }
        return BITFIELD_READ_FLAGS;
    }

    static void register(CommandTable t) {
        t.command("setbit", 4).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("bitmap").group("bitmap")
                .doc("Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.", "2.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update"))
                .handler(Op.SETBIT);
        t.command("getbit", 3).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("bitmap").group("bitmap")
                .doc("Returns a bit value by offset.", "2.2.0", "O(1)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.GETBIT);
        t.command("bitcount", -2).flags(Flag.READONLY).keys(1, 1, 1).acl("bitmap").group("bitmap")
                .doc("Counts the number of set bits (population counting) in a string.", "2.6.0", "O(N)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.BITCOUNT);
        t.command("bitpos", -3).flags(Flag.READONLY).keys(1, 1, 1).acl("bitmap").group("bitmap")
                .doc("Finds the first set (1) or clear (0) bit in a string.", "2.8.7", "O(N)")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.BITPOS);
        t.command("bitop", -4).flags(Flag.WRITE, Flag.DENYOOM).keys(2, -1, 1).acl("bitmap").group("bitmap")
                .doc("Performs bitwise operations on multiple strings, and stores the result.", "2.6.0", "O(N)")
                .keySpec(KeySpec.index(2).range(0, 1, 0).flags("OW update"))
                .keySpec(KeySpec.index(3).range(-1, 1, 0).flags("RO access"))
                .handler(Op.BITOP);
        t.command("bitfield", -2).flags(Flag.WRITE, Flag.DENYOOM).keys(1, 1, 1).acl("bitmap").group("bitmap")
                .doc("Performs arbitrary bitfield integer operations on strings.", "3.2.0", "O(1) for each subcommand specified")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RW access update variable_flags")
                        .notes("This command allows both access and modification of the key")
                        .actualFlags(KeyFlags.BITFIELD))
                .handler(Op.BITFIELD);
        t.command("bitfield_ro", -2).flags(Flag.READONLY, Flag.FAST).keys(1, 1, 1).acl("bitmap").group("bitmap")
                .doc("Performs arbitrary read-only bitfield integer operations on strings.", "6.0.0", "O(1) for each subcommand specified")
                .keySpec(KeySpec.index(1).range(0, 1, 0).flags("RO access"))
                .handler(Op.BITFIELD_RO);
    }

    // ---- arguments ----------------------------------------------------------------------------

    /** Redis's getBitOffsetFromArgument: a bit offset, {@code #n} meaning n * bits when {@code hash}. */
    static long bitOffset(CallContext c, byte[] arg, boolean hash, int bits) {
        boolean useHash = hash && bits > 0 && arg.length > 0 && arg[0] == '#';
        long offset;
        try {
            byte[] digits = useHash ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg;
            offset = Args.toLong(digits, BIT_OFFSET_ERR);
            if (useHash) offset = Math.multiplyExact(offset, (long) bits);
        } catch (ArithmeticException e) {
            throw new RedisException(BIT_OFFSET_ERR);
        }
        long maxBytes = c.server().config().getLong("proto-max-bulk-len");
        if (offset < 0 || (offset >>> 3) >= maxBytes) throw new RedisException(BIT_OFFSET_ERR);
        return offset;
    }

    private static boolean isBitUnit(byte[] arg) {
        if (Args.is(arg, "bit")) return true;
        if (Args.is(arg, "byte")) return false;
        throw Errors.syntax();
    }

    // ---- SETBIT / GETBIT ----------------------------------------------------------------------

    /** SETBIT key offset value */
    static void setbit(CallContext c, byte[][] argv) {
        long offset = bitOffset(c, argv[2], false, 0);
        long on = Args.toLong(argv[3], BIT_VALUE_ERR);
        if ((on & ~1L) != 0) throw new RedisException(BIT_VALUE_ERR);
        Database db = c.db();
        int byteIndex = (int) (offset >>> 3);
        int bit = 7 - (int) (offset & 7);
        MutableString m = db.mutableStringForWrite(argv[1]);
        int oldBit = m != null && byteIndex < m.length() ? (m.buffer()[byteIndex] >> bit) & 1 : 0;
        boolean grows = m == null || byteIndex >= m.length();
        if (grows) m = grow(db, argv[1], m, byteIndex + 1);
        if (grows || oldBit != on) {
            byte[] buf = m.buffer();
            if (on == 1) buf[byteIndex] |= (byte) (1 << bit);
            else buf[byteIndex] &= (byte) ~(1 << bit);
            c.modified(argv[1]);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "setbit", argv[1]);
        }
        c.reply.integer(oldBit);
    }

    /**
     * Redis's lookupStringForBitCommand: the string {@code m} (null = absent: created and stored)
     * grown in place to at least {@code length} bytes, zero padded, its growth accounted.
     */
    private static MutableString grow(Database db, byte[] key, MutableString m, int length) {
        try {
            if (m == null) {
                m = MutableString.of(null);
                m.ensureLength(length);
                db.set(key, m, Database.NO_TTL);
            } else {
                long before = m.estimatedBytes();
                m.ensureLength(length);
                db.resized(before, m.estimatedBytes());
            }
            return m;
        } catch (OutOfMemoryError e) {
            throw new RedisException(Errors.OOM);
        }
    }

    /** GETBIT key offset */
    static void getbit(CallContext c, byte[][] argv) {
        long offset = bitOffset(c, argv[2], false, 0);
        Object v = StringCommands.string(c.db(), argv[1]);
        long byteIndex = offset >>> 3;
        int bit = 7 - (int) (offset & 7);
        c.reply.integer(v != null && byteIndex < Strings.length(v) ? (Strings.array(v)[(int) byteIndex] >> bit) & 1 : 0);
    }

    // ---- BITCOUNT / BITPOS --------------------------------------------------------------------

    /** BITCOUNT key [start end [BYTE | BIT]] */
    static void bitcount(CallContext c, byte[][] argv) {
        byte[] s;
        int slen = 0;
        long start;
        long end;
        int firstMask = 0;
        int lastMask = 0;
        if (argv.length == 4 || argv.length == 5) {
            start = Args.toLong(argv[2]);
            end = Args.toLong(argv[3]);
            boolean isBit = argv.length == 5 && isBitUnit(argv[4]);
            Object sv = StringCommands.string(c.db(), argv[1]);
            s = Strings.array(sv); // no copy: a MutableString's buffer, the first slen bytes
            slen = Strings.length(sv);
            long totlen = slen;
            if (start < 0 && end < 0 && start > end) {
                c.reply.integer(0);
                return;
            }
            if (isBit) totlen <<= 3;
            if (start < 0) start = totlen + start;
            if (end < 0) end = totlen + end;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= totlen) end = totlen - 1;
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (argv.length == 2) {
            Object sv = StringCommands.string(c.db(), argv[1]);
            s = Strings.array(sv); // no copy: a MutableString's buffer, the first slen bytes
            slen = Strings.length(sv);
            start = 0;
            end = slen - 1;
        } else {
            throw Errors.syntax();
        }
        if (s == null || start > end) {
            c.reply.integer(0);
            return;
        }
        long count = popcount(s, (int) start, (int) end);
        if (firstMask != 0) count -= Integer.bitCount(s[(int) start] & firstMask);
        if (lastMask != 0) count -= Integer.bitCount(s[(int) end] & lastMask);
        c.reply.integer(count);
    }

    /** Big-endian 8-byte views of a byte[]: bit 0 of a string is the top bit of its first word. */
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** Set bits in s[from..toInclusive], 8 bytes per step (Redis's redisPopcount does the same in words). */
    static long popcount(byte[] s, int from, int toInclusive) {
        long count = 0;
        int i = from;
        for (int last = toInclusive - 7; i <= last; i += 8) count += Long.bitCount((long) LONGS.get(s, i));
        for (; i <= toInclusive; i++) count += Integer.bitCount(s[i] & 0xFF);
        return count;
    }

    /** BITPOS key bit [start [end [BYTE | BIT]]] */
    static void bitpos(CallContext c, byte[][] argv) {
        long bit = Args.toLong(argv[2]);
        if (bit != 0 && bit != 1) throw new RedisException("ERR The bit argument must be 1 or 0.");
        byte[] s;
        int slen = 0;
        long startBit;
        long endBit;
        boolean endGiven = false;
        if (argv.length >= 4 && argv.length <= 6) {
            long start = Args.toLong(argv[3]);
            boolean isBit = argv.length == 6 && isBitUnit(argv[5]);
            long end = 0;
            if (argv.length >= 5) {
                end = Args.toLong(argv[4]);
                endGiven = true;
            }
            Object sv = StringCommands.string(c.db(), argv[1]);
            s = Strings.array(sv); // no copy: a MutableString's buffer, the first slen bytes
            slen = Strings.length(sv);
            long totlen = slen;
            if (!endGiven) end = isBit ? (totlen << 3) + 7 : totlen - 1;
            if (isBit) totlen <<= 3;
            if (start < 0) start = totlen + start;
            if (end < 0) end = totlen + end;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= totlen) end = totlen - 1;
            if (isBit) {
                startBit = start;
                endBit = end;
            } else {
                startBit = start << 3;
                endBit = (end << 3) + 7;
                if (start > end) endBit = startBit - 1;
            }
        } else if (argv.length == 3) {
            Object sv = StringCommands.string(c.db(), argv[1]);
            s = Strings.array(sv); // no copy: a MutableString's buffer, the first slen bytes
            slen = Strings.length(sv);
            startBit = 0;
            endBit = s == null ? -1 : ((long) slen << 3) - 1;
        } else {
            throw Errors.syntax();
        }
        if (s == null) {
            c.reply.integer(bit == 1 ? -1 : 0);
            return;
        }
        if (startBit > endBit) {
            c.reply.integer(-1);
            return;
        }
        long pos = findBit(s, startBit, endBit, (int) bit);
        if (pos < 0 && bit == 0 && !endGiven) pos = ((endBit >>> 3) + 1) << 3; // zero padded on the right
        c.reply.integer(pos);
    }

    /**
     * The first bit equal to {@code bit} in [from, to], -1 if none. As redisBitpos: single bits up to a
     * byte boundary, then 64 bits per step (a word that is all 0s, or all 1s when looking for 0, is
     * skipped whole; otherwise the leading-zero count names the bit), then the remaining bits.
     */
    static long findBit(byte[] s, long from, long to, int bit) {
        long i = from;
        for (; i <= to && (i & 7) != 0; i++) {
            if (((s[(int) (i >>> 3)] >> (7 - (int) (i & 7))) & 1) == bit) return i;
        }
        long skip = bit == 1 ? 0L : -1L;
        for (; i + 63 <= to; i += 64) {
            long w = (long) LONGS.get(s, (int) (i >>> 3));
            if (w != skip) return i + Long.numberOfLeadingZeros(bit == 1 ? w : ~w);
        }
        for (; i <= to; i++) {
            if (((s[(int) (i >>> 3)] >> (7 - (int) (i & 7))) & 1) == bit) return i;
        }
        return -1;
    }

    // ---- BITOP --------------------------------------------------------------------------------

    /** BITOP AND | OR | XOR | NOT destkey key [key ...] */
    static void bitop(CallContext c, byte[][] argv) {
        String op = Args.lower(argv[1]);
        if (!op.equals("and") && !op.equals("or") && !op.equals("xor") && !op.equals("not")) throw Errors.syntax();
        if (op.equals("not") && argv.length != 4) {
            throw new RedisException("ERR BITOP NOT must be called with a single source key.");
        }
        Database db = c.db();
        int n = argv.length - 3;
        byte[][] src = new byte[n][];
        int maxlen = 0;
        for (int j = 0; j < n; j++) {
            src[j] = Strings.bytes(StringCommands.string(db, argv[j + 3]));
            if (src[j] != null) maxlen = Math.max(maxlen, src[j].length);
        }
        if (maxlen > 0) {
            byte[] res = new byte[maxlen];
            for (int i = 0; i < maxlen; i++) {
                int out = byteAt(src[0], i);
                switch (op) {
                    case "not" -> out = ~out & 0xFF;
                    case "and" -> { for (int j = 1; j < n; j++) out &= byteAt(src[j], i); }
                    case "or" -> { for (int j = 1; j < n; j++) out |= byteAt(src[j], i); }
                    default -> { for (int j = 1; j < n; j++) out ^= byteAt(src[j], i); }
                }
                res[i] = (byte) out;
            }
            db.set(argv[2], MutableString.of(res), Database.NO_TTL); // a raw string, as Redis's createObject
            c.modified(argv[2]);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "set", argv[2]);
        } else if (db.delete(argv[2])) {
            c.modified(argv[2]);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, "del", argv[2]);
        }
        c.reply.integer(maxlen);
    }

    private static int byteAt(byte[] s, int i) {
        return s != null && i < s.length ? s[i] & 0xFF : 0;
    }

    // ---- BITFIELD -----------------------------------------------------------------------------

    enum Overflow { WRAP, SAT, FAIL }

    record FieldOp(int opcode, long offset, long value, Overflow overflow, int bits, boolean signed) {
    }

    static final int GET = 0;
    static final int SET = 1;
    static final int INCRBY = 2;

    /** BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL]... */
    static void bitfield(CallContext c, byte[][] argv, boolean readOnlyCommand) {
        List<FieldOp> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        boolean readonly = true;
        long highestWrite = 0;
        for (int j = 2; j < argv.length; j++) {
            int remaining = argv.length - j - 1;
            int opcode;
            if (Args.is(argv[j], "get") && remaining >= 2) opcode = GET;
            else if (Args.is(argv[j], "set") && remaining >= 3) opcode = SET;
            else if (Args.is(argv[j], "incrby") && remaining >= 3) opcode = INCRBY;
            else if (Args.is(argv[j], "overflow") && remaining >= 1) {
                j++;
                if (Args.is(argv[j], "wrap")) overflow = Overflow.WRAP;
                else if (Args.is(argv[j], "sat")) overflow = Overflow.SAT;
                else if (Args.is(argv[j], "fail")) overflow = Overflow.FAIL;
                else throw new RedisException("ERR Invalid OVERFLOW type specified");
                continue;
            } else {
                throw Errors.syntax();
            }
            byte[] type = argv[j + 1];
            boolean signed;
            if (type.length > 0 && (type[0] == 'i' || type[0] == 'I')) signed = true;
            else if (type.length > 0 && (type[0] == 'u' || type[0] == 'U')) signed = false;
            else throw new RedisException(BITFIELD_TYPE_ERR);
            long bits;
            try {
                bits = Args.toLong(java.util.Arrays.copyOfRange(type, 1, type.length), BITFIELD_TYPE_ERR);
            } catch (RedisException e) {
                throw new RedisException(BITFIELD_TYPE_ERR);
            }
            if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) throw new RedisException(BITFIELD_TYPE_ERR);
            long offset = bitOffset(c, argv[j + 2], true, (int) bits);
            long value = 0;
            if (opcode != GET) {
                readonly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                value = Args.toLong(argv[j + 3]);
            }
            ops.add(new FieldOp(opcode, offset, value, overflow, (int) bits, signed));
            j += opcode == GET ? 2 : 3;
        }
        Database db = c.db();
        byte[] s;
        int len;
        boolean created = false;
        if (readonly) {
            Object v = StringCommands.string(db, argv[1]);
            s = Strings.array(v);
            len = Strings.length(v);
        } else {
            if (readOnlyCommand) throw new RedisException("ERR BITFIELD_RO only supports the GET subcommand");
            MutableString m = db.mutableStringForWrite(argv[1]);
            int needed = (int) (highestWrite >>> 3) + 1;
            created = m == null || m.length() < needed;
            if (created) m = grow(db, argv[1], m, needed);
            s = m.buffer();
            len = m.length();
        }
        c.reply.arrayHeader(ops.size());
        long changes = 0;
        for (FieldOp op : ops) {
            if (op.opcode == GET) {
                long v = op.signed ? getSigned(s, len, op.offset, op.bits) : getUnsigned(s, len, op.offset, op.bits);
                c.reply.integer(v);
                continue;
            }
            long oldVal;
            long newVal;
            long retVal;
            boolean overflowed;
            if (op.signed) {
                oldVal = getSigned(s, len, op.offset, op.bits);
                long[] wrapped = new long[1];
                if (op.opcode == INCRBY) {
                    overflowed = checkSignedOverflow(oldVal, op.value, op.bits, op.overflow, wrapped) != 0;
                    newVal = overflowed ? wrapped[0] : oldVal + op.value;
                    retVal = newVal;
                } else {
                    newVal = op.value;
                    overflowed = checkSignedOverflow(newVal, 0, op.bits, op.overflow, wrapped) != 0;
                    if (overflowed) newVal = wrapped[0];
                    retVal = oldVal;
                }
            } else {
                oldVal = getUnsigned(s, len, op.offset, op.bits);
                long[] wrapped = new long[1];
                if (op.opcode == INCRBY) {
                    overflowed = checkUnsignedOverflow(oldVal, op.value, op.bits, op.overflow, wrapped) != 0;
                    newVal = overflowed ? wrapped[0] : oldVal + op.value;
                    retVal = newVal;
                } else {
                    newVal = op.value;
                    overflowed = checkUnsignedOverflow(newVal, 0, op.bits, op.overflow, wrapped) != 0;
                    if (overflowed) newVal = wrapped[0];
                    retVal = oldVal;
                }
            }
            if (!(overflowed && op.overflow == Overflow.FAIL)) {
                c.reply.integer(retVal);
                setField(s, op.offset, op.bits, newVal);
                if (created || oldVal != newVal) changes++;
            } else {
                c.reply.nullBulk();
            }
        }
        // The key was created or grown before any operation ran, even if they all failed
        // (OVERFLOW FAIL), as in Redis; only changes count as dirty and notify.
        if (changes > 0) {
            c.modified(argv[1]);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, "setbit", argv[1]);
        }
    }

    /** The unsigned field at {@code offset} of the string in s[0, len), zero padded past its end. */
    static long getUnsigned(byte[] s, int len, long offset, int bits) {
        long value = 0;
        for (int i = 0; i < bits; i++) {
            long pos = offset + i;
            long byteIndex = pos >>> 3;
            int bit = s != null && byteIndex < len ? (s[(int) byteIndex] >> (7 - (int) (pos & 7))) & 1 : 0;
            value = (value << 1) | bit;
        }
        return value;
    }

    static long getSigned(byte[] s, int len, long offset, int bits) {
        long value = getUnsigned(s, len, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) value |= -1L << bits;
        return value;
    }

    static void setField(byte[] s, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            long bitval = (value >>> (bits - 1 - j)) & 1;
            long pos = offset + j;
            int byteIndex = (int) (pos >>> 3);
            int bit = 7 - (int) (pos & 7);
            if (bitval == 1) s[byteIndex] |= (byte) (1 << bit);
            else s[byteIndex] &= (byte) ~(1 << bit);
        }
    }

    /** Redis's checkUnsignedBitfieldOverflow (uint64 arithmetic). */
    static int checkUnsignedOverflow(long value, long incr, int bits, Overflow ow, long[] limit) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            if (ow == Overflow.WRAP) return wrapUnsigned(value, incr, bits, limit);
            if (ow == Overflow.SAT) limit[0] = max;
            return 1;
        } else if (incr < 0 && incr < minincr) {
            if (ow == Overflow.WRAP) return wrapUnsigned(value, incr, bits, limit);
            if (ow == Overflow.SAT) limit[0] = 0;
            return -1;
        }
        return 0;
    }

    private static int wrapUnsigned(long value, long incr, int bits, long[] limit) {
        long mask = -1L << bits;
        limit[0] = (value + incr) & ~mask;
        return 1;
    }

    /** Redis's checkSignedBitfieldOverflow. */
    static int checkSignedOverflow(long value, long incr, int bits, Overflow ow, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            if (ow == Overflow.WRAP) return wrapSigned(value, incr, bits, limit);
            if (ow == Overflow.SAT) limit[0] = max;
            return 1;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            if (ow == Overflow.WRAP) return wrapSigned(value, incr, bits, limit);
            if (ow == Overflow.SAT) limit[0] = min;
            return -1;
        }
        return 0;
    }

    private static int wrapSigned(long value, long incr, int bits, long[] limit) {
        long msb = 1L << (bits - 1);
        long r = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            if ((r & msb) != 0) r |= mask;
            else r &= ~mask;
        }
        limit[0] = r;
        return 1;
    }

    /** The handlers of the commands registered above, one class for all of them (see {@link Handler}). */
    private enum Op implements Handler {
        SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO;

        @Override
        public void handle(CallContext c, byte[][] argv) {
            switch (this) {
                case SETBIT -> setbit(c, argv);
                case GETBIT -> getbit(c, argv);
                case BITCOUNT -> bitcount(c, argv);
                case BITPOS -> bitpos(c, argv);
                case BITOP -> bitop(c, argv);
                case BITFIELD -> bitfield(c, argv, false);
                case BITFIELD_RO -> bitfield(c, argv, true);
            }
        }
    }
}
