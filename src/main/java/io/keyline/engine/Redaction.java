package io.keyline.engine;

import io.keyline.config.Config;
import io.keyline.config.Parameter;
import io.keyline.util.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * The arguments Redis 7.2 hides from the slow log and from MONITOR ({@code redactClientCommandArgument}
 * in its handlers): a command's logged argv shows {@code (redacted)} in their place.
 */
final class Redaction {
    static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private Redaction() {
    }

    /**
     * Which arguments Redis 7.2 replaces by "(redacted)" (its redactClientCommandArgument calls):
     * AUTH's credentials, ACL SETUSER's name and rules, HELLO's AUTH username and password, CONFIG SET values of sensitive
     * parameters. Null when nothing is redacted.
     */
    static boolean[] of(CommandSpec spec, byte[][] argv, Config config) {
        boolean[] r = null;
        switch (spec.name) {
            case "auth" -> {
                if (argv.length <= 3) {
                    r = new boolean[argv.length];
                    for (int j = 1; j < argv.length; j++) r[j] = true;
                }
            }
            case "hello" -> {
                // HELLO checks the protocol version first: a refused one redacts nothing.
                if (argv.length < 2) break;
                Long v = Bytes.parseLongOrError(argv[1]);
                if (v == null || v < 2 || v > 3) break;
                for (int j = 2; j < argv.length; j++) {
                    int more = argv.length - 1 - j;
                    if (Bytes.equalsIgnoreCase(argv[j], "auth") && more >= 2) {
                        if (r == null) r = new boolean[argv.length];
                        r[j + 1] = true;
                        r[j + 2] = true;
                        j += 2;
                    } else if (Bytes.equalsIgnoreCase(argv[j], "setname") && more >= 1) {
                        j++;
                    } else {
                        break;
                    }
                }
            }
            case "migrate" -> {
                // As migrateCommand: AUTH's password and AUTH2's username and password; parsing stops at KEYS.
                for (int j = 6; j < argv.length; j++) {
                    int more = argv.length - 1 - j;
                    if (Bytes.equalsIgnoreCase(argv[j], "auth") && more >= 1) {
                        if (r == null) r = new boolean[argv.length];
                        r[++j] = true;
                    } else if (Bytes.equalsIgnoreCase(argv[j], "auth2") && more >= 2) {
                        if (r == null) r = new boolean[argv.length];
                        r[++j] = true;
                        r[++j] = true;
                    } else if (!Bytes.equalsIgnoreCase(argv[j], "copy") && !Bytes.equalsIgnoreCase(argv[j], "replace")) {
                        break;
                    }
                }
            }
            case "acl|setuser" -> {
                // As Redis's aclCommand: every argument after the subcommand (passwords among the rules).
                r = new boolean[argv.length];
                for (int j = 2; j < argv.length; j++) r[j] = true;
            }
            case "config|set" -> {
                Config cfg = config;
                if (cfg == null) break;
                for (int j = 2; j + 1 < argv.length; j += 2) {
                    Parameter p = cfg.find(Bytes.str(argv[j]));
                    if (p != null && p.sensitive()) {
                        if (r == null) r = new boolean[argv.length];
                        r[j + 1] = true;
                    }
                }
            }
            default -> {
            }
        }
        return r;
    }
}
