package io.keyline.integration;

import io.keyline.embed.EmbeddedKeyline;
import io.keyline.store.type.ListValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DEBUG QUICKLIST-PACKED-THRESHOLD: Redis's size syntax, range and errors; lists keep working with plain nodes. */
class QuicklistPackedThresholdIT extends ServerTestBase {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes();
    private static final String RANGE = "ERR argument must be a memory value bigger than 1 and smaller than 4gb";

    @Override
    protected void configure(EmbeddedKeyline.Builder builder) {
        builder.config("enable-debug-command", "yes");
    }

    @AfterEach
    void restoreDefault() {
        ListValue.setPackedThreshold(0);
    }

    private Object threshold(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "QUICKLIST-PACKED-THRESHOLD";
        System.arraycopy(args, 0, all, 1, args.length);
        return jedis.sendCommand(DEBUG, all);
    }

    @Test
    void acceptsRedisMemorySizes() {
        assertThat(threshold("1k")).isEqualTo("OK".getBytes());
        assertThat(ListValue.packedThreshold()).isEqualTo(1000);
        threshold("1KB");
        assertThat(ListValue.packedThreshold()).isEqualTo(1024);
        threshold("2mb");
        assertThat(ListValue.packedThreshold()).isEqualTo(2L << 20);
        threshold("4095mb");
        assertThat(ListValue.packedThreshold()).isEqualTo(4095L << 20);
        threshold("0");
        assertThat(ListValue.packedThreshold()).isEqualTo(1L << 30);
    }

    @Test
    void rejectsWhatRedisRejects() {
        for (String bad : List.of("-1", "1x", "4gb", "4294967295", " 1", "+1", "1.5k", "18446744073709551616")) {
            assertThatThrownBy(() -> threshold(bad)).as(bad).hasMessage(RANGE);
        }
        assertThatThrownBy(() -> threshold()).hasMessage(
                "ERR unknown subcommand or wrong number of arguments for 'QUICKLIST-PACKED-THRESHOLD'. Try DEBUG HELP.");
    }

    @Test
    void listsWithPlainNodesBehaveAsBefore() {
        threshold("1b");
        jedis.configSet("list-max-listpack-size", "4");
        try {
            jedis.rpush("l", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            jedis.lpush("l", "xxxxxxxxxx");
            jedis.linsert("l", redis.clients.jedis.args.ListPosition.BEFORE, "5", "yyyy");
            jedis.lset("l", 3, "zzzz");
            assertThat(jedis.lrange("l", 0, -1))
                    .containsExactly("xxxxxxxxxx", "1", "2", "zzzz", "4", "yyyy", "5", "6", "7", "8", "9");
            assertThat(jedis.objectEncoding("l")).isEqualTo("quicklist");
        } finally {
            jedis.configSet("list-max-listpack-size", "-2");
        }
    }
}
