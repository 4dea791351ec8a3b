package io.keyline.integration;

import io.keyline.engine.Propagator;
import io.keyline.testkit.RespClient;
import io.lettuce.core.GeoAddArgs;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoRadiusStoreArgs;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoValue;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.Value;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GeoAddParams;
import redis.clients.jedis.params.GeoRadiusParam;
import redis.clients.jedis.params.GeoRadiusStoreParam;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Geo commands through Jedis and Lettuce: every command and option. Digit-for-digit equality with
 * redis-server is checked by compat/geo.txt; the literals here are redis-server 7.0.15's answers.
 */
class GeoCommandsIT extends ServerTestBase {
    private void sicily() {
        jedis.del("Sicily");
        jedis.geoadd("Sicily", 13.361389, 38.115556, "Palermo");
        jedis.geoadd("Sicily", 15.087269, 37.502669, "Catania");
    }

    @Test
    void geoaddStoresRedisScoresAndOptions() {
        assertThat(jedis.geoadd("Sicily", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
        assertThat(jedis.zscore("Sicily", "Palermo")).isEqualTo(3479099956230698.0);
        assertThat(jedis.type("Sicily")).isEqualTo("zset");
        Map<String, GeoCoordinate> m = new LinkedHashMap<>();
        m.put("Palermo", new GeoCoordinate(13.361389, 38.115556));
        m.put("Catania", new GeoCoordinate(15.087269, 37.502669));
        assertThat(jedis.geoadd("Sicily", GeoAddParams.geoAddParams().nx(), m)).isEqualTo(1);
        assertThat(jedis.zscore("Sicily", "Catania")).isEqualTo(3479447370796909.0);
        m.put("Palermo", new GeoCoordinate(1, 1));
        m.put("New", new GeoCoordinate(2, 2));
        assertThat(jedis.geoadd("Sicily", GeoAddParams.geoAddParams().xx().ch(), m)).isEqualTo(1);
        assertThat(jedis.exists("Sicily") && jedis.zscore("Sicily", "New") == null).isTrue();
        // Lettuce: NX / XX / CH
        assertThat(lettuce.geoadd("L", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
        assertThat(lettuce.geoadd("L", GeoAddArgs.Builder.nx(), 1.0, 1.0, "Palermo")).isEqualTo(0);
        assertThat(lettuce.geoadd("L", GeoAddArgs.Builder.ch(), 1.0, 1.0, "Palermo")).isEqualTo(1);
        assertThat(lettuce.geoadd("L", GeoAddArgs.Builder.xx(), GeoValue.just(2.0, 2.0, "Other"))).isEqualTo(0);
        assertThat(lettuce.zcard("L")).isEqualTo(1);
    }

    @Test
    void geoaddErrors() {
        assertThatThrownBy(() -> jedis.geoadd("k", 200, 10, "a")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR invalid longitude,latitude pair 200.000000,10.000000");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOADD, "k", "nx", "xx", "1", "1", "a"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOADD, "k", "1", "1", "a", "2"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOADD, "k", "x", "1", "a"))
                .hasMessage("ERR value is not a valid float");
        jedis.set("s", "v");
        assertThatThrownBy(() -> jedis.geoadd("s", 1, 1, "a")).hasMessageStartingWith("WRONGTYPE");
        assertThatThrownBy(() -> jedis.geopos("s", "a")).hasMessageStartingWith("WRONGTYPE");
        assertThatThrownBy(() -> lettuce.geosearch("s", GeoSearch.fromCoordinates(1, 1), GeoSearch.byRadius(1, GeoArgs.Unit.km)))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessageStartingWith("WRONGTYPE");
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void geoposGeodistGeohash() throws Exception {
        sicily();
        List<GeoCoordinate> pos = jedis.geopos("Sicily", "Palermo", "nosuch");
        assertThat(pos.get(0).getLongitude()).isEqualTo(13.36138933897018433);
        assertThat(pos.get(0).getLatitude()).isEqualTo(38.11555639549629859);
        assertThat(pos.get(1)).isNull();
        RespClient raw = new RespClient("127.0.0.1", port());
        try {
            assertThat(new String(raw.request("GEOPOS", "Sicily", "Palermo").raw(), StandardCharsets.US_ASCII))
                    .isEqualTo("*1\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n");
            assertThat(new String(raw.request("GEODIST", "Sicily", "Palermo", "Catania").raw(), StandardCharsets.US_ASCII))
                    .isEqualTo("$11\r\n166274.1516\r\n");
        } finally {
            raw.close();
        }
        assertThat(jedis.geodist("Sicily", "Palermo", "Catania")).isEqualTo(166274.1516);
        assertThat(jedis.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM)).isEqualTo(166.2742);
        assertThat(jedis.geodist("Sicily", "Palermo", "Catania", GeoUnit.MI)).isEqualTo(103.3182);
        assertThat(jedis.geodist("Sicily", "Palermo", "Catania", GeoUnit.FT)).isEqualTo(545518.87);
        assertThat(jedis.geodist("Sicily", "Palermo", "nosuch")).isNull();
        assertThat(jedis.geodist("nokey", "a", "b")).isNull();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEODIST, "Sicily", "Palermo", "Catania", "furlong"))
                .hasMessage("ERR unsupported unit provided. please use M, KM, FT, MI");
        assertThat(jedis.geohash("Sicily", "Palermo", "Catania", "nosuch")).containsExactly("sqc8b49rny0", "sqdtr74hyu0", null);
        // Lettuce
        List<GeoCoordinates> lp = lettuce.geopos("Sicily", "Catania");
        assertThat(lp.get(0).getX().doubleValue()).isEqualTo(15.08726745843887329);
        assertThat(lettuce.geodist("Sicily", "Palermo", "Catania", GeoArgs.Unit.km)).isEqualTo(166.2742);
        List<Value<String>> hashes = lettuce.geohash("Sicily", "Palermo", "nosuch");
        assertThat(hashes.get(0).getValue()).isEqualTo("sqc8b49rny0");
        assertThat(hashes.get(1).hasValue()).isFalse();
    }

    @Test
    void georadiusFamilyThroughJedis() {
        sicily();
        assertThat(jedis.georadius("Sicily", 15, 37, 100, GeoUnit.KM)).extracting(GeoRadiusResponse::getMemberByString)
                .containsExactly("Catania");
        List<GeoRadiusResponse> r = jedis.georadius("Sicily", 15, 37, 200, GeoUnit.KM,
                GeoRadiusParam.geoRadiusParam().withDist().withCoord().withHash().sortDescending());
        assertThat(r).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Palermo", "Catania");
        assertThat(r.get(0).getDistance()).isEqualTo(190.4424);
        assertThat(r.get(0).getRawScore()).isEqualTo(3479099956230698L);
        assertThat(r.get(1).getCoordinate().getLongitude()).isEqualTo(15.08726745843887329);
        assertThat(jedis.georadiusReadonly("Sicily", 15, 37, 200, GeoUnit.KM,
                GeoRadiusParam.geoRadiusParam().sortAscending().count(1))).extracting(GeoRadiusResponse::getMemberByString)
                .containsExactly("Catania");
        assertThat(jedis.georadiusByMember("Sicily", "Palermo", 200, GeoUnit.KM, GeoRadiusParam.geoRadiusParam().withDist().sortAscending()))
                .extracting(GeoRadiusResponse::getDistance).containsExactly(0.0, 166.2742);
        assertThat(jedis.georadiusByMemberReadonly("Sicily", "Palermo", 100, GeoUnit.KM)).hasSize(1);
        assertThat(jedis.georadiusStore("Sicily", 15, 37, 200, GeoUnit.KM, GeoRadiusParam.geoRadiusParam(),
                GeoRadiusStoreParam.geoRadiusStoreParam().store("dst"))).isEqualTo(2);
        assertThat(jedis.zscore("dst", "Palermo")).isEqualTo(3479099956230698.0);
        assertThat(jedis.georadiusByMemberStore("Sicily", "Palermo", 200, GeoUnit.KM, GeoRadiusParam.geoRadiusParam(),
                GeoRadiusStoreParam.geoRadiusStoreParam().storeDist("dd"))).isEqualTo(2);
        assertThat(jedis.zscore("dd", "Catania")).isCloseTo(166.2742, within(1e-4));
        assertThat(jedis.zscore("dd", "Palermo")).isEqualTo(0.0);
        // no match: STORE deletes the destination and answers 0
        assertThat(jedis.georadiusStore("Sicily", 0, 0, 1, GeoUnit.M, GeoRadiusParam.geoRadiusParam(),
                GeoRadiusStoreParam.geoRadiusStoreParam().store("dst"))).isEqualTo(0);
        assertThat(jedis.exists("dst")).isFalse();
        assertThat(jedis.georadius("nokey", 15, 37, 200, GeoUnit.KM)).isEmpty();
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEORADIUS, "Sicily", "15", "37", "200", "km", "WITHDIST", "STORE", "x"))
                .hasMessage("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEORADIUS_RO, "Sicily", "15", "37", "200", "km", "STORE", "x"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEORADIUSBYMEMBER, "Sicily", "nosuch", "200", "km"))
                .hasMessage("ERR could not decode requested zset member");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEORADIUS, "Sicily", "15", "37", "-1", "km"))
                .hasMessage("ERR radius cannot be negative");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEORADIUS, "Sicily", "15", "37", "x", "km"))
                .hasMessage("ERR need numeric radius");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEORADIUS, "Sicily", "15", "37", "1", "km", "COUNT", "0"))
                .hasMessage("ERR COUNT must be > 0");
    }

    @Test
    void geosearchThroughJedis() {
        sicily();
        List<GeoRadiusResponse> r = jedis.geosearch("Sicily", GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37).byBox(400, 400, GeoUnit.KM).asc().withDist().withCoord().withHash());
        assertThat(r).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania", "Palermo");
        assertThat(r).extracting(GeoRadiusResponse::getDistance).containsExactly(56.4413, 190.4424);
        assertThat(jedis.geosearch("Sicily", GeoSearchParam.geoSearchParam().fromMember("Palermo").byRadius(200, GeoUnit.KM)
                .desc().count(1))).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania");
        assertThat(jedis.geosearch("Sicily", GeoSearchParam.geoSearchParam().fromMember("Palermo").byRadius(200, GeoUnit.KM)
                .count(1, true))).hasSize(1);
        assertThat(jedis.geosearchStore("dst", "Sicily", GeoSearchParam.geoSearchParam().fromLonLat(15, 37)
                .byRadius(200, GeoUnit.KM))).isEqualTo(2);
        assertThat(jedis.zscore("dst", "Catania")).isEqualTo(3479447370796909.0);
        assertThat(jedis.geosearchStoreStoreDist("dst", "Sicily", GeoSearchParam.geoSearchParam().fromLonLat(15, 37)
                .byRadius(200, GeoUnit.KM))).isEqualTo(2);
        assertThat(jedis.zscore("dst", "Catania")).isEqualTo(56.441257870158204);
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOSEARCH, "Sicily", "BYRADIUS", "1", "km", "ASC", "DESC"))
                .hasMessage("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOSEARCH, "Sicily", "FROMLONLAT", "1", "1", "ASC", "DESC"))
                .hasMessage("ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOSEARCH, "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "ANY"))
                .hasMessage("ERR the ANY argument requires COUNT argument");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOSEARCHSTORE, "d", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "WITHCOORD"))
                .hasMessage("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOSEARCH, "Sicily", "FROMLONLAT", "1", "1", "BYBOX", "-1", "1", "km"))
                .hasMessage("ERR height or width cannot be negative");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GEOSEARCH, "Sicily", "FROMLONLAT", "1", "1", "BYBOX", "x", "1", "km"))
                .hasMessage("ERR need numeric width");
    }

    @Test
    void geoThroughLettuce() {
        sicily();
        Set<String> members = lettuce.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km);
        assertThat(members).containsExactlyInAnyOrder("Palermo", "Catania");
        List<GeoWithin<String>> w = lettuce.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km,
                new GeoArgs().withDistance().withCoordinates().withHash().asc());
        assertThat(w).extracting(GeoWithin::getMember).containsExactly("Catania", "Palermo");
        assertThat(w.get(0).getDistance()).isEqualTo(56.4413);
        assertThat(w.get(0).getGeohash()).isEqualTo(3479447370796909L);
        assertThat(w.get(0).getCoordinates().getY().doubleValue()).isEqualTo(37.50266842333162032);
        assertThat(lettuce.dispatch(CommandType.GEORADIUS_RO, new ValueListOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addKey("Sicily").add(15).add(37).add(100).add("km"))).containsExactly("Catania");
        assertThat(lettuce.georadiusbymember("Sicily", "Palermo", 100, GeoArgs.Unit.km)).containsExactly("Palermo");
        assertThat(lettuce.dispatch(CommandType.GEORADIUSBYMEMBER_RO, new ValueListOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addKey("Sicily").add("Palermo").add(200).add("km"))).hasSize(2);
        assertThat(lettuce.georadiusbymember("Sicily", "Palermo", 200, GeoArgs.Unit.km, new GeoArgs().withDistance().desc()))
                .extracting(GeoWithin::getDistance).containsExactly(166.2742, 0.0);
        assertThat(lettuce.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km,
                GeoRadiusStoreArgs.Builder.store("st"))).isEqualTo(2);
        assertThat(lettuce.georadiusbymember("Sicily", "Palermo", 200, GeoArgs.Unit.km,
                GeoRadiusStoreArgs.Builder.withStoreDist("sd"))).isEqualTo(2);
        assertThat(lettuce.zscore("sd", "Catania")).isCloseTo(166.2742, within(1e-4));
        assertThat(lettuce.geosearch("Sicily", GeoSearch.fromMember("Palermo"), GeoSearch.byRadius(200, GeoArgs.Unit.km)))
                .containsExactlyInAnyOrder("Palermo", "Catania");
        List<GeoWithin<String>> box = lettuce.geosearch("Sicily", GeoSearch.fromCoordinates(15, 37),
                GeoSearch.byBox(400, 400, GeoArgs.Unit.km), new GeoArgs().withDistance().withCoordinates().desc().withCount(1));
        assertThat(box).hasSize(1);
        assertThat(box.get(0).getMember()).isEqualTo("Palermo");
        assertThat(box.get(0).getDistance()).isEqualTo(190.4424);
        assertThat(lettuce.geosearch("Sicily", GeoSearch.fromCoordinates(15, 37), GeoSearch.byRadius(200, GeoArgs.Unit.km),
                new GeoArgs().withCount(1, true))).hasSize(1);
        assertThat(lettuce.geosearchstore("gs", "Sicily", GeoSearch.fromCoordinates(15, 37), GeoSearch.byRadius(200, GeoArgs.Unit.km),
                new GeoArgs().asc(), true)).isEqualTo(2);
        assertThat(lettuce.zscore("gs", "Catania")).isEqualTo(56.441257870158204);
        assertThat(lettuce.geosearchstore("gs", "Sicily", GeoSearch.fromCoordinates(0, 0), GeoSearch.byRadius(1, GeoArgs.Unit.m),
                new GeoArgs(), false)).isEqualTo(0);
        assertThat(lettuce.exists("gs")).isEqualTo(0);
    }

    @Test
    void geoaddIsLoggedAsZaddAndStoreVerbatim() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        keyline.server().context().propagator(new Propagator() {
            @Override
            public long append(int db, byte[][] argv) {
                StringBuilder sb = new StringBuilder();
                for (byte[] a : argv) sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
                log.add(sb.toString());
                return 0;
            }
        });
        jedis.geoadd("Sicily", 13.361389, 38.115556, "Palermo");
        jedis.sendCommand(Protocol.Command.GEOADD, "Sicily", "NX", "CH", "13.361389", "38.115556", "Palermo");
        jedis.sendCommand(Protocol.Command.GEORADIUS, "Sicily", "13", "38", "100", "km", "STORE", "d");
        jedis.sendCommand(Protocol.Command.GEOSEARCH, "Sicily", "FROMLONLAT", "13", "38", "BYRADIUS", "100", "km");
        assertThat(log).containsExactly("zadd Sicily 3479099956230698 Palermo", "GEORADIUS Sicily 13 38 100 km STORE d");
    }
}
