package io.fleetward.fleet;

/** Which system builder a host uses; decided by the folder it lives in (or the inventory command). */
public enum Platform {
    NIXOS, DARWIN;

    /** The lower-case name used in paths, config keys and JSON ({@code nixos}, {@code darwin}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
