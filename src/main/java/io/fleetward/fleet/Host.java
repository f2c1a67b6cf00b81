package io.fleetward.fleet;

import java.util.List;

/**
 * One machine of the fleet.
 *
 * @param name          validated host name (folder name)
 * @param platform      nixos or darwin
 * @param targetHost    where commands for this host go: {@code [user@]host[:port]}
 * @param transport     {@code local} or {@code ssh}
 * @param tags          free-form tags (validated names), sorted
 * @param users         users declared for this host (embedded and standalone)
 * @param usersDeclared   whether the overlay declared the users; when false every user folder
 *                        counts as affecting the host's system target (when in doubt, redeploy)
 * @param ssh             the host's own SSH identity / known_hosts, if any
 * @param reportTokenHash SHA-256 (lowercase hex) of the token the host checks in with, or null (no check-ins)
 * @param health          the overlay's {@code health:} commands for this host, run after each verified system deploy
 */
public record Host(String name, Platform platform, String targetHost, String transport, List<String> tags,
                   List<HostUser> users, boolean usersDeclared, SshOverrides ssh, String reportTokenHash,
                   List<String> health) {

    public Host {
        health = health == null ? List.of() : List.copyOf(health);
        tags = List.copyOf(tags);
        users = List.copyOf(users);
        ssh = ssh == null ? SshOverrides.NONE : ssh;
    }

    /** A host without SSH overrides or check-in token. */
    public Host(String name, Platform platform, String targetHost, String transport, List<String> tags,
                List<HostUser> users, boolean usersDeclared) {
        this(name, platform, targetHost, transport, tags, users, usersDeclared, SshOverrides.NONE, null, List.of());
    }

    /** A host without health commands of its own. */
    public Host(String name, Platform platform, String targetHost, String transport, List<String> tags,
                List<HostUser> users, boolean usersDeclared, SshOverrides ssh, String reportTokenHash) {
        this(name, platform, targetHost, transport, tags, users, usersDeclared, ssh, reportTokenHash, List.of());
    }

    /**
     * Where a command for {@code user} goes: the target-host with its user part replaced, or the
     * target-host itself when {@code user} is null (system commands).
     */
    public String destination(String user) {
        if (user == null) {
            return targetHost;
        }
        int at = targetHost.indexOf('@');
        return user + "@" + (at < 0 ? targetHost : targetHost.substring(at + 1));
    }
}
