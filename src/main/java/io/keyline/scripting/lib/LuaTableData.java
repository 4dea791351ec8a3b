package io.keyline.scripting.lib;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A table built by a library (cjson.decode, cmsgpack.unpack): its entries in rawset order (a later entry with an
 * equal key replaces an earlier one, as rawset would). Keys are {@link Double} or {@code byte[]}.
 */
public final class LuaTableData implements LuaTableView {
    private final List<Map.Entry<Object, Object>> entries = new ArrayList<>();
    /**
     * Called every 4,096 entries a decoder adds (cjson.decode, cmsgpack.unpack of a decoding bomb): the scripting
     * engine installs its memory cap here, which throws to stop the decoding. The heap is the JVM's, so static.
     */
    private static volatile Runnable growthCheck = () -> { };

    public static void growthCheck(Runnable check) {
        growthCheck = check;
    }

    private void added() {
        if ((entries.size() & 4095) == 0) growthCheck.run();
    }

    /** rawset(t, key, value); a nil value removes the key. */
    public void rawSet(Object key, Object value) {
        for (int i = 0; i < entries.size(); i++) {
            if (keyEquals(entries.get(i).getKey(), key)) {
                if (value == null) {
                    entries.remove(i);
                } else {
                    entries.set(i, new AbstractMap.SimpleImmutableEntry<>(entries.get(i).getKey(), value));
                }
                return;
            }
        }
        if (value != null) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
            added();
        }
    }

    /** Appends without looking for an equal key (keys known distinct, e.g. array indexes in order). */
    public void append(Object key, Object value) {
        if (value != null) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(key, value));
            added();
        }
    }

    public List<Map.Entry<Object, Object>> entries() {
        return entries;
    }

    @Override
    public Iterable<Map.Entry<Object, Object>> pairs() {
        return entries;
    }

    @Override
    public Object rawGet(long index) {
        for (Map.Entry<Object, Object> e : entries) {
            if (e.getKey() instanceof Double d && d == index) {
                return e.getValue();
            }
        }
        return null;
    }

    public Object get(String key) {
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Map.Entry<Object, Object> e : entries) {
            if (keyEquals(e.getKey(), k)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public long length() {
        long n = 0;
        while (rawGet(n + 1) != null) {
            n++;
        }
        return n;
    }

    private static boolean keyEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a != null && a.equals(b);
    }
}
