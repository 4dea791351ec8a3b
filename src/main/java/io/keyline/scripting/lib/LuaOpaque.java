package io.keyline.scripting.lib;

/** A Lua value the libraries cannot look into (function, userdata, thread, light userdata other than NULL). */
public record LuaOpaque(String typeName) {
}
