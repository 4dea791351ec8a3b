/**
 * Redis's RDB serialization of values, both ways, as Redis 7.2's {@code rdb.c}: {@link
 * io.keyline.persistence.rdb.RdbValues} writes a value in the type Redis would pick for its
 * encoding and reads every type 7.2 loads (ziplist, zipmap, intset, quicklist v1/v2, listpacks,
 * stream listpacks v1 to v3); {@link io.keyline.persistence.rdb.Listpack} and {@code OldEncodings}
 * are the blob formats, {@link io.keyline.util.Lzf} and {@link
 * io.keyline.util.Crc64} the compression and checksum, {@link
 * io.keyline.persistence.rdb.Dump} DUMP's payload. {@link io.keyline.persistence.rdb.RdbFileWriter}
 * and {@link io.keyline.persistence.rdb.RdbFileReader} are the whole file (magic, AUX fields, function
 * libraries, SELECTDB/RESIZEDB, expire times, LRU/LFU hints, EOF and CRC64; versions 1 to 11 read, 10
 * and 11 written), streamed, with the byte offset of any corruption.
 *
 * <p>May use {@code store} (the values it reads and builds) and {@code util}; never RESP, Netty,
 * the configuration or the commands (callers pass the version, compression and limits). Enforced
 * by {@code ArchitectureTest}.
 */
package io.keyline.persistence.rdb;
