package io.keyline.scripting;

import org.luaj.vm2.Globals;

/**
 * The binding point for the Lua libraries Redis ships besides the standard ones: {@code cjson}, {@code cmsgpack},
 * {@code struct} and {@code bit}, written in Java. {@link #install} is called once per Lua state, after the standard
 * libraries are loaded and before the sandbox is applied (so the library tables become read-only and the globals
 * protection covers them like the others).
 *
 * <p>Each library is a global table of functions ({@code globals.set("cjson", table)}); functions take and return
 * {@link org.luaj.vm2.LuaValue}s; Lua strings are binary-safe byte arrays ({@link org.luaj.vm2.LuaString}: use
 * {@code LuaString.valueUsing(byte[])} / {@code s.m_bytes, s.m_offset, s.m_length}, never {@code tojstring()} for
 * data). Raise errors with {@code throw new LuaError("message")}. Keep each library in its own class in this
 * package (e.g. {@code LuaCjson.install(globals)}).
 */
public final class LuaLibraries {
    private LuaLibraries() {
    }

    /** Installs cjson, cmsgpack, struct and bit as globals of {@code globals}. */
    public static void install(Globals globals) {
        // Filled in by the libraries work (h-lualib): cjson, cmsgpack, struct, bit.
    }
}
