package io.keyline.engine;

/** Redis's exact error texts. */
public final class Errors {
    public static final String WRONG_TYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String DB_INDEX = "ERR DB index is out of range";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String OOM_CAPACITY = "OOM command not allowed when the number of keys has reached 'capacity'.";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String LOADING = "LOADING Redis is loading the dataset in memory";
    public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String NOT_POSITIVE = "ERR value is out of range, must be positive";
    public static final String MAX_STRING = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String INVALID_CURSOR = "ERR invalid cursor";

    private Errors() {
    }

    public static RedisException notInteger() {
        return new RedisException(NOT_INTEGER);
    }

    public static RedisException syntax() {
        return new RedisException(SYNTAX);
    }

    public static RedisException wrongArgs(String command) {
        return new RedisException("ERR wrong number of arguments for '" + command + "' command");
    }

    public static RedisException unknownSubcommand(String sub, String command) {
        return new RedisException("ERR unknown subcommand '" + abbreviate(sub) + "'. Try " + command.toUpperCase() + " HELP.");
    }

    public static String abbreviate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
