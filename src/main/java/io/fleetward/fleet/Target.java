package io.fleetward.fleet;

import java.util.List;

/**
 * The unit that is deployed.
 *
 * @param id            {@code system:<host>} or {@code home:<user>@<host>}
 * @param host          the host it runs on
 * @param configuration for home targets the home-manager configuration name; null for system
 * @param embeddedUsers for system targets the users whose folders affect it (null: all users,
 *                      because the host did not declare them); empty for home targets
 */
public record Target(TargetId id, Host host, String configuration, List<String> embeddedUsers) {

    public TargetKind kind() {
        return id.kind();
    }

    public String user() {
        return id.user();
    }

    public Platform platform() {
        return host.platform();
    }
}
