package io.keyline.persistence.rdb;

import io.keyline.store.EncodingLimits;
import io.keyline.store.type.HashValue;
import io.keyline.store.type.ListValue;
import io.keyline.store.type.SetValue;
import io.keyline.store.type.SortedSetValue;
import io.keyline.store.type.StreamValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The type byte Keyline writes before each value, against Redis 7.2's src/rdb.h: version 11 uses
 * the listpack types (hash 16, zset 17, set 20 which 7.2 added), quicklist 2 (18) and stream
 * listpacks 3 (21); version 10 (for Redis 7.0) never uses a 7.2-only type (20, 21).
 */
class RdbTypeBytesTest {
    /** Redis 7.2's RDB_TYPE_* constants, copied from src/rdb.h. */
    private static final Map<String, Integer> REDIS_7_2 = new LinkedHashMap<>();

    static {
        REDIS_7_2.put("STRING", 0);
        REDIS_7_2.put("LIST", 1);
        REDIS_7_2.put("SET", 2);
        REDIS_7_2.put("ZSET", 3);
        REDIS_7_2.put("HASH", 4);
        REDIS_7_2.put("ZSET_2", 5);
        REDIS_7_2.put("MODULE_PRE_GA", 6);
        REDIS_7_2.put("MODULE_2", 7);
        REDIS_7_2.put("HASH_ZIPMAP", 9);
        REDIS_7_2.put("LIST_ZIPLIST", 10);
        REDIS_7_2.put("SET_INTSET", 11);
        REDIS_7_2.put("ZSET_ZIPLIST", 12);
        REDIS_7_2.put("HASH_ZIPLIST", 13);
        REDIS_7_2.put("LIST_QUICKLIST", 14);
        REDIS_7_2.put("STREAM_LISTPACKS", 15);
        REDIS_7_2.put("HASH_LISTPACK", 16);
        REDIS_7_2.put("ZSET_LISTPACK", 17);
        REDIS_7_2.put("LIST_QUICKLIST_2", 18);
        REDIS_7_2.put("STREAM_LISTPACKS_2", 19);
        REDIS_7_2.put("SET_LISTPACK", 20);
        REDIS_7_2.put("STREAM_LISTPACKS_3", 21);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The type byte of a DUMP payload: the first byte, as in an RDB file before the key. */
    private static int typeByte(Object value, int version) {
        return Dump.payload(value, version, true, 100)[0] & 0xff;
    }

    @Test
    void keylinesConstantsAreRedis72s() {
        assertThat(Rdb.TYPE_STRING).isEqualTo(REDIS_7_2.get("STRING"));
        assertThat(Rdb.TYPE_LIST).isEqualTo(REDIS_7_2.get("LIST"));
        assertThat(Rdb.TYPE_SET).isEqualTo(REDIS_7_2.get("SET"));
        assertThat(Rdb.TYPE_ZSET).isEqualTo(REDIS_7_2.get("ZSET"));
        assertThat(Rdb.TYPE_HASH).isEqualTo(REDIS_7_2.get("HASH"));
        assertThat(Rdb.TYPE_ZSET_2).isEqualTo(REDIS_7_2.get("ZSET_2"));
        assertThat(Rdb.TYPE_MODULE_PRE_GA).isEqualTo(REDIS_7_2.get("MODULE_PRE_GA"));
        assertThat(Rdb.TYPE_MODULE_2).isEqualTo(REDIS_7_2.get("MODULE_2"));
        assertThat(Rdb.TYPE_HASH_ZIPMAP).isEqualTo(REDIS_7_2.get("HASH_ZIPMAP"));
        assertThat(Rdb.TYPE_LIST_ZIPLIST).isEqualTo(REDIS_7_2.get("LIST_ZIPLIST"));
        assertThat(Rdb.TYPE_SET_INTSET).isEqualTo(REDIS_7_2.get("SET_INTSET"));
        assertThat(Rdb.TYPE_ZSET_ZIPLIST).isEqualTo(REDIS_7_2.get("ZSET_ZIPLIST"));
        assertThat(Rdb.TYPE_HASH_ZIPLIST).isEqualTo(REDIS_7_2.get("HASH_ZIPLIST"));
        assertThat(Rdb.TYPE_LIST_QUICKLIST).isEqualTo(REDIS_7_2.get("LIST_QUICKLIST"));
        assertThat(Rdb.TYPE_STREAM_LISTPACKS).isEqualTo(REDIS_7_2.get("STREAM_LISTPACKS"));
        assertThat(Rdb.TYPE_HASH_LISTPACK).isEqualTo(REDIS_7_2.get("HASH_LISTPACK"));
        assertThat(Rdb.TYPE_ZSET_LISTPACK).isEqualTo(REDIS_7_2.get("ZSET_LISTPACK"));
        assertThat(Rdb.TYPE_LIST_QUICKLIST_2).isEqualTo(REDIS_7_2.get("LIST_QUICKLIST_2"));
        assertThat(Rdb.TYPE_STREAM_LISTPACKS_2).isEqualTo(REDIS_7_2.get("STREAM_LISTPACKS_2"));
        assertThat(Rdb.TYPE_SET_LISTPACK).isEqualTo(REDIS_7_2.get("SET_LISTPACK"));
        assertThat(Rdb.TYPE_STREAM_LISTPACKS_3).isEqualTo(REDIS_7_2.get("STREAM_LISTPACKS_3"));
    }

    /** One value of each type and encoding Keyline holds, by the RDB type Redis 7.2 writes for it. */
    private static Map<String, Object> valuesByRedisType() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("STRING", b("hello"));
        ListValue list = new ListValue();
        list.pushRight(b("a"));
        v.put("LIST_QUICKLIST_2", list);
        SetValue intset = SetValue.forFirstMember(EncodingLimits.DEFAULTS, b("1"), 2);
        intset.add(b("1"));
        intset.add(b("2"));
        v.put("SET_INTSET", intset);
        SetValue small = SetValue.forFirstMember(EncodingLimits.DEFAULTS, b("m"), 2);
        small.add(b("m"));
        small.add(b("n"));
        assertThat(small.encoding()).isEqualTo(SetValue.LISTPACK);
        v.put("SET_LISTPACK", small);
        SetValue big = SetValue.forFirstMember(EncodingLimits.DEFAULTS, b("m0"), 1000);
        for (int i = 0; i < 1000; i++) big.add(b("m" + i));
        v.put("SET", big);
        HashValue hash = new HashValue();
        hash.put(b("f"), b("v"));
        assertThat(hash.isListpack()).isTrue();
        v.put("HASH_LISTPACK", hash);
        HashValue bigHash = new HashValue();
        for (int i = 0; i < 1000; i++) bigHash.put(b("f" + i), b("v" + i));
        assertThat(bigHash.isListpack()).isFalse();
        v.put("HASH", bigHash);
        SortedSetValue zset = new SortedSetValue();
        zset.put(b("a"), 1);
        v.put("ZSET_LISTPACK", zset);
        SortedSetValue bigZset = new SortedSetValue();
        for (int i = 0; i < 1000; i++) bigZset.put(b("z" + i), i);
        v.put("ZSET_2", bigZset);
        StreamValue stream = new StreamValue();
        stream.append(new StreamValue.Id(1, 0), new byte[][]{b("f"), b("v")});
        v.put("STREAM_LISTPACKS_3", stream);
        return v;
    }

    @Test
    void version11WritesRedis72sTypes() {
        valuesByRedisType().forEach((type, value) ->
                assertThat(typeByte(value, 11)).as(type).isEqualTo(REDIS_7_2.get(type)));
    }

    /** Redis 7.0 (RDB 10) has no set listpack and no stream listpacks 3: version 10 writes what 7.0 writes. */
    @Test
    void version10NeverUsesA72OnlyType() {
        Map<String, String> as70 = Map.of("SET_LISTPACK", "SET", "STREAM_LISTPACKS_3", "STREAM_LISTPACKS_2");
        valuesByRedisType().forEach((type, value) -> {
            int written = typeByte(value, 10);
            assertThat(written).as(type).isNotIn(REDIS_7_2.get("SET_LISTPACK"), REDIS_7_2.get("STREAM_LISTPACKS_3"));
            assertThat(written).as(type).isEqualTo(REDIS_7_2.get(as70.getOrDefault(type, type)));
        });
    }
}
