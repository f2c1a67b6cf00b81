package io.fleetward.transport.ssh;

import io.fleetward.config.PlainConfig;
import io.fleetward.config.SshConfig;
import java.nio.file.Path;
import java.util.Optional;

/** SSH settings for tests: these files and policy, every time limit at its {@code fleetward.ssh.*} default. */
public final class DefaultSshSettings {
    private DefaultSshSettings() {
    }

    public static SshSettings of(Optional<Path> identity, Path knownHosts, HostKeyPolicy policy) {
        SshConfig ssh = PlainConfig.defaults(SshConfig.class);
        return new SshSettings(identity, knownHosts, policy, ssh.connectTimeout(), ssh.authTimeout(), ssh.keepAlive(),
                ssh.idleTimeout());
    }
}
