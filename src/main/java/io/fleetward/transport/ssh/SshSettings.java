package io.fleetward.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How SSH connections are made (config keys {@code fleetward.ssh.*}).
 *
 * @param identity          the private key file used when a request names none (ed25519, ecdsa or rsa, unencrypted)
 * @param knownHosts        the known_hosts file host keys are verified against when a request names none
 * @param policy            what happens to a host key that is not in the known_hosts file yet
 * @param connectTimeout    limit for the TCP connection and the key exchange
 * @param authTimeout       limit for the public key authentication
 * @param keepAliveInterval interval of keep-alive requests on open sessions (a dead peer is dropped after 3 missed replies)
 * @param idleTimeout       a pooled session unused for this long is closed
 */
public record SshSettings(Optional<Path> identity, Path knownHosts, HostKeyPolicy policy, Duration connectTimeout,
                          Duration authTimeout, Duration keepAliveInterval, Duration idleTimeout) {
    public SshSettings {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(policy, "policy");
        positive(connectTimeout, "connect timeout");
        positive(authTimeout, "auth timeout");
        positive(keepAliveInterval, "keep-alive interval");
        positive(idleTimeout, "idle timeout");
    }

    private static void positive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("SSH " + what + " must be positive, got " + value);
        }
    }
}
