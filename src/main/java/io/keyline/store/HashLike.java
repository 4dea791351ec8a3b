package io.keyline.store;

/** What SORT's {@code ->field} patterns need of a hash value: the hash type's value class implements this. */
public interface HashLike {
    /** The field's value, or null if the hash has no such field. */
    byte[] get(byte[] field);
}
