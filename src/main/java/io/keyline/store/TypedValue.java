package io.keyline.store;

/**
 * What every non-string value class implements so generic commands can describe it without
 * knowing the type: {@code TYPE}, {@code SCAN ... TYPE}, {@code OBJECT ENCODING}. Strings are plain
 * {@code byte[]} and need no wrapper ({@link #typeOf} answers {@code "string"} for them).
 */
public interface TypedValue {
    /** Redis's type name as TYPE reports it: {@code "list"}, {@code "hash"}, {@code "set"}, {@code "zset"}... */
    String typeName();

    /** Redis's encoding name as OBJECT ENCODING reports it: {@code "listpack"}, {@code "hashtable"}... */
    String encoding();

    /** The TYPE name of any stored value ({@code "none"} for null). */
    static String typeOf(Object value) {
        if (value == null) return "none";
        if (value instanceof byte[]) return "string";
        if (value instanceof TypedValue t) return t.typeName();
        return "unknown";
    }
}
