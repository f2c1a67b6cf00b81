package io.fleetward.transport.ssh;

/**
 * What to do with a host key that the known_hosts file does not hold yet. A changed key is always refused.
 * Configured as {@code strict} or {@code accept-new} ({@code fleetward.ssh.host-key-policy}).
 */
public enum HostKeyPolicy {
    /** Only keys already in the known_hosts file are accepted. */
    STRICT,
    /** A host's first key is recorded in the known_hosts file and accepted (trust on first use). */
    ACCEPT_NEW
}
