package io.fleetward.fleet;

/**
 * A user of a host. {@code configuration} is the home-manager configuration name used by
 * {@code nh home switch --configuration} (default {@code <user>@<host>}); it is validated as
 * {@code <name>} or {@code <name>@<name>}.
 */
public record HostUser(String name, UserMode mode, String configuration) {
}
