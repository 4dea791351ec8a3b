/**
 * Keyline's addition to LuaJ's compiler package: {@link org.luaj.vm2.compiler.Lua51Compiler}, a parser front end
 * with Lua 5.1's lexical rules and error texts. It lives in LuaJ's package because the lexer's members it overrides
 * are package-private; no LuaJ class is changed.
 */
package org.luaj.vm2.compiler;
