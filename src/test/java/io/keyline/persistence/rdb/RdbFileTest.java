package io.keyline.persistence.rdb;

import io.keyline.store.EncodingLimits;
import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;
import io.keyline.store.type.StreamValue;
import io.keyline.util.Crc64;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole-file layer: RdbFileWriter and RdbFileReader, checked against rdb.h's layout. */
class RdbFileTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    record Rec(int db, String key, Object value, long expireAt, long idle, int freq) {
    }

    static final class Collect implements RdbFileReader.Sink {
        final List<Rec> recs = new ArrayList<>();
        final Map<String, String> aux = new LinkedHashMap<>();
        final List<String> functions = new ArrayList<>();
        final Map<Integer, long[]> resize = new LinkedHashMap<>();

        @Override
        public void aux(byte[] key, byte[] value) {
            aux.put(new String(key, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
        }

        @Override
        public void function(byte[] code) {
            functions.add(new String(code, StandardCharsets.UTF_8));
        }

        @Override
        public void resizeDb(int db, long size, long expires) {
            resize.put(db, new long[] {size, expires});
        }

        @Override
        public void entry(int db, byte[] key, Object value, long expireAt, long lruIdleSeconds, int lfuFreq) {
            recs.add(new Rec(db, new String(key, StandardCharsets.UTF_8), value, expireAt, lruIdleSeconds, lfuFreq));
        }
    }

    private static Object[] values() {
        ListValue l = new ListValue();
        HashValue h = new HashValue();
        HashValue bigHash = new HashValue();
        SortedSetValue z = new SortedSetValue();
        SetValue ints = SetValue.forFirstMember(EncodingLimits.DEFAULTS, b("1"), 3);
        SetValue strs = SetValue.forFirstMember(EncodingLimits.DEFAULTS, b("a"), 3);
        StreamValue s = new StreamValue();
        for (int i = 0; i < 3; i++) {
            l.pushRight(b("e" + i));
            h.put(b("f" + i), b("v" + i));
            z.put(b("m" + i), i + 0.5);
            ints.add(b(Integer.toString(i * 7)));
            strs.add(b("s" + i));
            s.append(new StreamValue.Id(10 + i, 0), new byte[][] {b("k"), b("v" + i)});
        }
        for (int i = 0; i < 1000; i++) bigHash.put(b("field-" + i), b("a value long enough to compress compress compress " + i));
        return new Object[] {b("plain"), b("12345"), b("x".repeat(200)), l, h, bigHash, z, ints, strs, s};
    }

    private static byte[] write(int version, boolean compress, boolean checksum) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbFileWriter w = new RdbFileWriter(bos, version, compress, checksum, 100);
        w.standardAux("7.2.4", 1700000000L, 123456, null, 0, 0, false);
        w.function(b("#!lua name=lib\nredis.register_function('f', function() return 1 end)"));
        Object[] v = values();
        w.selectDb(0, v.length, 1);
        for (int i = 0; i < v.length; i++) {
            w.entry(0, b("k" + i), v[i], i == 0 ? 1_900_000_000_000L : -1, i == 1 ? 42 : -1, -1);
        }
        // stripe by stripe: db 3, back to 0, then 3 again (repeated SELECTDB)
        w.entry(3, b("d3a"), b("x"), -1, -1, 7);
        w.entry(0, b("late0"), b("y"), -1, -1, -1);
        w.entry(3, b("d3b"), b("z"), -1, -1, -1);
        w.finish();
        return bos.toByteArray();
    }

    private static Collect read(byte[] file) {
        Collect c = new Collect();
        RdbFileReader.read(new ByteArrayInputStream(file), file.length, EncodingLimits.DEFAULTS, 16, true, c);
        return c;
    }

    @Test
    void roundTripsEveryTypeInVersions10And11() throws IOException {
        for (int version : new int[] {10, 11}) {
            for (boolean compress : new boolean[] {true, false}) {
                byte[] file = write(version, compress, true);
                assertThat(new String(file, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS00" + version);
                Collect c = read(file);
                assertThat(c.aux).containsEntry("redis-ver", "7.2.4").containsEntry("redis-bits", "64")
                        .containsEntry("ctime", "1700000000").containsEntry("used-mem", "123456").containsEntry("aof-base", "0");
                assertThat(c.functions).hasSize(1);
                assertThat(c.resize).containsKey(0);
                Object[] v = values();
                assertThat(c.recs).hasSize(v.length + 3);
                for (int i = 0; i < v.length; i++) {
                    Rec r = c.recs.get(i);
                    assertThat(r.key).isEqualTo("k" + i);
                    assertThat(r.db).isZero();
                    // the value written again gives the same bytes: same content, same encoding
                    assertThat(Dump.payload(r.value, version, compress, 100)).isEqualTo(Dump.payload(v[i], version, compress, 100));
                }
                assertThat(c.recs.get(0).expireAt).isEqualTo(1_900_000_000_000L);
                assertThat(c.recs.get(1).idle).isEqualTo(42);
                assertThat(c.recs.get(v.length)).extracting(Rec::db, Rec::key, Rec::freq).containsExactly(3, "d3a", 7);
                assertThat(c.recs.get(v.length + 1)).extracting(Rec::db, Rec::key).containsExactly(0, "late0");
                assertThat(c.recs.get(v.length + 2)).extracting(Rec::db, Rec::key).containsExactly(3, "d3b");
            }
        }
        assertThat(write(11, true, true).length).isLessThan(write(11, false, true).length);
    }

    /** The byte layout of rdb.h (Redis 7.2): opcodes, length encodings, EOF and CRC64 of all before it. */
    @Test
    void version11LayoutFollowsRdbH() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RdbFileWriter w = new RdbFileWriter(bos, 11, false, true, 100);
        w.aux("redis-ver", "7.2.4");
        w.aux("redis-bits", 64);
        w.selectDb(0, 1, 1);
        w.entry(0, b("k"), b("v"), 0x0102030405060708L, -1, -1);
        w.entry(1, b("n"), b("300"), -1, 5, -1);
        w.entry(1, b("f"), b("v"), -1, -1, 9);
        long size = w.finish();
        byte[] f = bos.toByteArray();
        assertThat(size).isEqualTo(f.length);
        String hex = HexFormat.of().formatHex(f);
        String expected = HexFormat.of().formatHex(b("REDIS0011"))
                + "fa" + "09" + HexFormat.of().formatHex(b("redis-ver")) + "05" + HexFormat.of().formatHex(b("7.2.4"))
                + "fa" + "0a" + HexFormat.of().formatHex(b("redis-bits")) + "c040"          // RDB_ENC_INT8 64
                + "fe00" + "fb0101"                                                          // SELECTDB 0, RESIZEDB 1 1
                + "fc" + "0807060504030201" + "00" + "016b" + "0176"                         // EXPIRETIME_MS LE, STRING k v
                + "fe01"                                                                     // SELECTDB 1 (no RESIZEDB)
                + "f805" + "00" + "016e" + "c12c01"                                          // IDLE 5, "300" as RDB_ENC_INT16
                + "f909" + "00" + "0166" + "0176"                                            // FREQ 9
                + "ff";
        assertThat(hex).startsWith(expected);
        assertThat(f.length).isEqualTo(expected.length() / 2 + 8);
        long crc = Crc64.update(0, f, 0, f.length - 8);
        long stored = 0;
        for (int i = 0; i < 8; i++) stored |= (f[f.length - 8 + i] & 0xffL) << (8 * i);
        assertThat(stored).isEqualTo(crc);

        // rdbchecksum no: eight zero bytes, and the reader does not check them
        bos.reset();
        RdbFileWriter nocrc = new RdbFileWriter(bos, 11, false, false, 100);
        nocrc.entry(0, b("k"), b("v"), -1, -1, -1);
        nocrc.finish();
        byte[] g = bos.toByteArray();
        assertThat(HexFormat.of().formatHex(g, g.length - 8, g.length)).isEqualTo("0000000000000000");
        RdbFileReader.Summary s = RdbFileReader.read(new ByteArrayInputStream(g), g.length, EncodingLimits.DEFAULTS, 16, true, new Collect());
        assertThat(s.checksumChecked()).isFalse();
        assertThat(s.keys()).isEqualTo(1);
        assertThat(s.endOffset()).isEqualTo(g.length);
    }

    @Test
    void everyFlippedByteAndEveryTruncationIsRefusedWithAnOffset() throws IOException {
        byte[] file = write(11, true, true);
        for (int i = 0; i < file.length; i += Math.max(1, file.length / 3000)) {
            byte[] q = file.clone();
            q[i] ^= 0x5a;
            assertThatThrownBy(() -> read(q)).as("flip at %d", i).isInstanceOf(RdbFormatException.class).hasMessageContaining("offset");
        }
        for (int cut = 0; cut < file.length; cut += Math.max(1, file.length / 3000)) {
            byte[] q = java.util.Arrays.copyOf(file, cut);
            assertThatThrownBy(() -> read(q)).as("cut at %d", cut).isInstanceOf(RdbFormatException.class).hasMessageContaining("offset");
        }
        byte[] badSum = file.clone();
        badSum[file.length - 1] ^= 1;
        assertThatThrownBy(() -> read(badSum)).hasMessageContaining("Wrong RDB checksum").hasMessageContaining("offset " + (file.length - 8));
    }

    @Test
    void impossibleLengthsUnknownOpcodesAndModulesAreRefused() {
        // a string claiming 4 GB in a 30-byte file: refused before allocating
        byte[] huge = HexFormat.of().parseHex(HexFormat.of().formatHex(b("REDIS0011")) + "00" + "0161" + "80ffffff00" + "ff");
        assertThatThrownBy(() -> read(huge)).isInstanceOf(RdbFormatException.class).hasMessageContaining("offset 9");
        byte[] opcode = HexFormat.of().parseHex(HexFormat.of().formatHex(b("REDIS0011")) + "e0" + "ff0000000000000000");
        assertThatThrownBy(() -> read(opcode)).hasMessageContaining("Unknown RDB opcode or value type 224 at offset 9");
        byte[] moduleAux = HexFormat.of().parseHex(HexFormat.of().formatHex(b("REDIS0011")) + "f7" + "00");
        assertThatThrownBy(() -> read(moduleAux)).hasMessageContaining("modules are not supported");
        byte[] module = HexFormat.of().parseHex(HexFormat.of().formatHex(b("REDIS0011")) + "07" + "0161");
        assertThatThrownBy(() -> read(module)).hasMessageContaining("modules are not supported");
        byte[] v12 = b("REDIS0012");
        assertThatThrownBy(() -> read(v12)).hasMessageContaining("Can't handle RDB format version 12");
        byte[] sig = b("RADIS0011");
        assertThatThrownBy(() -> read(sig)).hasMessageContaining("Wrong signature");
        byte[] manyDbs = HexFormat.of().parseHex(HexFormat.of().formatHex(b("REDIS0011")) + "fe20" + "ff0000000000000000");
        assertThatThrownBy(() -> read(manyDbs)).hasMessageContaining("more than 16 databases");
    }

    /**
     * Older files, built here with the old structures: version 3 (no checksum, EXPIRETIME in seconds,
     * a zipmap hash, a ziplist list, an intset) and version 6 (ziplist zset and hash, old text-double
     * zset, a v1 quicklist of ziplists).
     */
    @Test
    void oldVersionsAreRead() {
        String zipmap = "01" + "0166" + "020076" + "31" + "ff"; // f -> v1
        String ziplist = ziplistHex("a", "b", "c");
        String intset = HexFormat.of().formatHex(OldEncodings.writeIntset(new long[] {1, 2, 300}));
        String v3 = HexFormat.of().formatHex(b("REDIS0003"))
                + "fe00"
                + "fd" + "00e1f505"                                                    // EXPIRETIME seconds: 100000000
                + "09" + "0168" + lenHex(zipmap) + zipmap                              // hash zipmap
                + "0a" + "016c" + lenHex(ziplist) + ziplist                            // list ziplist
                + "0b" + "0173" + lenHex(intset) + intset                              // set intset
                + "03" + "017a" + "02" + "0161" + "03" + "312e35" + "0162" + "fe"      // zset (text doubles 1.5, +inf)
                + "ff";
        Collect c = read(HexFormat.of().parseHex(v3));
        assertThat(c.recs).extracting(Rec::key).containsExactly("h", "l", "s", "z");
        assertThat(c.recs.get(0).expireAt).isEqualTo(100_000_000_000L);
        assertThat(((HashValue) c.recs.get(0).value).get(b("f"))).isEqualTo(b("v1"));
        assertThat(((ListValue) c.recs.get(1).value).size()).isEqualTo(3);
        assertThat(((SetValue) c.recs.get(2).value).size()).isEqualTo(3);
        assertThat(((SortedSetValue) c.recs.get(3).value).score(b("b"))).isEqualTo(Double.POSITIVE_INFINITY);

        String zl = ziplistHex("m", "2", "n", "3");
        String hl = ziplistHex("f", "v");
        String body = HexFormat.of().formatHex(b("REDIS0006"))
                + "fa" + "09" + HexFormat.of().formatHex(b("redis-ver")) + "05" + HexFormat.of().formatHex(b("3.2.0"))
                + "fe00"
                + "0c" + "017a" + lenHex(zl) + zl                                      // zset ziplist
                + "0d" + "0168" + lenHex(hl) + hl                                      // hash ziplist
                + "0e" + "016c" + "02" + lenHex(ziplist) + ziplist + lenHex(ziplist) + ziplist // quicklist v1: 2 nodes
                + "ff";
        byte[] v6 = HexFormat.of().parseHex(body + "0000000000000000");
        long crc = Crc64.update(0, v6, 0, v6.length - 8);
        for (int i = 0; i < 8; i++) v6[v6.length - 8 + i] = (byte) (crc >>> (8 * i));
        Collect c6 = read(v6);
        assertThat(c6.aux).containsEntry("redis-ver", "3.2.0");
        assertThat(((SortedSetValue) c6.recs.get(0).value).score(b("n"))).isEqualTo(3.0);
        assertThat(((HashValue) c6.recs.get(1).value).get(b("f"))).isEqualTo(b("v"));
        assertThat(((ListValue) c6.recs.get(2).value).size()).isEqualTo(6);
        v6[v6.length - 1] ^= 1;
        assertThatThrownBy(() -> read(v6)).hasMessageContaining("Wrong RDB checksum");
    }

    private static String lenHex(String hex) {
        int n = hex.length() / 2;
        if (n >= 64) throw new IllegalArgumentException("keep test blobs short");
        return String.format("%02x", n);
    }

    /** A ziplist of short strings (each entry: prevlen, 00xxxxxx string length, bytes). */
    private static String ziplistHex(String... entries) {
        StringBuilder es = new StringBuilder();
        int prev = 0, offset = 10, lastOffset = 10;
        for (String e : entries) {
            lastOffset = offset;
            int len = 2 + e.length();
            es.append(String.format("%02x%02x", prev, e.length())).append(HexFormat.of().formatHex(b(e)));
            prev = len;
            offset += len;
        }
        int total = offset + 1;
        return le32(total) + le32(lastOffset) + String.format("%02x%02x", entries.length & 0xff, entries.length >> 8) + es + "ff";
    }

    private static String le32(int v) {
        return String.format("%02x%02x%02x%02x", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24);
    }
}
