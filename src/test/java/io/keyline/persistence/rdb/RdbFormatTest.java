package io.keyline.persistence.rdb;

import io.keyline.util.Lzf;
import io.keyline.util.Crc64;
import io.keyline.store.EncodingLimits;
import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;
import io.keyline.store.type.StreamValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RdbFormatTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void crc64MatchesRedisVectors() {
        // crc64.c's self test: "123456789" and the "lorem ipsum" text
        assertThat(Crc64.of(b("123456789"))).isEqualTo(0xe9c6d914c4b8d9caL);
        byte[] li = b("This is a test of the emergency broadcast system.");
        assertThat(Crc64.update(Crc64.update(0, li, 0, 10), li, 10, li.length - 10)).isEqualTo(Crc64.of(li));
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    @Test
    void lzfRoundTripsAndRefusesCorruptInput() {
        Random r = new Random(7);
        for (int n : new int[] {100, 1000, 70000}) {
            byte[] in = new byte[n];
            for (int i = 0; i < n; i++) in[i] = (byte) ('a' + r.nextInt(3));
            byte[] out = new byte[n];
            int clen = Lzf.compress(in, n, out, n - 4);
            assertThat(clen).isPositive().isLessThan(n);
            byte[] back = new byte[n];
            assertThat(Lzf.decompress(out, 0, clen, back)).isEqualTo(n);
            assertThat(back).isEqualTo(in);
            out[0] = (byte) 0xE0; // a back reference before the start
            assertThat(Lzf.decompress(out, 0, clen, new byte[n])).isEqualTo(-1);
            assertThat(Lzf.decompress(out, 0, clen / 2, new byte[n])).isNotEqualTo(n);
        }
        byte[] random = new byte[100];
        r.nextBytes(random);
        assertThat(Lzf.compress(random, 100, new byte[96], 96)).isZero(); // incompressible
    }

    @Test
    void lzfIsByteIdenticalToRedis() {
        // DUMP of SET k <50 x 'a'> on redis-server 7.0.15: 00 c3 09 32 | 01 61 61 e0 25 00 01 61 61 | 0a 00 crc
        byte[] in = b("a".repeat(50));
        byte[] out = new byte[46];
        int clen = Lzf.compress(in, 50, out, 46);
        assertThat(HexFormat.of().formatHex(out, 0, clen)).isEqualTo("016161e02500016161");
    }

    @Test
    void stringEncodings() {
        assertThat(hex(dump(b("12")))).startsWith("00c00c");
        assertThat(hex(dump(b("-129")))).startsWith("00c17fff");
        assertThat(hex(dump(b("012")))).startsWith("0003303132");
        assertThat(hex(dump(b("hello")))).isEqualTo("000568656c6c6f0b00" + hex(crcOf("000568656c6c6f0b00")));
    }

    private static byte[] crcOf(String hexPrefix) {
        byte[] p = HexFormat.of().parseHex(hexPrefix);
        long crc = Crc64.of(p);
        byte[] o = new byte[8];
        for (int i = 0; i < 8; i++) o[i] = (byte) (crc >>> (8 * i));
        return o;
    }

    private static String hex(byte[] x) {
        return HexFormat.of().formatHex(x);
    }

    private static byte[] dump(Object v) {
        return Dump.payload(v, 11, true, 100);
    }

    private static Object back(byte[] payload) {
        assertThat(Dump.verify(payload)).isTrue();
        return Dump.value(payload, EncodingLimits.DEFAULTS);
    }

    @Test
    void everyTypeRoundTripsInBothEncodings() {
        for (int n : new int[] {3, 1000}) {
            ListValue l = new ListValue();
            SetValue ints = null, strs = null;
            HashValue h = new HashValue();
            SortedSetValue z = new SortedSetValue();
            StreamValue s = new StreamValue();
            for (int i = 0; i < n; i++) {
                l.pushRight(b("e" + i));
                l.pushRight(b(Integer.toString(i * 1000)));
                byte[] im = b(Integer.toString(i * 70000 - 5));
                if (ints == null) ints = SetValue.forFirstMember(EncodingLimits.DEFAULTS, im, n);
                ints.add(im);
                if (strs == null) strs = SetValue.forFirstMember(EncodingLimits.DEFAULTS, b("m0"), n);
                strs.add(b("m" + i));
                h.put(b("f" + i), b("v" + i));
                z.put(b("z" + i), i * 1.5 - 3);
                s.append(new StreamValue.Id(1000 + i, i % 3), i % 5 == 0 ? new byte[][] {b("a"), b("1"), b("b"), b("x" + i)}
                        : new byte[][] {b("a"), b("2")});
            }
            StreamValue.Group g = s.createGroup("g", new StreamValue.Id(1001, 1), 2);
            StreamValue.Consumer c = g.createConsumer("alice", 1234);
            StreamValue.Nack nack = new StreamValue.Nack(c, 5555, 3);
            g.pel.put(new StreamValue.Id(1001, 1), nack);
            c.pel.put(new StreamValue.Id(1001, 1), nack);

            assertThat(((ListValue) back(dump(l))).toList()).usingRecursiveFieldByFieldElementComparator().isEqualTo(l.toList());
            assertThat(set(back(dump(ints)))).isEqualTo(set(ints));
            assertThat(((SetValue) back(dump(ints))).encoding()).isEqualTo(ints.encoding());
            assertThat(set(back(dump(strs)))).isEqualTo(set(strs));
            assertThat(((SetValue) back(dump(strs))).encoding()).isEqualTo(strs.encoding());
            HashValue h2 = (HashValue) back(dump(h));
            assertThat(h2.size()).isEqualTo(h.size());
            h.forEach((f, v) -> assertThat(h2.get(f)).isEqualTo(v));
            SortedSetValue z2 = (SortedSetValue) back(dump(z));
            assertThat(z2.size()).isEqualTo(z.size());
            z.forEach((m, score) -> assertThat(z2.score(m)).isEqualTo(score));
            StreamValue s2 = (StreamValue) back(dump(s));
            assertThat(s2.length()).isEqualTo(s.length());
            assertThat(s2.lastId()).isEqualTo(s.lastId());
            java.util.List<StreamValue.Id> ids = new java.util.ArrayList<>();
            java.util.List<StreamValue.Id> ids2 = new java.util.ArrayList<>();
            s.forEach(StreamValue.Id.ZERO, StreamValue.Id.MAX, false, (id, fv) -> {
                ids.add(id);
                assertThat(s2.get(id)).isDeepEqualTo(fv);
                return true;
            });
            s2.forEach(StreamValue.Id.ZERO, StreamValue.Id.MAX, false, (id, fv) -> ids2.add(id));
            assertThat(ids2).containsExactlyElementsOf(ids);
            StreamValue.Group g2 = s2.group("g");
            assertThat(g2.entriesRead).isEqualTo(2);
            assertThat(g2.consumer("alice").pel).containsKey(new StreamValue.Id(1001, 1));
            assertThat(g2.pel.get(new StreamValue.Id(1001, 1)).deliveryCount).isEqualTo(3);
            // and the same bytes when written again
            assertThat(dump(s2)).isEqualTo(dump(s));
            assertThat(dump(back(dump(l)))).isEqualTo(dump(l));
        }
    }

    private static List<String> set(Object v) {
        List<String> out = new ArrayList<>();
        ((SetValue) v).forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
        out.sort(null);
        return out;
    }

    @Test
    void corruptPayloadsAreRefusedNeverCrash() {
        HashValue h = new HashValue();
        for (int i = 0; i < 20; i++) h.put(b("field" + i), b("value" + i));
        byte[] p = dump(h);
        assertThat(Dump.verify(java.util.Arrays.copyOf(p, p.length - 1))).isFalse();
        byte[] wrongVersion = p.clone();
        wrongVersion[p.length - 10] = 12;
        assertThat(Dump.verify(wrongVersion)).isFalse();
        Random r = new Random(1);
        for (int round = 0; round < 3000; round++) {
            byte[] q = p.clone();
            int cut = r.nextInt(4) == 0 ? r.nextInt(p.length - 10) : -1;
            q[r.nextInt(p.length - 10)] ^= (byte) (1 + r.nextInt(255));
            if (cut >= 0) {
                byte[] t = new byte[cut + 10];
                System.arraycopy(q, 0, t, 0, cut);
                q = t;
            }
            try {
                Dump.value(q, EncodingLimits.DEFAULTS);
            } catch (RdbFormatException expected) {
                // refused
            }
        }
        assertThatThrownBy(() -> Dump.value(HexFormat.of().parseHex("0400" + "0b00" + "0000000000000000"), EncodingLimits.DEFAULTS))
                .isInstanceOf(RdbFormatException.class); // empty hash
    }

    @Test
    void oldEncodingsAreRead() {
        // ziplist "a", 5, "hello": zlbytes, zltail, zllen, entries, end
        byte[] zl = HexFormat.of().parseHex("1a000000" + "10000000" + "0300" + "000161" + "03f2" + "020568656c6c6f" + "ff");
        zl[0] = (byte) zl.length;
        zl[4] = 15; // offset of the last entry
        assertThat(OldEncodings.ziplist(zl)).extracting(x -> new String(x, StandardCharsets.US_ASCII)).containsExactly("a", "1", "hello");
        long[] is = OldEncodings.intset(OldEncodings.writeIntset(new long[] {-5, 3, 100000}));
        assertThat(is).containsExactly(-5, 3, 100000);
        // zipmap: count, key len, key, value len, free, value, end
        byte[] zm = HexFormat.of().parseHex("01" + "0166" + "020076" + "31" + "ff");
        assertThat(OldEncodings.zipmap(zm)).extracting(x -> new String(x, StandardCharsets.US_ASCII)).containsExactly("f", "v1");
    }

    /**
     * A 60,000-field listpack hash (hash-max-listpack-entries 100000) through DUMP/RESTORE and the
     * hashtable form: built in one pass (this took 92 s when each field searched the listpack);
     * a repeated field is still refused.
     */
    @Test
    void bigListpackHashLoadsInOnePass() {
        EncodingLimits limits = new EncodingLimits();
        limits.hashMaxListpackEntries = 100_000;
        List<byte[]> flat = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            flat.add(b("field:" + i));
            flat.add(b("value:" + i));
        }
        HashValue h = HashValue.fromPairs(limits, flat);
        assertThat(h.isListpack()).isTrue();
        assertThat(h.size()).isEqualTo(60_000);
        byte[] payload = Dump.payload(h, 11, true, 100);
        assertThat(payload[0]).isEqualTo((byte) Rdb.TYPE_HASH_LISTPACK);
        HashValue back = (HashValue) Dump.value(payload, limits);
        assertThat(back.isListpack()).isTrue();
        assertThat(back.size()).isEqualTo(60_000);
        assertThat(back.get(b("field:0"))).isEqualTo(b("value:0"));
        assertThat(back.get(b("field:59999"))).isEqualTo(b("value:59999"));
        assertThat(back.get(b("field:60000"))).isNull();
        // past the limit: straight into a table, same contents
        HashValue table = (HashValue) Dump.value(payload, EncodingLimits.DEFAULTS);
        assertThat(table.isListpack()).isFalse();
        assertThat(table.size()).isEqualTo(60_000);
        assertThat(table.get(b("field:31337"))).isEqualTo(b("value:31337"));
        // a repeated field, in either form, is a corrupt payload
        flat.set(2, b("field:0"));
        assertThat(HashValue.fromPairs(limits, flat)).isNull();
        assertThat(HashValue.fromPairs(EncodingLimits.DEFAULTS, flat)).isNull();
    }

    /** The same for a 60,000-member listpack sorted set (zset-max-listpack-entries 100000): sorted, one pass. */
    @Test
    void bigListpackZsetLoadsInOnePass() {
        EncodingLimits limits = new EncodingLimits();
        limits.zsetMaxListpackEntries = 100_000;
        List<byte[]> members = new ArrayList<>();
        double[] scores = new double[60_000];
        for (int i = 0; i < 60_000; i++) {
            members.add(b("member:" + i));
            scores[i] = (60_000 - i) * 0.5; // given in reverse order: the build sorts them
        }
        SortedSetValue z = SortedSetValue.fromPairs(limits, members, scores);
        assertThat(z.encoding()).isEqualTo(SortedSetValue.LISTPACK);
        byte[] payload = Dump.payload(z, 11, true, 100);
        assertThat(payload[0]).isEqualTo((byte) Rdb.TYPE_ZSET_LISTPACK);
        SortedSetValue back = (SortedSetValue) Dump.value(payload, limits);
        assertThat(back.encoding()).isEqualTo(SortedSetValue.LISTPACK);
        assertThat(back.size()).isEqualTo(60_000);
        List<String> firstTwo = new ArrayList<>();
        back.range(0, 2, false, (m, score) -> firstTwo.add(new String(m, StandardCharsets.UTF_8) + "=" + score));
        assertThat(firstTwo).containsExactly("member:59999=0.5", "member:59998=1.0");
        SortedSetValue skiplist = (SortedSetValue) Dump.value(payload, EncodingLimits.DEFAULTS);
        assertThat(skiplist.encoding()).isNotEqualTo(SortedSetValue.LISTPACK);
        assertThat(skiplist.size()).isEqualTo(60_000);
        members.set(1, b("member:0"));
        assertThat(SortedSetValue.fromPairs(limits, members, scores)).isNull();
        assertThat(SortedSetValue.fromPairs(EncodingLimits.DEFAULTS, members, scores)).isNull();
    }
}
