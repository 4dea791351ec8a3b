/**
 * The command line: {@link io.keyline.cli.Main} parses redis-server style arguments (an optional
 * config file first, then {@code --name value...} for any registered parameter, plus the short
 * {@code -p}/{@code -c} flags) by hand (picocli only renders {@code --help} and {@code --version}: it is slow to start), starts a {@code KeylineServer} and installs the
 * SIGTERM/SIGINT shutdown hook. Also the launcher's Logback set-up ({@link io.keyline.cli.LogConfigurator},
 * {@link io.keyline.cli.RedisLogLayout}) that makes the log look like Redis's: the launcher binds it as SLF4J's
 * provider ({@link io.keyline.cli.LauncherLogging}, skipping Logback's auto-configuration), and it is
 * registered with Logback only in the shaded {@code keyline-server.jar} (src/launcher/resources), never by the
 * library jar, and Logback is an optional dependency.
 *
 * <p>May use {@code server}, {@code engine}, {@code store}, {@code config}, {@code util} and
 * {@code persistence} (for {@code --check-aof}). Enforced by {@code ArchitectureTest}.
 */
package io.keyline.cli;
