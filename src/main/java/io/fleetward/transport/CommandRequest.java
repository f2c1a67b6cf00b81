package io.fleetward.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One command to run for one host (and user).
 *
 * @param host             the host it is for (a validated name)
 * @param user             the user it runs as, or null for the host's default (root / target-host user)
 * @param destination      where it runs for remote transports: {@code [user@]host[:port]}
 * @param commandLine      a POSIX shell command line, rendered by {@link CommandTemplate} (placeholders quoted)
 * @param workingDirectory local working directory, or null
 * @param environment      extra environment variables (names and values are fleetward's own, never user text)
 * @param timeout          the command is killed after this long
 * @param lineSink         receives each output line (stdout and stderr merged) while it runs, or null to capture
 *                         stdout and stderr separately
 */
public record CommandRequest(String host, String user, String destination, String commandLine, Path workingDirectory,
                             Map<String, String> environment, Duration timeout, Consumer<String> lineSink) {
    public CommandRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
    }
}
