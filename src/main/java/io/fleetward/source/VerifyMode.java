package io.fleetward.source;

/** Which commits must carry a good signature by a trusted key ({@code fleetward.source.verify}). */
public enum VerifyMode {
    /** No signature is checked (anti-rollback still applies). */
    NONE,
    /** The commit that becomes the desired revision. */
    HEAD,
    /** Every commit between the last verified revision and the new head, the head included. */
    ALL
}
