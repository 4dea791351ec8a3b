package io.keyline.scripting;

import java.util.regex.Pattern;
import org.luaj.vm2.Lua;

/**
 * Lua 5.1's position on an error message ({@code luaL_where}: {@code "user_script:3: "}) where LuaJ writes
 * {@code "@user_script:3 "}. Public because the build patches LuaJ's {@code org.luaj.vm2.LuaError.getMessage()} to
 * call {@link #message} (tools/PatchLuaNumbers.java), so the text a script sees from {@code pcall} is Redis's, as
 * well as the error Keyline replies with.
 */
public final class LuaErrorText {
    private static final Pattern UNNAMED_ARGUMENT = Pattern.compile("^(bad argument #-?\\d+ to )'[^']*'");

    private LuaErrorText() {
    }

    /**
     * The message with its position: {@code fileline} is LuaJ's "source:line" of the Lua code that raised it or
     * called the raising function (null when there is none), the source written as 5.1's chunkid
     * ({@code "@user_script"} → {@code "user_script"}, a loadstring chunk → {@code [string "..."]}).
     */
    public static String message(String fileline, String message) {
        if (fileline == null) {
            // No Lua code called the raising function (pcall did, or a tail call): 5.1's luaL_argerror cannot
            // name the function then and writes '?'
            return message == null ? null : UNNAMED_ARGUMENT.matcher(message).replaceFirst("$1'?'");
        }
        int colon = fileline.lastIndexOf(':');
        if (colon < 0) return fileline + " " + message;
        return Lua.chunkid(fileline.substring(0, colon)) + fileline.substring(colon) + ": " + message;
    }
}
