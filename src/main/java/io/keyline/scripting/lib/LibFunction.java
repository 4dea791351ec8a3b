package io.keyline.scripting.lib;

/** A library function: Lua arguments in, Lua results out (neutral values, see the package documentation). */
@FunctionalInterface
public interface LibFunction {
    Object[] call(Object[] args);
}
