package io.keyline.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * An error raised from Java: an error table (redis.call and the redis.* API) or a library's message
 * (cjson, struct...; Redis's C libraries raise it with luaL_error, which prefixes "user_script:N: ").
 * LuaJ records where the calling
 * Lua code stood in the protected {@code fileline} ("user_script:3") but adds no text to a table
 * error; Redis names that line in "on @user_script:3.", so this exposes it.
 */
final class TableError extends LuaError {
    TableError(LuaValue t) {
        super(t);
    }

    /** The line of the Lua code that called the raising function, or 0 when LuaJ did not record it. */
    int line() {
        String f = fileline;
        if (f == null) return 0;
        int colon = f.lastIndexOf(':');
        try {
            return Integer.parseInt(f.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
