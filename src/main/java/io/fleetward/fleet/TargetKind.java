package io.fleetward.fleet;

/** What a deployment of a target builds and activates. */
public enum TargetKind {
    /** {@code system:<host>}: the host's system configuration with its embedded home-manager users. */
    SYSTEM,
    /** {@code home:<user>@<host>}: a standalone home-manager user, deployed on the host as that user. */
    HOME;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
