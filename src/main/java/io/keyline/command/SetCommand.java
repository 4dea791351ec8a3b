package io.keyline.command;

import io.keyline.store.Database;

/** SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] */
final class SetCommand {
    private SetCommand() {
    }

    static void set(Client c, byte[][] argv) {
        boolean nx = false, xx = false, get = false, keepTtl = false;
        long expireAt = Database.NO_TTL;
        String unit = null;
        for (int i = 3; i < argv.length; i++) {
            byte[] a = argv[i];
            boolean hasNext = i + 1 < argv.length;
            if (Args.is(a, "nx") && !xx) {
                nx = true;
            } else if (Args.is(a, "xx") && !nx) {
                xx = true;
            } else if (Args.is(a, "get")) {
                get = true;
            } else if (Args.is(a, "keepttl") && unit == null) {
                keepTtl = true;
            } else if ((Args.is(a, "ex") || Args.is(a, "px") || Args.is(a, "exat") || Args.is(a, "pxat"))
                    && unit == null && !keepTtl && hasNext) {
                unit = Args.lower(a);
                expireAt = deadline(c, unit, argv[++i], "set");
            } else {
                throw Errors.syntax();
            }
        }
        Database db = c.db();
        byte[] key = argv[1];
        Object old = db.get(key);
        if (get && old != null && !(old instanceof byte[])) throw Errors.wrongType();
        boolean exists = old != null;
        if ((nx && exists) || (xx && !exists)) {
            if (get) c.reply.bulk((byte[]) old);
            else c.reply.nullBulk();
            return;
        }
        if (unit != null && expireAt <= c.server().keyspace().clock().millis()) {
            // Already in the past: the key is deleted, as Redis does (and logged as DEL).
            if (exists) {
                db.delete(key);
                c.modified(key);
                c.propagateAs(KeyCommands.DEL, key);
            }
            if (get) c.reply.bulk((byte[]) old);
            else c.reply.ok();
            return;
        }
        db.set(key, argv[2], keepTtl ? Database.KEEP_TTL : expireAt);
        c.modified(key);
        if (unit != null && !unit.equals("pxat")) {
            c.propagateAs(StringCommands.SET, key, argv[2], StringCommands.PXAT, io.keyline.store.Bytes.fromLong(expireAt));
        } else if (unit == null) {
            c.propagateAs(keepTtl ? new byte[][]{StringCommands.SET, key, argv[2], StringCommands.KEEPTTL}
                    : new byte[][]{StringCommands.SET, key, argv[2]});
        }
        if (get) c.reply.bulk((byte[]) old);
        else c.reply.ok();
    }

    /**
     * Absolute deadline in ms for EX/PX/EXAT/PXAT {@code value}; Redis's errors for non-integers,
     * non-positive values and overflow.
     */
    static long deadline(Client c, String unit, byte[] value, String command) {
        long v = Args.toLong(value);
        if (v <= 0) throw new RedisException(String.format(Errors.INVALID_EXPIRE, command));
        long ms;
        try {
            ms = switch (unit) {
                case "ex" -> Math.addExact(c.server().keyspace().clock().millis(), Math.multiplyExact(v, 1000L));
                case "px" -> Math.addExact(c.server().keyspace().clock().millis(), v);
                case "exat" -> Math.multiplyExact(v, 1000L);
                default -> v;
            };
        } catch (ArithmeticException e) {
            throw new RedisException(String.format(Errors.INVALID_EXPIRE, command));
        }
        return ms;
    }
}
