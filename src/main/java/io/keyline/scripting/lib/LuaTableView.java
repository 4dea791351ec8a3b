package io.keyline.scripting.lib;

import java.util.Map;

/** A Lua table as the libraries read it: its pairs in the engine's {@code next} order and raw integer reads. */
public interface LuaTableView {
    /** The table's pairs (keys and values never nil), in the order Lua's {@code next} visits them. */
    Iterable<Map.Entry<Object, Object>> pairs();

    /** {@code rawget(t, i)}. */
    Object rawGet(long index);

    /** {@code lua_objlen}: a border of the table (for a sequence, its length). */
    long length();
}
