package io.keyline.store;

/**
 * A collection value (list, hash, set, sorted set): the store measures it around a mutation to
 * account its memory and deletes its key once it is empty ({@link Database#endUpdate}), since
 * Redis never keeps an empty collection.
 */
public interface CollectionValue extends MemorySized {
    boolean isEmpty();
}
