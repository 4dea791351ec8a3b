package io.keyline.scripting.lib;

/**
 * A Lua error raised by a library ({@code luaL_error}/{@code luaL_argerror}); the message is Redis's text without
 * the position prefix ("user_script:1: "), which the binding adds as luaL_where does.
 */
public final class LuaLibError extends RuntimeException {
    public LuaLibError(String message) {
        super(message, null, false, false);
    }

    /** luaL_argerror: "bad argument #n to 'f' (msg)". */
    public static LuaLibError arg(int n, String function, String msg) {
        return new LuaLibError("bad argument #" + n + " to '" + function + "' (" + msg + ")");
    }
}
