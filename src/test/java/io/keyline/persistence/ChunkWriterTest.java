package io.keyline.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ChunkWriter}: file order = hand-over order, from several threads; the queue stays within its bound. */
class ChunkWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryChunkInOrderWithinTheBound() throws Exception {
        Path f = dir.resolve("out");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream observed = new ByteArrayOutputStream();
        long bound = 4096;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ChunkWriter w = new ChunkWriter(ch, bound, "test-chunk-writer", (data, len) -> observed.write(data, 0, len));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(id);
                    for (int i = 0; i < 300; i++) {
                        byte[] chunk = new byte[1 + rnd.nextInt(1000)];
                        rnd.nextBytes(chunk);
                        // hand-over order is the order of this lock, as under a stripe lock
                        synchronized (expected) {
                            expected.write(chunk, 0, chunk.length - 1);
                            w.put(chunk, chunk.length - 1);
                        }
                    }
                }));
            }
            for (Thread t : threads) t.start();
            for (Thread t : threads) t.join();
            w.finish();
            assertThat(w.peakQueuedBytes()).isLessThanOrEqualTo(bound);
            assertThat(w.bytesWritten()).isEqualTo(expected.size());
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(expected.toByteArray());
        assertThat(observed.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aWriteErrorIsReportedAndNeverBlocksProducers() throws Exception {
        Path f = dir.resolve("ro");
        Files.write(f, new byte[0]);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ); // writes fail
        try (ch) {
            ChunkWriter w = new ChunkWriter(ch, 10, "test-chunk-writer");
            for (int i = 0; i < 100; i++) w.put(new byte[8], 8);
            assertThatThrownBy(w::finish).isInstanceOf(IOException.class);
        }
    }
}
