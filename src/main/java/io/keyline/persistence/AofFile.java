package io.keyline.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The few file operations the AOF writer uses; an interface so tests can inject disk failures. */
interface AofFile extends AutoCloseable {
    /** Writes all of {@code src} at {@code position} (may throw after writing part of it). */
    void write(ByteBuffer src, long position) throws IOException;

    void force() throws IOException;

    void truncate(long size) throws IOException;

    long size() throws IOException;

    @Override
    void close() throws IOException;

    /** Opens (creating if needed) a file for appending. */
    @FunctionalInterface
    interface Opener {
        AofFile open(Path path) throws IOException;
    }

    /** FileChannel-backed; an anonymous class rather than a lambda, which the start path would link (~0.3-0.5 ms). */
    Opener DEFAULT = new Opener() {
        @Override
        public AofFile open(Path path) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new AofFile() {
                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    long p = position;
                    while (src.hasRemaining()) p += ch.write(src, p);
                }

                @Override
                public void force() throws IOException {
                    ch.force(false);
                }

                @Override
                public void truncate(long size) throws IOException {
                    ch.truncate(size);
                }

                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
    };
}
