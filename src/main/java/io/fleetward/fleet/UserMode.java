package io.fleetward.fleet;

/** How a user's home-manager configuration is deployed on a host. */
public enum UserMode {
    /** Embedded in the host's system configuration: deployed by {@code clan machines update}. */
    SYSTEM,
    /** Standalone: deployed by {@code nh home switch} on the host as that user. */
    STANDALONE
}
