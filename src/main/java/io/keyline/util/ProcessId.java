package io.keyline.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's id, read from Linux's {@code /proc/self} link when there is one and from {@link ProcessHandle}
 * otherwise. The launcher needs the pid three times before the first PING (Netty's channel ids, the log
 * layout, the "starting" line), and {@code ProcessHandle}'s class initialisation is costly on that path: it
 * links the JVM's first lambda and builds the process reaper's thread pool, which a server that starts no
 * child process never uses.
 */
public final class ProcessId {
    private static final long PID = read();

    private ProcessId() {
    }

    /** The pid, as {@code ProcessHandle.current().pid()} gives it. */
    public static long current() {
        return PID;
    }

    private static long read() {
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/self")).toString();
            if (!self.isEmpty() && self.length() <= 18 && isDigits(self)) return Long.parseLong(self);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or no procfs: ask the JDK
        }
        return ProcessHandle.current().pid();
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }
}
