/**
 * The command line: {@link io.keyline.cli.Main} parses redis-server style arguments (an optional
 * config file first, then {@code --name value...} for any registered parameter, plus the short
 * {@code -p}/{@code -c} flags) with picocli, starts a {@code KeylineServer} and installs the
 * SIGTERM/SIGINT shutdown hook. Also the Logback converters that make the log look like Redis's.
 *
 * <p>Depends on {@code server}, {@code config} (and {@code persistence} for {@code --check-aof}).
 */
package io.keyline.cli;
