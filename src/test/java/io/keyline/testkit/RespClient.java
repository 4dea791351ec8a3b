package io.keyline.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one raw-RESP client for tests: sends commands as argv (multibulk) or raw bytes (inline commands,
 * malformed input), and reads replies either parsed ({@link Reply}, RESP2 and RESP3 including push
 * frames, maps, sets, doubles, big numbers, nulls and attributes) or as the exact bytes the server sent.
 * Reads time out (10 s unless {@link #timeout}) with {@link SocketTimeoutException}; a server that closed
 * the connection makes reads throw {@link ServerClosedException}.
 *
 * <p>Not thread-safe; one client per connection and thread, closed by the caller.
 */
public final class RespClient implements AutoCloseable {
    private static final String END_MARK = "__end_of_replies__";
    private static final String LOOPBACK = "127.0.0.1";

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RespClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public RespClient(int port) throws IOException {
        this(LOOPBACK, port);
    }

    /** Thrown by reads when the server closed the connection (end of stream or reset). */
    public static final class ServerClosedException extends IOException {
        ServerClosedException(String message) {
            super(message);
        }
    }

    /** Everything read until the server closed the connection or the read timeout passed. */
    public record Drained(byte[] bytes, boolean closed) {
        public String text() {
            return text(StandardCharsets.UTF_8);
        }

        public String text(java.nio.charset.Charset charset) {
            return new String(bytes, charset);
        }
    }

    // ---- configuration -------------------------------------------------------------------------

    /** Sets the read timeout of every following read. */
    public RespClient timeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        return this;
    }

    /** Switches the connection to RESP3 (HELLO 3), failing if the server refuses. */
    public RespClient resp3() throws IOException {
        Reply hello = request("HELLO", "3");
        if (hello.isError()) throw new IOException("HELLO 3 refused: " + hello.string());
        return this;
    }

    // ---- sending -------------------------------------------------------------------------------

    /** Sends one command as a RESP multibulk; the reply is left unread. */
    public RespClient send(String... argv) throws IOException {
        byte[][] args = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) args[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        return send(args);
    }

    /** Sends one command with binary arguments as a RESP multibulk; the reply is left unread. */
    public RespClient send(byte[]... argv) throws IOException {
        out.write(encode(argv));
        out.flush();
        return this;
    }

    /** The RESP multibulk encoding of one command. */
    public static byte[] encode(byte[]... argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes(new byte[]{'\r', '\n'});
        }
        return b.toByteArray();
    }

    /** Sends bytes exactly as given (inline commands, pipelines, malformed protocol). */
    public RespClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends the UTF-8 bytes of {@code text} exactly as given. */
    public RespClient sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Half-closes the connection: the server sees end of input, replies can still be read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    // ---- round trips ---------------------------------------------------------------------------

    /** Sends one command and returns its parsed reply. */
    public Reply request(String... argv) throws IOException {
        send(argv);
        return read();
    }

    /** Sends one binary command and returns its parsed reply. */
    public Reply request(byte[]... argv) throws IOException {
        send(argv);
        return read();
    }

    /** Sends one command and returns the exact reply bytes as text, e.g. {@code "$1\r\nv\r\n"}. */
    public String call(String... argv) throws IOException {
        return request(argv).text();
    }

    /**
     * Sends one command and returns its reply as plain Java values: String (simple, bulk, verbatim,
     * double, big number), Long, Boolean, null, List (arrays, sets, pushes, maps flattened) and
     * {@code "!" + message} for errors, also inside arrays (e.g. EXEC results).
     */
    public Object value(String... argv) throws IOException {
        return request(argv).toJava();
    }

    /**
     * Sends {@code lines} as inline commands followed by an ECHO marker and returns the text of all
     * replies before the marker's reply (empty when the commands answer nothing, e.g. CLIENT REPLY OFF).
     * Returns what arrived if the server closes first.
     */
    public String inline(String... lines) throws IOException {
        StringBuilder request = new StringBuilder();
        for (String line : lines) request.append(line).append("\r\n");
        request.append("ECHO ").append(END_MARK).append("\r\n");
        sendRaw(request.toString());
        byte[] end = ("$" + END_MARK.length() + "\r\n" + END_MARK + "\r\n").getBytes(StandardCharsets.UTF_8);
        Buffer got = new Buffer();
        while (true) {
            int c = in.read();
            if (c < 0) return got.toString(StandardCharsets.UTF_8);
            got.write(c);
            if (got.endsWith(end)) return new String(got.bytes(), 0, got.size() - end.length, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends one inline command and reads exactly {@code replyBytes} bytes (for replies whose end cannot
     * be marked, e.g. before AUTH); fewer if the server closes first.
     */
    public String exchange(String inlineCommand, int replyBytes) throws IOException {
        sendRaw(inlineCommand + "\r\n");
        return readBytes(replyBytes);
    }

    /** Sends raw text and returns everything the server answers until it closes the connection. */
    public String sendUntilClosed(String raw) throws IOException {
        sendRaw(raw);
        return drain().text();
    }

    // ---- reading -------------------------------------------------------------------------------

    /** Reads one complete reply (an attribute is attached to the reply that follows it). */
    public Reply read() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        Reply r = readInto(raw);
        return r.withRaw(raw.toByteArray());
    }

    /** Reads one complete reply and returns its exact bytes as text. */
    public String readText() throws IOException {
        return read().text();
    }

    /** Reads exactly {@code n} bytes, fewer if the server closes the connection first. */
    public String readBytes(int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /**
     * Reads whatever arrives until at least {@code atLeast} bytes came (a last chunk may bring more),
     * the server closes the connection or the read timeout passes; never throws for the latter two.
     */
    public String readAvailable(int atLeast) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (got.size() < atLeast) {
                int n = in.read(buf);
                if (n < 0) break;
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException | SocketException e) {
            // return what arrived
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads until the server closes the connection or the read timeout passes without data; a reset
     * counts as closed. Never throws for either.
     */
    public Drained drain() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        boolean closed;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (SocketException e) {
            closed = true;
        }
        return new Drained(got.toByteArray(), closed);
    }

    /** True when the server closed the connection: end of stream (or reset) before the read timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- parsing -------------------------------------------------------------------------------

    private Reply readInto(ByteArrayOutputStream raw) throws IOException {
        String line = line(raw);
        if (line.isEmpty()) throw new IOException("empty RESP header line");
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+':
                return new Reply(type, rest, null, null);
            case '-':
                return new Reply(type, rest, null, null);
            case ':':
                return new Reply(type, Long.parseLong(rest), null, null);
            case '(':
                return new Reply(type, new java.math.BigInteger(rest), null, null);
            case ',':
                return new Reply(type, rest, null, null);
            case '#':
                return new Reply(type, rest.equals("t"), null, null);
            case '_':
                return new Reply(type, null, null, null);
            case '$', '=', '!': {
                int n = Integer.parseInt(rest);
                if (n < 0) return new Reply(type, null, null, null);
                byte[] data = exactly(n + 2, raw);
                return new Reply(type, new String(data, 0, n, StandardCharsets.UTF_8), null, null);
            }
            case '*', '~', '>', '%', '|': {
                int n = Integer.parseInt(rest);
                if (n < 0) return new Reply(type, null, null, null);
                int count = type == '%' || type == '|' ? 2 * n : n;
                List<Reply> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) items.add(readInto(raw));
                if (type == '|') return readInto(raw).withAttributes(items);
                return new Reply(type, items, null, null);
            }
            default:
                throw new IOException("unknown RESP type byte '" + type + "' in line: " + line);
        }
    }

    private String line(ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = readByte();
            raw.write(c);
            if (prev == '\r' && c == '\n') break;
            if (prev >= 0) b.write(prev);
            prev = c;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private byte[] exactly(int n, ByteArrayOutputStream raw) throws IOException {
        byte[] data = in.readNBytes(n);
        raw.writeBytes(data);
        if (data.length < n) throw new ServerClosedException("connection closed by server in the middle of a reply");
        return data;
    }

    private int readByte() throws IOException {
        int c;
        try {
            c = in.read();
        } catch (SocketException e) {
            throw new ServerClosedException("connection reset by server: " + e.getMessage());
        }
        if (c < 0) throw new ServerClosedException("connection closed by server");
        return c;
    }

    /** A byte buffer that can check its tail without copying. */
    private static final class Buffer extends ByteArrayOutputStream {
        boolean endsWith(byte[] end) {
            if (count < end.length) return false;
            return java.util.Arrays.equals(buf, count - end.length, count, end, 0, end.length);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
