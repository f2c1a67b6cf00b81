package io.fleetward.fleet;

import java.nio.file.Path;

/**
 * A host's own SSH identity and known_hosts file, from its overlay entry; null fields fall back to
 * {@code fleetward.ssh.identity} / {@code fleetward.ssh.known-hosts}. Paths are absolute and
 * normalized (the overlay refuses anything else).
 */
public record SshOverrides(Path identity, Path knownHosts) {
    public static final SshOverrides NONE = new SshOverrides(null, null);

    public SshOverrides {
        for (Path path : new Path[] {identity, knownHosts}) {
            if (path != null && (!path.isAbsolute() || !path.normalize().equals(path))) {
                throw new IllegalArgumentException("expected an absolute, normalized path");
            }
        }
    }
}
