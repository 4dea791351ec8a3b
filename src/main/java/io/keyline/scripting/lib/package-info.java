/**
 * Redis's bundled Lua libraries (deps/lua/src lua_cjson.c, lua_cmsgpack.c, lua_struct.c, lua_bit.c), reimplemented
 * byte for byte against a neutral value model so any Lua engine can bind them:
 * <ul>
 *   <li>Lua values are {@code null} (nil), {@link java.lang.Boolean}, {@link java.lang.Double} (number),
 *       {@code byte[]} (string), {@link io.keyline.scripting.lib.LuaTableView} (table),
 *       {@link io.keyline.scripting.lib.LuaOpaque} (function, userdata, thread; carries its type name) and
 *       {@link io.keyline.scripting.lib.CJson#NULL} (cjson.null, the NULL light userdata).</li>
 *   <li>Tables the libraries build (decode, unpack) are {@link io.keyline.scripting.lib.LuaTableData}: entries in
 *       the order Lua's rawset would see them.</li>
 *   <li>A library is a {@link io.keyline.scripting.lib.LuaModule}: named {@link io.keyline.scripting.lib.LibFunction}s
 *       and constant fields; errors are {@link io.keyline.scripting.lib.LuaLibError} with Redis's texts (the binding
 *       adds Lua's position prefix as luaL_error does).</li>
 * </ul>
 * Uses nothing of Keyline (java.base only).
 */
package io.keyline.scripting.lib;
