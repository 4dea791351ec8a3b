/**
 * Lua scripting (EVAL/EVALSHA/SCRIPT, FUNCTION/FCALL): the Lua engine (LuaJ, loaded lazily on first script use),
 * the sandbox, the {@code redis.*} API and the conversion of replies between RESP and Lua.
 *
 * <p>A layer above {@code engine} and below {@code commands}: a script's {@code redis.call} goes through
 * {@code engine.Dispatcher.call} with the script's own CallContext, exactly like a command inside EXEC. The command
 * registrations (EVAL, SCRIPT, FUNCTION, FCALL) live in {@code commands} and call into this package. Libraries
 * (cjson, cmsgpack, struct, bit) are installed into each Lua state by {@link io.keyline.scripting.LuaLibraries}; their
 * engine-independent implementations live in the sub-package {@code lib}.
 *
 * <p>May use: engine, pubsub, session, store, protocol, config, util.
 */
package io.keyline.scripting;
