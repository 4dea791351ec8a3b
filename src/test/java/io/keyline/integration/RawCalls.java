package io.keyline.integration;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Sends any command through Jedis and decodes the reply to Strings/Longs/Lists ("!ERR ..." for errors). */
final class RawCalls {
    private RawCalls() {
    }

    static ProtocolCommand cmd(String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        return () -> raw;
    }

    static Object call(Jedis jedis, String... argv) {
        String[] args = new String[argv.length - 1];
        System.arraycopy(argv, 1, args, 0, args.length);
        try {
            return decode(jedis.sendCommand(cmd(argv[0]), args));
        } catch (JedisDataException e) {
            return "!" + e.getMessage();
        }
    }

    static Object decode(Object o) {
        if (o instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(decode(x));
            return out;
        }
        if (o instanceof JedisDataException e) return "!" + e.getMessage();
        return o;
    }
}
