package io.keyline.engine;

import java.util.List;

/**
 * State outside the keyspace that an AOF rewrite writes before the data, as commands (Redis's
 * rewriteFunctions: a FUNCTION LOAD per library, so a replay has the libraries before any FCALL).
 * Registered as a {@link ServerContext#service} by its owner (scripting.Functions); the rewrite asks for
 * the commands under every stripe lock, when no command can change them.
 */
public interface AofPreamble {
    List<byte[][]> commands();
}
