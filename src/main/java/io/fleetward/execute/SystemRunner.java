package io.fleetward.execute;

import io.fleetward.fleet.Names;
import io.fleetward.fleet.TargetHost;

/**
 * Where system deploys run: on the controller itself, or on a deployer host reached over SSH
 * (a builder with the Nix store and the keys clan needs), from {@code fleetward.deploy.system-runner}.
 *
 * @param destination {@code [user@]host[:port]} of the deployer host, or null for the controller
 */
public record SystemRunner(String destination) {
    public static final SystemRunner LOCAL = new SystemRunner(null);
    private static final String SCHEME = "ssh://";

    /**
     * Parses {@code local} or {@code ssh://[user@]host[:port]}.
     *
     * @throws IllegalArgumentException naming the key and the expected form
     */
    public static SystemRunner parse(String key, String text) {
        if ("local".equals(text)) {
            return LOCAL;
        }
        if (text != null && text.startsWith(SCHEME)) {
            String destination = text.substring(SCHEME.length());
            try {
                TargetHost.parse(destination);
                return new SystemRunner(destination);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage() + " in " + Names.printable(text));
            }
        }
        throw new IllegalArgumentException(key + ": expected local or ssh://[user@]host[:port], got "
                + Names.printable(text));
    }

    public boolean local() {
        return destination == null;
    }

    @Override
    public String toString() {
        return local() ? "local" : SCHEME + destination;
    }
}
