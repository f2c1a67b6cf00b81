package io.fleetward.source;

import java.util.Locale;
import java.util.Objects;

/**
 * What the checks of a revision found.
 *
 * @param result  good, or why it is refused
 * @param commit  the commit the result is about (for {@code all}, the first commit that failed), in full
 * @param signer  who signed it: user id or principal, key id / fingerprint; never key material. Null when unsigned
 * @param detail  one line for logs and the API
 */
public record Verdict(Result result, String commit, String signer, String detail) {
    public Verdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(detail, "detail");
    }

    /** The outcome of a check; {@link #label()} is what the API and the metric show. */
    public enum Result {
        /** Every check that is on passed. */
        GOOD,
        /** The commit carries no signature. */
        UNSIGNED,
        /** A valid signature, but by a key that is not trusted (unknown, expired, revoked, not allowed). */
        UNTRUSTED,
        /** A signature that does not verify (tampered, malformed, wrong namespace, unsupported format). */
        BAD,
        /** The revision does not descend from the last revision fleetward deployed from. */
        NOT_A_DESCENDANT;

        /** {@code good}, {@code unsigned}, {@code untrusted}, {@code bad}, {@code not-a-descendant}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public boolean good() {
        return result == Result.GOOD;
    }

    static Verdict good(String commit, String signer, String detail) {
        return new Verdict(Result.GOOD, commit, signer, detail);
    }
}
