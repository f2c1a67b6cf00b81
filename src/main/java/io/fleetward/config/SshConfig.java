package io.fleetward.config;

import io.fleetward.transport.ssh.HostKeyPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** SSH connections to hosts, the deployer host and the source ({@code fleetward.ssh.*}). */
@ConfigMapping(prefix = "fleetward.ssh")
public interface SshConfig {

    /** Private key file (ed25519, ecdsa or rsa; unencrypted) for every SSH connection. Never logged. */
    Optional<Path> identity();

    /** The known_hosts file host keys are verified against. Unset: {@code <data-dir>/ssh/known_hosts}. */
    Optional<Path> knownHosts();

    /** The only folder per-host {@code ssh-identity} / {@code ssh-known-hosts} of fleetward.yaml may point into. Unset: such paths are refused. */
    Optional<Path> keyDir();

    /** {@code strict} refuses unknown host keys; {@code accept-new} records a first key. A changed key is refused. */
    @WithDefault("strict")
    HostKeyPolicy hostKeyPolicy();

    /** Time limit to open a TCP connection and finish the key exchange. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Time limit of authentication. */
    @WithDefault("10s")
    Duration authTimeout();

    /** Interval of SSH keep-alive messages on pooled sessions. */
    @WithDefault("15s")
    Duration keepAlive();

    /** A pooled session unused for this long is closed. */
    @WithDefault("5m")
    Duration idleTimeout();
}
