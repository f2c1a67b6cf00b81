package io.fleetward.transport.ssh;

import java.nio.file.Path;

/**
 * Where an SSH session goes and with which key and trust file: the key of the session pool.
 *
 * @param identity   the private key file (the host's own, else the global one), absolute
 * @param knownHosts the known_hosts file keys are checked against (the host's own, else the global one), absolute
 */
record SshDestination(String user, String host, int port, Path identity, Path knownHosts) {
    /** {@code user@host:port}, an IPv6 host in brackets. */
    @Override
    public String toString() {
        return user + "@" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
