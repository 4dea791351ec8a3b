package io.keyline.integration;

import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.BitPosParams;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.lettuce.core.BitFieldArgs.OverflowType.FAIL;
import static io.lettuce.core.BitFieldArgs.OverflowType.SAT;
import static io.lettuce.core.BitFieldArgs.OverflowType.WRAP;
import static io.lettuce.core.BitFieldArgs.signed;
import static io.lettuce.core.BitFieldArgs.typeWidthBasedOffset;
import static io.lettuce.core.BitFieldArgs.unsigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bitmap command (SETBIT, GETBIT, BITCOUNT BYTE|BIT, BITPOS, BITOP, BITFIELD, BITFIELD_RO)
 * through Jedis (RESP2) and Lettuce (RESP3). Expected values are Redis 7.2's answers (checked
 * against redis-server); the randomized comparison with arbitrary-precision arithmetic is
 * BitmapModelTest.
 */
class BitmapCommandsIT extends ServerTestBase {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** Commands Lettuce has no method for (BITFIELD_RO, BITCOUNT ... BIT, BITPOS ... BIT). */
    private enum Raw implements ProtocolKeyword {
        BITFIELD_RO, BITCOUNT, BITPOS;

        @Override
        public byte[] getBytes() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private long lettuceInt(Raw cmd, String key, Object... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8).addKey(key);
        for (Object o : args) a.add(o.toString());
        return lettuce.dispatch(cmd, new IntegerOutput<>(StringCodec.UTF8), a);
    }

    @Test
    void setbitGetbitThroughJedisAndLettuce() {
        assertThat(jedis.setbit("k", 7, true)).isFalse();
        assertThat(jedis.setbit("k", 7, true)).isTrue();
        assertThat(jedis.getbit("k", 7)).isTrue();
        assertThat(jedis.getbit("k", 6)).isFalse();
        assertThat(jedis.getbit("k", 1_000_000)).isFalse(); // past the end reads 0
        assertThat(jedis.get("k")).isEqualTo("\u0001");
        assertThat(jedis.getbit("missing", 3)).isFalse();
        assertThat(lettuce.setbit("l", 100, 1)).isZero();
        assertThat(lettuce.strlen("l")).isEqualTo(13); // grown with zero bytes to bit 100
        assertThat(lettuce.getbit("l", 100)).isEqualTo(1);
        assertThat(lettuce.setbit("l", 100, 0)).isEqualTo(1);
        assertThat(lettuce.getbit("l", 100)).isZero();
        assertThat(lettuce.strlen("l")).isEqualTo(13); // clearing never shrinks
        // SETBIT on a string written by SET/APPEND
        jedis.set("s", "`");
        jedis.setbit("s", 6, true);
        jedis.setbit("s", 5, false);
        assertThat(jedis.get("s")).isEqualTo("b");
        jedis.append("s", "c");
        jedis.setbit("s", 15, false);
        assertThat(lettuce.get("s")).isEqualTo("bb");
        // the largest offset (512MB string) is accepted, one more is not; bad values rejected
        assertThatThrownBy(() -> jedis.setbit("k", 4294967296L, true)).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR bit offset is not an integer or out of range");
        assertThatThrownBy(() -> jedis.getbit("k", -1)).hasMessage("ERR bit offset is not an integer or out of range");
        assertThat(respValue("SETBIT", "k", "1", "2")).isEqualTo("!ERR bit is not an integer or out of range");
        assertThat(respValue("SETBIT", "k", "1", "x")).isEqualTo("!ERR bit is not an integer or out of range");
        assertThat(respValue("SETBIT", "k", "1.5", "1")).isEqualTo("!ERR bit offset is not an integer or out of range");
        assertThat(respValue("GETBIT", "k")).isEqualTo("!ERR wrong number of arguments for 'getbit' command");
        jedis.lpush("list", "a");
        assertThatThrownBy(() -> jedis.setbit("list", 1, true)).hasMessage(WRONGTYPE);
        assertThatThrownBy(() -> lettuce.getbit("list", 1)).hasMessage(WRONGTYPE);
        assertThat(jedis.exists("missing")).isFalse();
        // SETBIT 0 on a missing key still creates the key
        assertThat(lettuce.setbit("z", 9, 0)).isZero();
        assertThat(lettuce.strlen("z")).isEqualTo(2);
    }

    @Test
    void bitcountByteAndBitRanges() {
        jedis.set("k", "foobar");
        assertThat(jedis.bitcount("k")).isEqualTo(26);
        assertThat(jedis.bitcount("k", 0, 0)).isEqualTo(4);
        assertThat(jedis.bitcount("k", 1, 1)).isEqualTo(6);
        assertThat(jedis.bitcount("k", 1, 1, BitCountOption.BYTE)).isEqualTo(6);
        assertThat(jedis.bitcount("k", 5, 30, BitCountOption.BIT)).isEqualTo(17);
        assertThat(jedis.bitcount("k", -2, -1)).isEqualTo(7); // "ar"
        assertThat(jedis.bitcount("k", -10, -1, BitCountOption.BIT)).isEqualTo(5);
        assertThat(jedis.bitcount("k", 3, 1)).isZero(); // start past end
        assertThat(jedis.bitcount("k", 0, 1000)).isEqualTo(26);
        assertThat(jedis.bitcount("missing")).isZero();
        assertThat(jedis.bitcount("missing", 0, -1, BitCountOption.BIT)).isZero();
        assertThat(lettuce.bitcount("k")).isEqualTo(26);
        assertThat(lettuce.bitcount("k", 1, 1)).isEqualTo(6);
        assertThat(lettuce.bitcount("k", -2, -1)).isEqualTo(7);
        assertThat(lettuceInt(Raw.BITCOUNT, "k", 5, 30, "BIT")).isEqualTo(17);
        assertThat(lettuceInt(Raw.BITCOUNT, "k", 0, 0, "BYTE")).isEqualTo(4);
        assertThat(respValue("BITCOUNT", "k", "0")).isEqualTo("!ERR syntax error");
        assertThat(respValue("BITCOUNT", "k", "0", "1", "NIBBLE")).isEqualTo("!ERR syntax error");
        assertThat(respValue("BITCOUNT", "k", "a", "1")).isEqualTo("!ERR value is not an integer or out of range");
        jedis.sadd("set", "a");
        assertThatThrownBy(() -> jedis.bitcount("set")).hasMessage(WRONGTYPE);
        assertThatThrownBy(() -> lettuce.bitcount("set")).hasMessage(WRONGTYPE);
    }

    @Test
    void bitposWithByteAndBitRanges() {
        jedis.set(b("k"), new byte[] {(byte) 0xff, (byte) 0xf0, 0});
        assertThat(jedis.bitpos("k", false)).isEqualTo(12);
        assertThat(jedis.bitpos("k", true)).isZero();
        assertThat(jedis.bitpos("k", true, new BitPosParams(1))).isEqualTo(8);
        assertThat(jedis.bitpos("k", true, new BitPosParams(2))).isEqualTo(-1);
        assertThat(jedis.bitpos("k", false, new BitPosParams(0, 0))).isEqualTo(-1); // explicit end: no implied zeros
        assertThat(jedis.bitpos("k", true, new BitPosParams(7, 15).modifier(BitCountOption.BIT))).isEqualTo(7);
        assertThat(jedis.bitpos("k", false, new BitPosParams(7, 15).modifier(BitCountOption.BIT))).isEqualTo(12);
        assertThat(jedis.bitpos("k", true, new BitPosParams(1, -1).modifier(BitCountOption.BYTE))).isEqualTo(8);
        assertThat(jedis.bitpos("k", true, new BitPosParams(-1))).isEqualTo(-1);
        jedis.set(b("ones"), new byte[] {(byte) 0xff, (byte) 0xff});
        assertThat(jedis.bitpos("ones", false)).isEqualTo(16); // clear bit found past the end
        assertThat(jedis.bitpos("ones", false, new BitPosParams(0, -1))).isEqualTo(-1);
        assertThat(jedis.bitpos("missing", false)).isZero();
        assertThat(jedis.bitpos("missing", true)).isEqualTo(-1);
        assertThat(lettuce.bitpos("k", false)).isEqualTo(12);
        assertThat(lettuce.bitpos("k", true, 1)).isEqualTo(8);
        assertThat(lettuce.bitpos("k", false, 0, 0)).isEqualTo(-1);
        assertThat(lettuceInt(Raw.BITPOS, "k", 0, 7, 15, "BIT")).isEqualTo(12);
        assertThat(respValue("BITPOS", "k", "2")).isEqualTo("!ERR The bit argument must be 1 or 0.");
        assertThat(respValue("BITPOS", "k", "1", "0", "1", "BOGUS")).isEqualTo("!ERR syntax error");
        jedis.hset("h", "f", "v");
        assertThatThrownBy(() -> jedis.bitpos("h", true)).hasMessage(WRONGTYPE);
    }

    @Test
    void bitopAndOrXorNot() {
        jedis.set(b("a"), new byte[] {(byte) 0xf0, (byte) 0x0f, 1});
        jedis.set(b("b"), new byte[] {(byte) 0xcc, (byte) 0xcc});
        assertThat(jedis.bitop(BitOP.AND, "and", "a", "b")).isEqualTo(3);
        assertThat(jedis.get(b("and"))).containsExactly(0xc0, 0x0c, 0);
        assertThat(jedis.bitop(BitOP.OR, "or", "a", "b")).isEqualTo(3);
        assertThat(jedis.get(b("or"))).containsExactly(0xfc, 0xcf, 1);
        assertThat(jedis.bitop(BitOP.XOR, "xor", "a", "b")).isEqualTo(3);
        assertThat(jedis.get(b("xor"))).containsExactly(0x3c, 0xc3, 1);
        assertThat(jedis.bitop(BitOP.NOT, "not", "a")).isEqualTo(3);
        assertThat(jedis.get(b("not"))).containsExactly(0x0f, 0xf0, 0xfe);
        // a missing source counts as zeros; all sources missing deletes the destination
        assertThat(jedis.bitop(BitOP.AND, "and", "a", "missing")).isEqualTo(3);
        assertThat(jedis.get(b("and"))).containsExactly(0, 0, 0);
        assertThat(jedis.bitop(BitOP.OR, "and", "missing", "missing2")).isZero();
        assertThat(jedis.exists("and")).isFalse();
        assertThat(lettuce.bitopAnd("l-and", "a", "b")).isEqualTo(3);
        assertThat(lettuce.bitopOr("l-or", "a", "b")).isEqualTo(3);
        assertThat(lettuce.bitopXor("l-xor", "a", "b")).isEqualTo(3);
        assertThat(lettuce.bitopNot("l-not", "b")).isEqualTo(2);
        assertThat(jedis.get(b("l-and"))).containsExactly(0xc0, 0x0c, 0);
        assertThat(jedis.get(b("l-or"))).isEqualTo(jedis.get(b("or")));
        assertThat(jedis.get(b("l-xor"))).isEqualTo(jedis.get(b("xor")));
        assertThat(jedis.get(b("l-not"))).containsExactly(0x33, 0x33);
        // the destination may be a source; a single source copies
        assertThat(jedis.bitop(BitOP.XOR, "a", "a", "a")).isEqualTo(3);
        assertThat(jedis.get(b("a"))).containsExactly(0, 0, 0);
        assertThat(jedis.bitop(BitOP.OR, "copy", "b")).isEqualTo(2);
        assertThat(jedis.get(b("copy"))).containsExactly(0xcc, 0xcc);
        assertThat(respValue("BITOP", "NOT", "d", "a", "b")).isEqualTo("!ERR BITOP NOT must be called with a single source key.");
        assertThat(respValue("BITOP", "NAND", "d", "a")).isEqualTo("!ERR syntax error");
        jedis.rpush("list", "x");
        assertThatThrownBy(() -> jedis.bitop(BitOP.AND, "d", "a", "list")).hasMessage(WRONGTYPE);
        assertThatThrownBy(() -> lettuce.bitopOr("d", "list")).hasMessage(WRONGTYPE);
        // a wrong-typed destination is overwritten, as Redis does
        assertThat(jedis.bitop(BitOP.OR, "list", "b")).isEqualTo(2);
        assertThat(jedis.type("list")).isEqualTo("string");
    }

    @Test
    void bitfieldGetSetIncrbyThroughJedis() {
        assertThat(jedis.bitfield("k", "SET", "u8", "0", "255", "GET", "u8", "0", "GET", "i8", "0")).containsExactly(0L, 255L, -1L);
        assertThat(jedis.bitfield("k", "INCRBY", "u8", "0", "10", "INCRBY", "i8", "0", "-10")).containsExactly(9L, -1L);
        // # offsets are multiplied by the type's width
        assertThat(jedis.bitfield("k", "SET", "u4", "#1", "15", "SET", "u4", "#2", "3", "GET", "u16", "0")).containsExactly(15L, 0L, 0xff30L);
        assertThat(jedis.strlen("k")).isEqualTo(2);
        // i64 and u63 at unaligned offsets
        assertThat(jedis.bitfield("w", "SET", "i64", "5", Long.toString(Long.MIN_VALUE), "GET", "i64", "5", "GET", "u63", "5"))
                .containsExactly(0L, Long.MIN_VALUE, 1L << 62);
        assertThat(jedis.bitfield("w", "SET", "u63", "#1", Long.toString(Long.MAX_VALUE), "GET", "u63", "#1"))
                .containsExactly(0L, Long.MAX_VALUE);
        // the u63 at #1 (bits 63..125) overlapped the i64 at 5; INCRBY wraps by default
        assertThat(jedis.bitfield("w", "INCRBY", "i64", "5", "-1")).containsExactly(-9223372036854775746L);
        // BITFIELD with no operation is an empty array; GET past the end reads zeros
        assertThat(jedis.bitfield("missing", "GET", "u32", "1000")).containsExactly(0L);
        assertThat(jedis.exists("missing")).isFalse();
        assertThat(jedis.bitfieldReadonly("k", "GET", "u8", "0", "GET", "u4", "#2")).containsExactly(0xffL, 3L);
        assertThat(jedis.bitfieldReadonly("missing", "GET", "i16", "#7")).containsExactly(0L);
    }

    @Test
    void bitfieldOverflowWrapSatFail() {
        assertThat(jedis.bitfield("k", "OVERFLOW", "WRAP", "INCRBY", "u2", "0", "5", "INCRBY", "i4", "4", "7", "INCRBY", "i4", "4", "2"))
                .containsExactly(1L, 7L, -7L);
        assertThat(jedis.bitfield("k", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5", "INCRBY", "i4", "4", "-100", "SET", "i4", "4", "-8"))
                .containsExactly(3L, -8L, -8L);
        List<Long> fail = jedis.bitfield("k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "1", "INCRBY", "u2", "0", "-3", "GET", "u2", "0");
        assertThat(fail).containsExactly(null, 0L, 0L);
        // OVERFLOW applies to the operations after it; FAIL leaves the value alone
        assertThat(jedis.bitfield("k", "SET", "u8", "#1", "200", "OVERFLOW", "FAIL", "INCRBY", "u8", "#1", "100", "GET", "u8", "#1"))
                .containsExactly(0L, null, 200L);
        assertThat(jedis.bitfield("k", "OVERFLOW", "SAT", "SET", "i8", "#1", "1000", "GET", "i8", "#1")).containsExactly(-56L, 127L);
        assertThat(jedis.bitfield("k", "OVERFLOW", "SAT", "INCRBY", "i64", "0", Long.toString(Long.MAX_VALUE), "INCRBY", "i64", "0", "1"))
                .hasSize(2).last().isEqualTo(Long.MAX_VALUE);
        assertThat(jedis.bitfield("k", "OVERFLOW", "WRAP", "INCRBY", "u63", "0", "1")).containsExactly(4611686018427387904L);
    }

    @Test
    void bitfieldErrors() {
        jedis.set("k", "x");
        assertThatThrownBy(() -> jedis.bitfield("k", "GET", "u64", "0"))
                .hasMessage("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        assertThatThrownBy(() -> jedis.bitfield("k", "GET", "i65", "0"))
                .hasMessage("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        assertThatThrownBy(() -> jedis.bitfield("k", "GET", "u8", "-1")).hasMessage("ERR bit offset is not an integer or out of range");
        assertThatThrownBy(() -> jedis.bitfield("k", "GET", "u8", "#x")).hasMessage("ERR bit offset is not an integer or out of range");
        assertThatThrownBy(() -> jedis.bitfield("k", "OVERFLOW", "BOUNCE")).hasMessage("ERR Invalid OVERFLOW type specified");
        assertThatThrownBy(() -> jedis.bitfield("k", "SET", "u8", "0", "a")).hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> jedis.bitfield("k", "FROB", "u8", "0")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.bitfieldReadonly("k", "SET", "u8", "0", "1"))
                .hasMessage("ERR BITFIELD_RO only supports the GET subcommand");
        assertThat(jedis.get("k")).isEqualTo("x"); // errors change nothing
        jedis.zadd("z", 1, "a");
        assertThatThrownBy(() -> jedis.bitfield("z", "GET", "u8", "0")).hasMessage(WRONGTYPE);
        assertThatThrownBy(() -> jedis.bitfieldReadonly("z", "GET", "u8", "0")).hasMessage(WRONGTYPE);
        assertThatThrownBy(() -> lettuce.bitfield("z", new BitFieldArgs().get(unsigned(8), 0))).hasMessage(WRONGTYPE);
    }

    @Test
    void bitfieldThroughLettuce() {
        assertThat(lettuce.bitfield("k", new BitFieldArgs().set(unsigned(8), 0, 255).get(unsigned(8), 0).get(signed(8), 0)))
                .containsExactly(0L, 255L, -1L);
        assertThat(lettuce.bitfield("k", new BitFieldArgs().set(unsigned(4), typeWidthBasedOffset(2), 9)
                .get(unsigned(4), typeWidthBasedOffset(2)).incrBy(signed(4), typeWidthBasedOffset(2), 1)))
                .containsExactly(0L, 9L, -6L);
        assertThat(lettuce.bitfield("k", new BitFieldArgs().overflow(SAT).incrBy(unsigned(8), 0, 10)
                .overflow(WRAP).incrBy(unsigned(8), 0, 1).overflow(FAIL).incrBy(signed(8), 0, -200)))
                .containsExactly(255L, 0L, null);
        assertThat(lettuce.bitfield("w", new BitFieldArgs().set(signed(64), 3, -2).get(signed(64), 3)
                .set(unsigned(63), typeWidthBasedOffset(1), Long.MAX_VALUE).get(unsigned(63), typeWidthBasedOffset(1))))
                .containsExactly(0L, -2L, 8070450532247928832L, Long.MAX_VALUE);
        CommandArgs<String, String> ro = new CommandArgs<>(StringCodec.UTF8).addKey("k").add("GET").add("u8").add("0")
                .add("GET").add("i4").add("#2");
        List<Object> r = lettuce.dispatch(Raw.BITFIELD_RO, new ArrayOutput<>(StringCodec.UTF8), ro);
        assertThat(r).containsExactly(0L, -6L);
        CommandArgs<String, String> bad = new CommandArgs<>(StringCodec.UTF8).addKey("k").add("INCRBY").add("u8").add("0").add("1");
        assertThatThrownBy(() -> lettuce.dispatch(Raw.BITFIELD_RO, new ArrayOutput<>(StringCodec.UTF8), bad))
                .hasMessage("ERR BITFIELD_RO only supports the GET subcommand");
        assertThat(lettuce.strlen("k")).isEqualTo(2);
    }
}
