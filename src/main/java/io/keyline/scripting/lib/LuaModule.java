package io.keyline.scripting.lib;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A library table such as {@code cjson}: its global name and its fields (functions and constants). */
public final class LuaModule {
    private final String name;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public LuaModule(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public LuaModule function(String field, LibFunction f) {
        fields.put(field, f);
        return this;
    }

    public LuaModule constant(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    /** Field name to {@link LibFunction}, {@code byte[]}, {@link Double}, {@link LuaModule} or {@link CJson#NULL}. */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }
}
