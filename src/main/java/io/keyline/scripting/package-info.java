/**
 * Lua scripting (EVAL, FUNCTION): the engine binding and Redis's Lua environment. Sits above {@code engine} and
 * below {@code commands}. The sub-package {@code lib} holds Redis's bundled Lua libraries (cjson, cmsgpack, struct,
 * bit) written against a neutral value model, independent of the Lua engine.
 */
package io.keyline.scripting;
