package io.keyline.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis's crc64 (Jones) and LZF, checked against redis-server's own outputs. */
class Crc64Test {
    @Test
    void checkValueOfRedisCrc64SelfTest() {
        byte[] d = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.crc64(d, d.length)).isEqualTo(0xe9c6d914c4b8d9caL);
        assertThat(Crc64.crc64(new byte[0], 0)).isZero();
    }

    @Test
    void incrementalEqualsOneShot() {
        byte[] d = "hello world, hello crc".getBytes(StandardCharsets.US_ASCII);
        long a = Crc64.update(Crc64.update(0, d, 0, 7), d, 7, d.length - 7);
        assertThat(a).isEqualTo(Crc64.crc64(d, d.length));
    }

    /** FUNCTION DUMP of one library by redis-server 7.0.15: the LZF body and the checksum (RDB version 10). */
    @Test
    void lzfAndCrcMatchARedisServerFunctionDump() {
        String code = "#!lua name=t3\n"
                + "redis.register_function('f4', function(keys, args) error('boom') end)\n"
                + "redis.register_function('f5', function(keys, args) return redis.call('incr','zz', 'x') end)\n"
                + "redis.register_function('f6', function(keys, args) return redis.call('hset','zz') end)";
        byte[] payload = HexFormat.of().parseHex(
                "f5c3409141061f23216c7561206e616d653d74330a72656469732e72656769737465725f66756e0b6374696f6e282766"
                + "34272c20e0000e176b6579732c206172677329206572726f722827626f6f6d27200d026e6429e012450035e00f450572"
                + "657475726e2006407f0e63616c6c2827696e6372272c277a7a2033012778e0195b00362027e00ca1e00a5b0368736574"
                + "805b40b20164290a00fca8645f5efb665b");
        byte[] in = code.getBytes(StandardCharsets.US_ASCII);
        byte[] z = Lzf.compress(in, in.length - 4);
        // f5 (FUNCTION2), c3 (LZF), 40 91 (compressed length 145), 41 06 (length 262), then the LZF bytes
        assertThat(z).hasSize(0x91);
        byte[] expected = java.util.Arrays.copyOfRange(payload, 6, 6 + 0x91);
        assertThat(z).isEqualTo(expected);
        assertThat(Lzf.decompress(z, 0, z.length, in.length)).isEqualTo(in);
        long crc = 0;
        for (int i = 0; i < 8; i++) crc |= (long) (payload[payload.length - 8 + i] & 0xff) << (8 * i);
        assertThat(Crc64.crc64(payload, payload.length - 8)).isEqualTo(crc);
    }

    @Test
    void incompressibleInputIsRefused() {
        byte[] in = new byte[64];
        new java.util.Random(1).nextBytes(in);
        assertThat(Lzf.compress(in, in.length - 4)).isNull();
        byte[] rep = new byte[300];
        java.util.Arrays.fill(rep, (byte) 'a');
        byte[] z = Lzf.compress(rep, rep.length - 4);
        assertThat(Lzf.decompress(z, 0, z.length, rep.length)).isEqualTo(rep);
    }
}
