package io.keyline.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed RESP reply with the exact bytes it was read from. {@link #type} is the RESP type byte
 * ({@code + - : $ * _ , # ( = ! % ~ > }); the value is a String (simple, bulk, verbatim, double, error
 * message), Long, BigInteger, Boolean, null (RESP2 null bulk/array, RESP3 null) or, for aggregates, a
 * List of replies (maps as key, value, key, value...). Attributes sent before a reply are attached to it.
 */
public final class Reply {
    private final char type;
    private final Object value;
    private final List<Reply> attributes;
    private final byte[] raw;

    Reply(char type, Object value, List<Reply> attributes, byte[] raw) {
        this.type = type;
        this.value = value;
        this.attributes = attributes;
        this.raw = raw;
    }

    Reply withRaw(byte[] bytes) {
        return new Reply(type, value, attributes, bytes);
    }

    Reply withAttributes(List<Reply> attrs) {
        return new Reply(type, value, attrs, raw);
    }

    public char type() {
        return type;
    }

    /** The exact bytes of this reply (attribute included); null for elements of an aggregate. */
    public byte[] raw() {
        return raw;
    }

    /** The exact bytes of this reply as text, e.g. {@code "*1\r\n$1\r\na\r\n"}. */
    public String text() {
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    public Object value() {
        return value;
    }

    /** Attribute key/value replies sent before this reply (RESP3 {@code |}), or an empty list. */
    public List<Reply> attributes() {
        return attributes == null ? List.of() : attributes;
    }

    public boolean isError() {
        return type == '-' || type == '!';
    }

    public boolean isNull() {
        return value == null;
    }

    public boolean isPush() {
        return type == '>';
    }

    /** The value of a simple, bulk, verbatim, double or error reply (error message without the '-'). */
    public String string() {
        if (value instanceof String s) return s;
        throw new IllegalStateException("not a string reply: " + describe());
    }

    public long asLong() {
        if (value instanceof Long l) return l;
        throw new IllegalStateException("not an integer reply: " + describe());
    }

    /** The elements of an array, set, push or map (flattened). */
    @SuppressWarnings("unchecked")
    public List<Reply> elements() {
        if (value instanceof List<?> l) return (List<Reply>) l;
        throw new IllegalStateException("not an aggregate reply: " + describe());
    }

    /** A map (or a flat key/value array such as a RESP2 HELLO reply) keyed by the string keys. */
    public Map<String, Reply> asMap() {
        List<Reply> items = elements();
        Map<String, Reply> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) map.put(items.get(i).string(), items.get(i + 1));
        return map;
    }

    /**
     * Plain Java values: String for simple, bulk, verbatim, double and big-number replies, Long,
     * Boolean, null, List for aggregates (maps flattened) and {@code "!" + message} for errors.
     */
    public Object toJava() {
        if (isError()) return "!" + value;
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(((Reply) o).toJava());
            return out;
        }
        if (value instanceof java.math.BigInteger b) return b.toString();
        return value;
    }

    private String describe() {
        return raw != null ? text() : type + String.valueOf(value);
    }

    @Override
    public String toString() {
        return describe();
    }
}
