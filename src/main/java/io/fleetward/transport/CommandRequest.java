package io.fleetward.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One command to run for one host (and user).
 *
 * @param host             the host it is for (a validated name)
 * @param user             the user it runs as, or null for the host's default (root / target-host user)
 * @param destination      where it runs for remote transports: {@code [user@]host[:port]}
 * @param commandLine      a POSIX shell command line, rendered by {@link CommandTemplate} (placeholders quoted)
 * @param workingDirectory working directory (on the machine the command runs on), or null
 * @param environment      extra environment variables (names and values are fleetward's own, never user text)
 * @param timeout          the command is killed after this long
 * @param lineSink         receives each output line (stdout and stderr merged) while it runs, or null to capture
 *                         stdout and stderr separately
 * @param stdin            written to the command's standard input, which is then closed; null for empty input
 * @param identity         SSH private key file for this host, or null for the transport's global one
 * @param knownHosts       SSH known_hosts file for this host, or null for the transport's global one
 * @param processGroupStarted local transport only: told the id of the process group the command leads, once it
 *                         started and before it is waited for; if it throws, the command is killed and the run
 *                         fails with a {@link TransportException}. Null when nobody asks
 * @param freshConnection  SSH only: run on a connection opened for this command alone and closed after it,
 *                         never on a pooled session (proves that the machine still accepts new connections)
 */
public record CommandRequest(String host, String user, String destination, String commandLine, Path workingDirectory,
                             Map<String, String> environment, Duration timeout, Consumer<String> lineSink,
                             Stdin stdin, Path identity, Path knownHosts, LongConsumer processGroupStarted,
                             boolean freshConnection) {
    public CommandRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
    }

    /** A request without stdin and with the transport's global SSH identity and known_hosts file. */
    public CommandRequest(String host, String user, String destination, String commandLine, Path workingDirectory,
                          Map<String, String> environment, Duration timeout, Consumer<String> lineSink) {
        this(host, user, destination, commandLine, workingDirectory, environment, timeout, lineSink, null, null, null,
                null, false);
    }

    /** This request with {@code stdin} as the command's standard input. */
    public CommandRequest withStdin(Stdin stdin) {
        return new CommandRequest(host, user, destination, commandLine, workingDirectory, environment, timeout, lineSink,
                stdin, identity, knownHosts, processGroupStarted, freshConnection);
    }

    /** This request with a host's own SSH identity and known_hosts file (null keeps the global one). */
    public CommandRequest withSsh(Path identity, Path knownHosts) {
        return new CommandRequest(host, user, destination, commandLine, workingDirectory, environment, timeout, lineSink,
                stdin, identity, knownHosts, processGroupStarted, freshConnection);
    }

    /** This request with a listener that learns the process group of the started command (local transport only). */
    public CommandRequest withProcessGroupListener(LongConsumer processGroupStarted) {
        return new CommandRequest(host, user, destination, commandLine, workingDirectory, environment, timeout, lineSink,
                stdin, identity, knownHosts, processGroupStarted, freshConnection);
    }

    /** This request on a connection of its own (SSH): opened for it, closed after it, never pooled. */
    public CommandRequest withFreshConnection() {
        return new CommandRequest(host, user, destination, commandLine, workingDirectory, environment, timeout, lineSink,
                stdin, identity, knownHosts, processGroupStarted, true);
    }
}
