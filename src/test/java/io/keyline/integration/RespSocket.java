package io.keyline.integration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw socket for byte-exact reply checks: sends inline commands, reads up to an ECHO marker. */
final class RespSocket implements AutoCloseable {
    private static final String MARK = "__end_of_replies__";
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    RespSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    /** Sends the lines (inline commands) and returns all replies up to (excluding) the marker's. */
    String call(String... lines) throws IOException {
        StringBuilder req = new StringBuilder();
        for (String l : lines) req.append(l).append("\r\n");
        req.append("ECHO ").append(MARK).append("\r\n");
        socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
        String end = "$" + MARK.length() + "\r\n" + MARK + "\r\n";
        byte[] buf = new byte[8192];
        while (true) {
            String s = pending.toString(StandardCharsets.UTF_8);
            int at = s.indexOf(end);
            if (at >= 0) {
                pending.reset();
                return s.substring(0, at);
            }
            int n = in.read(buf);
            if (n < 0) {
                pending.reset();
                return s;
            }
            pending.write(buf, 0, n);
        }
    }

    /** Sends one inline command and reads exactly {@code replyBytes} bytes (when no marker can be used). */
    String exchange(String line, int replyBytes) throws IOException {
        socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[replyBytes];
        int got = 0;
        while (got < replyBytes) {
            int n = in.read(buf, got, replyBytes - got);
            if (n < 0) break;
            got += n;
        }
        return new String(buf, 0, got, StandardCharsets.UTF_8);
    }

    /** Sends raw bytes and returns everything the server answers until it closes the connection. */
    String sendUntilClosed(String raw) throws IOException {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
        } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
            // reset or timeout: return what arrived
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** True when the server closed the connection (reads EOF within the timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
