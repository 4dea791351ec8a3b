package io.keyline.commands;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** MIGRATE's argument helpers: the key positions (Redis's migrateGetKeys) and the port as C's atoi reads it. */
class MigrateCommandTest {
    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        return out;
    }

    @Test
    void keyPositions() {
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "k", "0", "5"))).containsExactly(3);
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "k", "0", "5", "COPY", "REPLACE"))).containsExactly(3);
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "", "0", "5", "KEYS", "a", "b"))).containsExactly(7, 8);
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "", "0", "5", "KEYS"))).isEmpty();
        // AUTH's password and AUTH2's username and password are skipped, even when they read "KEYS"
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "", "0", "5", "AUTH", "keys", "KEYS", "a"))).containsExactly(9);
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "", "0", "5", "AUTH2", "KEYS", "keys", "KEYS", "a")))
                .containsExactly(10);
        // KEYS with a non-empty key argument: no keys (the command then fails)
        assertThat(MigrateCommand.keys(argv("MIGRATE", "h", "1", "k", "0", "5", "KEYS", "a"))).isEmpty();
    }

    @Test
    void portIsReadAsAtoiDoes() {
        assertThat(MigrateCommand.atoi(argv("6379")[0])).isEqualTo(6379);
        assertThat(MigrateCommand.atoi(argv(" 80abc")[0])).isEqualTo(80);
        assertThat(MigrateCommand.atoi(argv("abc")[0])).isZero();
        assertThat(MigrateCommand.atoi(argv("-5")[0])).isEqualTo(-5);
        assertThat(MigrateCommand.atoi(argv("+7")[0])).isEqualTo(7);
        assertThat(MigrateCommand.atoi(argv("")[0])).isZero();
    }
}
