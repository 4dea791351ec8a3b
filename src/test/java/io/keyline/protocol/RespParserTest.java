package io.keyline.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RespParser against Redis 7's processMultibulkBuffer / processInlineBuffer / sdssplitargs. */
class RespParserTest {
    private static final long MAX_BULK = 512L * 1024 * 1024;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Parses everything in {@code input} (given at once) into a list of argv, as strings. */
    private static List<List<String>> parseAll(byte[] input) {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.wrappedBuffer(input);
        List<List<String>> out = new ArrayList<>();
        byte[][] argv;
        while (in.isReadable() && (argv = p.next(in)) != null) {
            if (argv.length > 0) out.add(strings(argv));
        }
        return out;
    }

    private static List<List<String>> parseAll(String input) {
        return parseAll(b(input));
    }

    private static List<String> strings(byte[][] argv) {
        List<String> l = new ArrayList<>();
        for (byte[] a : argv) l.add(new String(a, StandardCharsets.ISO_8859_1));
        return l;
    }

    /** Feeds the input one byte at a time into a growing buffer, parsing after each byte. */
    private static List<List<String>> parseByteByByte(byte[] input) {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.buffer();
        List<List<String>> out = new ArrayList<>();
        for (byte x : input) {
            in.writeByte(x);
            byte[][] argv;
            while (in.isReadable() && (argv = p.next(in)) != null) {
                if (argv.length > 0) out.add(strings(argv));
            }
            in.discardReadBytes();
        }
        return out;
    }

    /** Splits the input at {@code cut} into two reads. */
    private static List<List<String>> parseInTwo(byte[] input, int cut) {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.buffer();
        List<List<String>> out = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            if (part == 0) in.writeBytes(input, 0, cut);
            else in.writeBytes(input, cut, input.length - cut);
            byte[][] argv;
            while (in.isReadable() && (argv = p.next(in)) != null) {
                if (argv.length > 0) out.add(strings(argv));
            }
        }
        assertThat(in.isReadable()).isFalse();
        return out;
    }

    private static String protocolError(String input) {
        return protocolError(new RespParser(MAX_BULK), b(input));
    }

    private static String protocolError(RespParser p, byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            while (in.isReadable() && p.next(in) != null) {
                // keep going until the error or the end
            }
        } catch (ProtocolException e) {
            return e.getMessage();
        }
        return null;
    }

    private static byte[] multibulk(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(b("*" + args.length + "\r\n"));
        for (String a : args) {
            byte[] x = a.getBytes(StandardCharsets.ISO_8859_1);
            o.writeBytes(b("$" + x.length + "\r\n"));
            o.writeBytes(x);
            o.writeBytes(b("\r\n"));
        }
        return o.toByteArray();
    }

    // ---- multibulk shapes ------------------------------------------------------------------------

    @Test
    void singleCommand() {
        assertThat(parseAll("*1\r\n$4\r\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(parseAll("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n")).containsExactly(List.of("SET", "k", "value"));
    }

    @Test
    void emptyAndBinaryArguments() {
        assertThat(parseAll("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n")).containsExactly(List.of("ECHO", ""));
        assertThat(parseAll("*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\0\n\r\n")).containsExactly(List.of("ECHO", "\r\n\0\n"));
        assertThat(parseAll("*1\r\n$0\r\n\r\n")).containsExactly(List.of(""));
    }

    @Test
    void zeroAndNegativeCountsAreSkipped() {
        assertThat(parseAll("*0\r\n*1\r\n$4\r\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(parseAll("*-1\r\n*1\r\n$4\r\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(parseAll("*-5\r\n*1\r\n$4\r\nPING\r\n")).containsExactly(List.of("PING"));
        assertThat(parseAll("*-9223372036854775808\r\nPING\r\n")).containsExactly(List.of("PING"));
    }

    @Test
    void countAndLengthReturnEmptyArrayForSkippedRequests() {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.wrappedBuffer(b("*0\r\n\r\n"));
        assertThat(p.next(in)).isEmpty();
        assertThat(p.next(in)).isEmpty();
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void bytesAfterBulkDataAreSkippedUnchecked() {
        // Redis skips the two bytes after the data without looking at them.
        assertThat(parseAll("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n")).containsExactly(List.of("PING"), List.of("PING"));
    }

    @Test
    void crFollowedByAnyByteEndsALengthLine() {
        assertThat(protocolError("*1\r$4\r\nPING\r\n")).isEqualTo("Protocol error: expected '$', got '4'");
    }

    @Test
    void pipelinedMixOfMultibulkAndInline() {
        assertThat(parseAll("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\nGET a\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n"))
                .containsExactly(List.of("SET", "a", "b"), List.of("GET", "a"), List.of("GET", "a"));
    }

    @Test
    void incompleteInputReturnsNullAndKeepsState() {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(b("*2\r\n$4\r\nECHO\r\n$5\r\nhel"));
        assertThat(p.next(in)).isNull();
        assertThat(p.inProgress()).isTrue();
        in.writeBytes(b("lo\r"));
        assertThat(p.next(in)).isNull();
        in.writeBytes(b("\n"));
        assertThat(strings(p.next(in))).containsExactly("ECHO", "hello");
        assertThat(p.inProgress()).isFalse();
    }

    @Test
    void everySplitPointOfAPipelinedBatchGivesTheSameCommands() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(multibulk("SET", "key:1", "a value with spaces"));
        o.writeBytes(multibulk("ECHO", ""));
        o.writeBytes(b("*0\r\n"));
        o.writeBytes(b("PING\r\n"));
        o.writeBytes(b("\r\n"));
        o.writeBytes(b("SET k \"a\\x41 b\" 'it\\'s'\n"));
        o.writeBytes(multibulk("MSET", "a", "1", "b", "2", "binary\r\n\0"));
        o.writeBytes(b("*-1\r\n"));
        o.writeBytes(multibulk("GET", "x".repeat(300)));
        byte[] batch = o.toByteArray();
        List<List<String>> expected = List.of(
                List.of("SET", "key:1", "a value with spaces"),
                List.of("ECHO", ""),
                List.of("PING"),
                List.of("SET", "k", "aA b", "it's"),
                List.of("MSET", "a", "1", "b", "2", "binary\r\n\0"),
                List.of("GET", "x".repeat(300)));
        assertThat(parseAll(batch)).isEqualTo(expected);
        assertThat(parseByteByByte(batch)).isEqualTo(expected);
        for (int cut = 0; cut <= batch.length; cut++) {
            assertThat(parseInTwo(batch, cut)).as("split at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void randomFramesRoundTripWhateverTheReadSizes() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<List<String>> expected = new ArrayList<>();
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            int commands = 1 + random.nextInt(20);
            for (int c = 0; c < commands; c++) {
                String[] args = new String[1 + random.nextInt(6)];
                for (int i = 0; i < args.length; i++) {
                    byte[] raw = new byte[random.nextInt(i == 0 ? 20 : 3000)];
                    random.nextBytes(raw);
                    args[i] = new String(raw, StandardCharsets.ISO_8859_1);
                }
                o.writeBytes(multibulk(args));
                expected.add(List.of(args));
            }
            byte[] batch = o.toByteArray();
            RespParser p = new RespParser(MAX_BULK);
            ByteBuf in = Unpooled.buffer();
            List<List<String>> got = new ArrayList<>();
            int pos = 0;
            while (pos < batch.length) {
                int n = Math.min(batch.length - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 4000));
                in.writeBytes(batch, pos, n);
                pos += n;
                byte[][] argv;
                while (in.isReadable() && (argv = p.next(in)) != null) got.add(strings(argv));
                in.discardSomeReadBytes();
            }
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void randomGarbageOnlyEverThrowsProtocolException() {
        Random random = new Random(7);
        byte[] alphabet = b("*$\r\n0123456789-+ \"'\\xaAQ\t\0");
        for (int round = 0; round < 20_000; round++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            RespParser p = new RespParser(MAX_BULK);
            ByteBuf in = Unpooled.buffer();
            try {
                for (byte x : garbage) {
                    in.writeBytes(new byte[]{x});
                    while (in.isReadable() && p.next(in) != null) {
                        // consume
                    }
                }
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).startsWith("Protocol error: ");
            }
        }
    }

    // ---- multibulk errors --------------------------------------------------------------------

    @Test
    void multibulkCountErrors() {
        assertThat(protocolError("*\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*01\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*+1\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*1 \r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*abc\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*1\n$4\r\nPING\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*2147483648\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*9223372036854775807\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*99999999999999999999\r\n")).isEqualTo("Protocol error: invalid multibulk length");
    }

    @Test
    void largeCountsUpToIntMaxAreAcceptedWithoutPreallocating() {
        // Redis 7 accepts up to INT_MAX arguments (Redis 6 stopped at 1024*1024) and grows argv lazily.
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.wrappedBuffer(b("*2147483647\r\n$4\r\nPING\r\n"));
        assertThat(p.next(in)).isNull();
        assertThat(p.inProgress()).isTrue();
        assertThat(protocolError("*2000000\r\n")).isNull();
    }

    @Test
    void bulkLengthErrors() {
        assertThat(protocolError("*1\r\n$2147483648\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$536870913\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$9223372036854775808\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$-1\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$-0\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$+3\r\nfoo\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*1\r\n$03\r\nfoo\r\n")).isEqualTo("Protocol error: invalid bulk length");
        // Exactly proto-max-bulk-len is fine (only the length line is read here).
        assertThat(protocolError("*1\r\n$536870912\r\n")).isNull();
    }

    @Test
    void configuredMaxBulkLength() {
        RespParser p = new RespParser(1024 * 1024);
        assertThat(protocolError(p, b("*1\r\n$1048577\r\n"))).isEqualTo("Protocol error: invalid bulk length");
        p = new RespParser(1024 * 1024);
        p.setMaxBulkLength(4L * 1024 * 1024);
        assertThat(protocolError(p, b("*1\r\n$1048577\r\n"))).isNull();
    }

    @Test
    void hugeBulkLengthIsRejectedFromTheLengthLineAlone() {
        // Nothing after the length line: the error must come before any data is awaited.
        RespParser p = new RespParser(Long.MAX_VALUE);
        assertThat(protocolError(p, b("*1\r\n$4294967296\r\n"))).isEqualTo("Protocol error: invalid bulk length");
    }

    @Test
    void nonDollarArgument() {
        assertThat(protocolError("*1\r\nx3\r\nfoo\r\n")).isEqualTo("Protocol error: expected '$', got 'x'");
        assertThat(protocolError("*2\r\n$4\r\nECHO\r\n:1\r\n")).isEqualTo("Protocol error: expected '$', got ':'");
        assertThat(protocolError("*1\r\n*1\r\n")).isEqualTo("Protocol error: expected '$', got '*'");
    }

    @Test
    void errorAfterValidCommandsInTheSameBatch() {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.wrappedBuffer(b("*1\r\n$4\r\nPING\r\n*1\r\nfoo\r\n"));
        assertThat(strings(p.next(in))).containsExactly("PING");
        assertThatThrownBy(() -> p.next(in)).isInstanceOf(ProtocolException.class)
                .hasMessage("Protocol error: expected '$', got 'f'");
    }

    @Test
    void overlongLengthLines() {
        String digits = "1".repeat(70_000);
        assertThat(protocolError("*" + digits)).isEqualTo("Protocol error: too big mbulk count string");
        assertThat(protocolError("*1\r\n$" + digits)).isEqualTo("Protocol error: too big bulk count string");
        // Up to 64 KB without CR: still waiting.
        assertThat(protocolError("*" + "1".repeat(60_000))).isNull();
        // A terminated but overlong number is simply invalid.
        assertThat(protocolError("*" + "1".repeat(30) + "\r\n")).isEqualTo("Protocol error: invalid multibulk length");
    }

    /**
     * The parser reads lines and short arguments from a copy of up to 128 bytes of the input: every line and
     * argument boundary at every position relative to that copy (arguments of 0..300 bytes before a small
     * command, so its lines start at each offset; arguments of exactly 127, 128 and 129 bytes), given at once,
     * byte by byte and in two reads split anywhere.
     */
    @Test
    void linesAndArgumentsAtEveryOffsetOfTheCopiedWindow() {
        for (int filler = 0; filler <= 300; filler++) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(multibulk("ECHO", "f".repeat(filler)));
            o.writeBytes(multibulk("GET", "key:000000012345"));
            o.writeBytes(multibulk("SADD", "myset", "m".repeat(filler % 130)));
            o.writeBytes(b("PING\r\n"));
            byte[] batch = o.toByteArray();
            List<List<String>> expected = List.of(
                    List.of("ECHO", "f".repeat(filler)),
                    List.of("GET", "key:000000012345"),
                    List.of("SADD", "myset", "m".repeat(filler % 130)),
                    List.of("PING"));
            assertThat(parseAll(batch)).as("filler %d", filler).isEqualTo(expected);
            if (filler % 37 == 0 || (filler >= 120 && filler <= 135)) {
                assertThat(parseByteByByte(batch)).as("filler %d byte by byte", filler).isEqualTo(expected);
                for (int cut = 0; cut <= batch.length; cut++) {
                    assertThat(parseInTwo(batch, cut)).as("filler %d split at %d", filler, cut).isEqualTo(expected);
                }
            }
        }
    }

    /** A length or count line longer than the copied window is searched for in the buffer, and is invalid. */
    @Test
    void linesLongerThanTheCopiedWindow() {
        assertThat(protocolError("*1\r\n$" + "1".repeat(200) + "\r\n")).isEqualTo("Protocol error: invalid bulk length");
        assertThat(protocolError("*" + "1".repeat(200) + "\r\n")).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(protocolError("*1\r\n$" + "1".repeat(200))).isNull(); // no CR yet: waits
        assertThat(protocolError("*1\r\n$" + "9".repeat(19) + "\r\n")).isEqualTo("Protocol error: invalid bulk length");
        // A long garbage line before the CR arrives, then the CR: invalid, not a hang.
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(b("*2\r\n$3\r\nGET\r\n$" + "7".repeat(500)));
        assertThat(p.next(in)).isNull();
        in.writeBytes(b("\r\n"));
        assertThatThrownBy(() -> p.next(in)).isInstanceOf(ProtocolException.class).hasMessage("Protocol error: invalid bulk length");
    }

    @Test
    void unauthenticatedLimits() {
        RespParser p = new RespParser(MAX_BULK);
        p.unauthenticated(true);
        assertThat(protocolError(p, multibulk("AUTH", "secret"))).isNull();
        assertThat(protocolError(p, b("*10\r\n"))).isNull();
        p = new RespParser(MAX_BULK);
        p.unauthenticated(true);
        assertThat(protocolError(p, b("*11\r\n"))).isEqualTo("Protocol error: unauthenticated multibulk length");
        p = new RespParser(MAX_BULK);
        p.unauthenticated(true);
        assertThat(protocolError(p, b("*1\r\n$16384\r\n"))).isNull();
        p = new RespParser(MAX_BULK);
        p.unauthenticated(true);
        assertThat(protocolError(p, b("*1\r\n$16385\r\n"))).isEqualTo("Protocol error: unauthenticated bulk length");
    }

    // ---- inline --------------------------------------------------------------------------------

    @Test
    void inlineCommands() {
        assertThat(parseAll("PING\r\n")).containsExactly(List.of("PING"));
        assertThat(parseAll("PING\n")).containsExactly(List.of("PING"));
        assertThat(parseAll("  SET   a   b  \r\n")).containsExactly(List.of("SET", "a", "b"));
        assertThat(parseAll("SET a \"b c\"\r\n")).containsExactly(List.of("SET", "a", "b c"));
        assertThat(parseAll("PING\rPING\r\n")).containsExactly(List.of("PING", "PING"));
        assertThat(parseAll("ECHO a\tb\r\n")).containsExactly(List.of("ECHO", "a", "b"));
    }

    @Test
    void emptyLinesAreSkipped() {
        assertThat(parseAll("\r\n\n  \r\nPING\r\n")).containsExactly(List.of("PING"));
    }

    @Test
    void inlineWaitsForTheNewline() {
        RespParser p = new RespParser(MAX_BULK);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(b("PIN"));
        assertThat(p.next(in)).isNull();
        in.writeBytes(b("G\r"));
        assertThat(p.next(in)).isNull();
        in.writeBytes(b("\n"));
        assertThat(strings(p.next(in))).containsExactly("PING");
    }

    @Test
    void splitArgsLikeSdssplitargs() {
        assertThat(split("ECHO \"a\\x41\"")).containsExactly("ECHO", "aA");
        assertThat(split("ECHO \"\\x4g\"")).containsExactly("ECHO", "x4g");
        assertThat(split("ECHO \"\\x4\"")).containsExactly("ECHO", "x4");
        assertThat(split("ECHO 'it\\'s'")).containsExactly("ECHO", "it's");
        assertThat(split("ECHO 'a\\nb'")).containsExactly("ECHO", "a\\nb");
        assertThat(split("ECHO \"\\n\\r\\t\\b\\a\\q\\\\\\\"\"")).containsExactly("ECHO", "\n\r\t\b\u0007q\\\"");
        assertThat(split("ECHO \"\"")).containsExactly("ECHO", "");
        assertThat(split("ECHO ''")).containsExactly("ECHO", "");
        assertThat(split("ECHO a\" b\"")).containsExactly("ECHO", "a b");
        assertThat(split("PING a\"b\"")).containsExactly("PING", "ab");
        assertThat(split("ECHO \"a\"\tb")).containsExactly("ECHO", "a", "b");
        // Form feed and vertical tab are blanks between words but do not end an unquoted word.
        assertThat(split("\u000bECHO a\fb")).containsExactly("ECHO", "a\fb");
        assertThat(split("ECHO \"\u00ff\u0080\"")).containsExactly("ECHO", "\u00ff\u0080");
        assertThat(split("")).isEmpty();
        assertThat(split("   ")).isEmpty();
    }

    @Test
    void unbalancedQuotes() {
        assertThat(split("ECHO \"abc")).isNull();
        assertThat(split("ECHO 'abc")).isNull();
        assertThat(split("ECHO \"a\"b")).isNull();
        assertThat(split("ECHO 'a'b")).isNull();
        assertThat(split("ECHO \"a\\")).isNull();
        assertThat(protocolError("ECHO \"abc\r\n")).isEqualTo("Protocol error: unbalanced quotes in request");
        assertThat(protocolError("ECHO 'a'b\r\n")).isEqualTo("Protocol error: unbalanced quotes in request");
    }

    @Test
    void inlineSizeLimit() {
        String big = "ECHO " + "a".repeat(100_000);
        assertThat(protocolError(big + "\r\n")).isEqualTo("Protocol error: too big inline request");
        assertThat(protocolError(big)).isEqualTo("Protocol error: too big inline request");
        assertThat(parseAll("ECHO " + "a".repeat(60_000) + "\r\n")).containsExactly(List.of("ECHO", "a".repeat(60_000)));
        // Exactly 64 KB (without CRLF) is accepted.
        String exact = "ECHO " + "a".repeat(RespParser.MAX_INLINE - 5);
        assertThat(parseAll(exact + "\r\n")).hasSize(1);
        assertThat(protocolError(exact + "a\r\n")).isEqualTo("Protocol error: too big inline request");
    }

    private static List<String> split(String line) {
        List<byte[]> parts = RespParser.splitArgs(b(line));
        if (parts == null) return null;
        List<String> out = new ArrayList<>();
        for (byte[] p : parts) out.add(new String(p, StandardCharsets.ISO_8859_1));
        return out;
    }

    @Test
    void aRepeatedCommandNameIsTheSameArrayAndOtherNamesNeverShareIt() {
        RespParser p = new RespParser(MAX_BULK);
        StringBuilder sb = new StringBuilder();
        String[] names = {"GET", "SET", "get", "GEt", "MSET", "LPOP", "INCR", "SADD", "HSET", "ZADD", "PING", "EXEC"};
        for (int round = 0; round < 3; round++) {
            for (String n : names) sb.append("*2\r\n$").append(n.length()).append("\r\n").append(n).append("\r\n$1\r\nk\r\n");
        }
        ByteBuf in = Unpooled.wrappedBuffer(b(sb.toString()));
        java.util.Map<String, byte[]> first = new java.util.HashMap<>();
        int reused = 0;
        for (int i = 0; i < 3 * names.length; i++) {
            byte[][] argv = p.next(in);
            String name = names[i % names.length];
            assertThat(new String(argv[0], StandardCharsets.ISO_8859_1)).isEqualTo(name);
            assertThat(new String(argv[1], StandardCharsets.ISO_8859_1)).isEqualTo("k");
            byte[] seen = first.putIfAbsent(name, argv[0]);
            if (seen == argv[0]) reused++;
        }
        assertThat(reused).isGreaterThan(0); // a name the cache kept comes back as the same array
        // Arguments after the first never come from the cache.
        byte[][] a = p.next(Unpooled.wrappedBuffer(b("*2\r\n$3\r\nGET\r\n$3\r\nGET\r\n")));
        assertThat(a[1]).isNotSameAs(a[0]);
    }

    @Test
    void string2llOnShortLinesAgreesWithTheGeneralRule() {
        String chars = "0123456789-+ a";
        for (int a = 0; a < chars.length(); a++) {
            for (int c = -1; c < chars.length(); c++) {
                String t = "" + chars.charAt(a) + (c < 0 ? "" : "" + chars.charAt(c));
                long expected;
                if (t.matches("0|[1-9][0-9]?|-[1-9]")) expected = Long.parseLong(t);
                else expected = Long.MIN_VALUE; // INVALID
                assertThat(RespParser.string2ll(b("$" + t), 1, 1 + t.length())).as("'%s'", t).isEqualTo(expected);
            }
        }
    }
}
