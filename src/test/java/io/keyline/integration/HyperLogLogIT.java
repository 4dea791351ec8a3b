package io.keyline.integration;

import io.keyline.testkit.RespClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PFADD, PFCOUNT, PFMERGE, PFDEBUG through Jedis (RESP2) and Lettuce (RESP3), and values exchanged with redis-server. */
class HyperLogLogIT extends ServerTestBase {
    private static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pfaddPfcountPfmergeThroughJedisAndLettuce() {
        assertThat(jedis.pfadd("h1", "a", "b", "c")).isEqualTo(1);
        assertThat(jedis.pfadd("h1", "a", "b")).isZero();
        assertThat(lettuce.pfadd("h2", "c", "d", "e")).isEqualTo(1);
        assertThat(jedis.pfcount("h1")).isEqualTo(3);
        assertThat(lettuce.pfcount("h2")).isEqualTo(3);
        assertThat(jedis.pfcount("h1", "h2")).isEqualTo(5);
        assertThat(lettuce.pfcount("h1", "h2", "missing")).isEqualTo(5);
        assertThat(jedis.pfmerge("dst", "h1", "h2")).isEqualTo("OK");
        assertThat(lettuce.pfmerge("dst2", "h2")).isEqualTo("OK");
        assertThat(jedis.pfcount("dst")).isEqualTo(5);
        assertThat(lettuce.pfcount("dst2")).isEqualTo(3);
        assertThat(jedis.type("dst")).isEqualTo("string");
        assertThat(jedis.get(b("h1"))).startsWith(b("HYLL"));
        assertThat(jedis.pfcount("nokey")).isZero();
        // PFADD without elements creates an empty HLL
        assertThat(respValue("PFADD", "empty")).isEqualTo(1L);
        assertThat(jedis.exists("empty")).isTrue();
        assertThat(jedis.pfcount("empty")).isZero();
    }

    @Test
    void cachedCardinalityAndEncodings() {
        jedis.pfadd("h", "a", "b", "c");
        byte[] before = jedis.get(b("h"));
        assertThat(before[15] & 0x80).isEqualTo(0x80); // stale after PFADD
        assertThat(jedis.pfcount("h")).isEqualTo(3);
        assertThat(jedis.get(b("h"))[15] & 0x80).isZero(); // PFCOUNT stored the cache
        assertThat(respValue("PFDEBUG", "ENCODING", "h")).isEqualTo("sparse");
        for (int i = 0; i < 5000; i++) jedis.pfadd("h", "e" + i);
        assertThat(respValue("PFDEBUG", "ENCODING", "h")).isEqualTo("dense");
        assertThat(jedis.strlen("h")).isEqualTo(12304);
        jedis.configSet("hll-sparse-max-bytes", "30");
        jedis.pfadd("s", "a", "b", "c", "d", "e", "d", "g", "h", "i", "j", "k");
        assertThat(respValue("PFDEBUG", "ENCODING", "s")).isEqualTo("dense");
        jedis.configSet("hll-sparse-max-bytes", "3000");
        jedis.pfadd("t", "x");
        assertThat(respValue("PFDEBUG", "TODENSE", "t")).isEqualTo(1L);
        assertThat(respValue("PFDEBUG", "TODENSE", "t")).isEqualTo(0L);
        assertThat(respValue("PFDEBUG", "DECODE", "t")).isEqualTo("!ERR HLL encoding is not sparse");
        assertThat(respValue("PFDEBUG", "ENCODING", "nokey")).isEqualTo("!ERR The specified key does not exist");
        assertThat(respValue("PFSELFTEST")).isEqualTo("OK");
    }

    @Test
    void wrongTypesAndCorruptedValues() {
        jedis.set("str", "bar");
        assertThatThrownBy(() -> jedis.pfadd("str", "x")).hasMessage(NOT_HLL);
        assertThatThrownBy(() -> lettuce.pfcount("str")).hasMessage(NOT_HLL);
        assertThatThrownBy(() -> jedis.pfmerge("str", "nokey")).hasMessage(NOT_HLL);
        jedis.lpush("list", "a");
        assertThatThrownBy(() -> jedis.pfadd("list", "x")).hasMessageStartingWith("WRONGTYPE Operation against a key");
        jedis.pfadd("h", "a", "b", "c");
        jedis.append("h", "hello");
        assertThatThrownBy(() -> jedis.pfcount("h")).hasMessage(CORRUPTED);
        assertThatThrownBy(() -> lettuce.pfcount("h", "h")).hasMessage(CORRUPTED);
        jedis.pfadd("m", "a");
        jedis.setrange("m", 0, "0123");
        assertThatThrownBy(() -> jedis.pfcount("m")).hasMessage(NOT_HLL);
    }

    @Test
    void keepsTtlAndCopiesStayIndependent() {
        jedis.pfadd("h", "a");
        jedis.expire("h", 1000);
        jedis.pfadd("h", "b", "c");
        assertThat(jedis.ttl("h")).isPositive();
        assertThat(jedis.copy("h", "c", false)).isTrue();
        byte[] copy = jedis.get(b("c"));
        jedis.pfadd("h", "d", "e", "f");
        jedis.pfcount("h");
        assertThat(jedis.get(b("c"))).isEqualTo(copy);
        assertThat(jedis.pfcount("c")).isEqualTo(3);
        assertThat(jedis.pfcount("h")).isEqualTo(6);
    }

    /** Values made by redis-server (GET over redis-cli) read by Keyline with the same counts, and back. */
    @Test
    void exchangesValuesWithRedisServer() throws Exception {
        assertThat(RedisCliIT.onPath("redis-server") && RedisCliIT.onPath("redis-cli"))
                .as("redis-server and redis-cli must be installed (apt-get install redis-server redis-tools)").isTrue();
        Path dir = Files.createTempDirectory("keyline-hll-redis");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            waitForPing(port, redis);
            try (Jedis r = new Jedis("127.0.0.1", port)) {
                String[] small = new String[200];
                String[] big = new String[20000];
                for (int i = 0; i < small.length; i++) small[i] = "s" + i;
                for (int i = 0; i < big.length; i++) big[i] = "b" + i;
                r.pfadd("sparse", small);
                r.pfadd("dense", big);
                for (String key : new String[] {"sparse", "dense"}) {
                    byte[] fromRedis = redisCliGet(port, key);
                    assertThat(fromRedis).isEqualTo(r.get(b(key)));
                    jedis.set(b(key), fromRedis);
                    assertThat(jedis.pfcount(key)).isEqualTo(r.pfcount(key));
                    // the cache both wrote is the same string
                    assertThat(jedis.get(b(key))).isEqualTo(r.get(b(key)));
                }
                // the other way round: Keyline's values read by Redis
                jedis.pfadd("k", big);
                jedis.pfadd("k2", small);
                r.set(b("k"), jedis.get(b("k")));
                r.set(b("k2"), jedis.get(b("k2")));
                assertThat(r.pfcount("k")).isEqualTo(jedis.pfcount("k"));
                assertThat(r.pfcount("k", "k2", "sparse")).isEqualTo(jedis.pfcount("k", "k2", "sparse"));
                r.pfcount("k2");
                assertThat(r.get(b("k2"))).isEqualTo(r.get(b("sparse"))); // same elements, same bytes
            }
        } finally {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly();
            Files.deleteIfExists(dir.resolve("redis.log"));
            Files.deleteIfExists(dir);
        }
    }

    /** PFDEBUG and PFSELFTEST have no Lettuce method; sent through dispatch over RESP3. */
    @Test
    void pfdebugAndPfselftestThroughLettuce() {
        lettuce.pfadd("h", "a", "b", "c");
        CommandArgs<String, String> enc = new CommandArgs<>(StringCodec.UTF8).add("ENCODING").addKey("h");
        assertThat(lettuce.dispatch(PfKeyword.PFDEBUG, new StatusOutput<>(StringCodec.UTF8), enc)).isEqualTo("sparse");
        CommandArgs<String, String> getreg = new CommandArgs<>(StringCodec.UTF8).add("GETREG").addKey("h");
        List<Object> regs = lettuce.dispatch(PfKeyword.PFDEBUG, new ArrayOutput<>(StringCodec.UTF8), getreg);
        assertThat(regs).hasSize(16384);
        assertThat(regs.stream().filter(r -> (Long) r != 0).count()).isEqualTo(3);
        assertThat(lettuce.dispatch(PfKeyword.PFSELFTEST, new StatusOutput<>(StringCodec.UTF8))).isEqualTo("OK");
        assertThat(lettuce.pfcount("h")).isEqualTo(3);
    }

    private enum PfKeyword implements ProtocolKeyword {
        PFDEBUG, PFSELFTEST;

        @Override
        public byte[] getBytes() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** PFADD and PFCOUNT's cache write-back change the stored string in place (no 12 KB copy per call). */
    @Test
    void pfaddAndPfcountWriteInPlace() {
        String[] big = new String[3000];
        for (int i = 0; i < big.length; i++) big[i] = "x" + i;
        jedis.pfadd("d", big);
        assertThat(respValue("PFDEBUG", "ENCODING", "d")).isEqualTo("dense");
        Object first = stored("d");
        assertThat(first).isInstanceOf(io.keyline.store.MutableString.class);
        byte[] buffer = ((io.keyline.store.MutableString) first).buffer();
        assertThat(jedis.pfadd("d", "new-1", "new-2", "new-3")).isEqualTo(1);
        long count = jedis.pfcount("d");
        assertThat(jedis.pfadd("d", "new-4", "new-5", "new-6", "new-7")).isEqualTo(1);
        assertThat(stored("d")).isSameAs(first);
        assertThat(((io.keyline.store.MutableString) first).buffer()).isSameAs(buffer);
        assertThat(jedis.pfcount("d")).isGreaterThanOrEqualTo(count);
        // a value set as a plain string becomes mutable on its first change, then stays the same object
        jedis.set(b("copy"), jedis.get(b("d")));
        assertThat(stored("copy")).isInstanceOf(byte[].class);
        assertThat(jedis.pfadd("copy", "more-1", "more-2", "more-3", "more-4")).isEqualTo(1);
        Object converted = stored("copy");
        assertThat(converted).isInstanceOf(io.keyline.store.MutableString.class);
        assertThat(jedis.pfadd("copy", "more-5", "more-6", "more-7", "more-8")).isEqualTo(1);
        jedis.pfcount("copy");
        assertThat(stored("copy")).isSameAs(converted);
        assertThat(jedis.pfcount("copy")).isEqualTo(jedis.pfcount("d", "copy"));
        // sparse values grow within their room, and move when they turn dense: counts stay right
        for (int i = 0; i < 2000; i++) jedis.pfadd("s", "e" + i);
        assertThat(respValue("PFDEBUG", "ENCODING", "s")).isEqualTo("dense");
        assertThat(jedis.strlen("s")).isEqualTo(12304);
        assertThat(jedis.pfcount("s")).isBetween(1950L, 2050L);
    }

    private Object stored(String key) {
        return keyline.server().keyspace().db(0).lookupNoTouch(b(key)).value();
    }

    private static void waitForPing(int port, Process redis) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (RespClient c = new RespClient(port)) {
                if (c.timeout(Duration.ofSeconds(1)).call("PING").equals("+PONG\r\n")) return;
            } catch (IOException e) {
                // not up yet
            }
            if (!redis.isAlive() || System.currentTimeMillis() > deadline) throw new IllegalStateException("redis-server did not start");
            Thread.sleep(50);
        }
    }

    /** redis-cli GET into a pipe prints the raw bytes and a newline. */
    private static byte[] redisCliGet(int port, String key) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "GET", key).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out[out.length - 1]).isEqualTo((byte) '\n');
        return Arrays.copyOf(out, out.length - 1);
    }
}
