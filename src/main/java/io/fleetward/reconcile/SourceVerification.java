package io.fleetward.reconcile;

import java.util.Objects;

/**
 * The loop's decision on the newest fetched revision, for the API: good, or why it is not deployed.
 *
 * @param revision the fetched revision, in full
 * @param result   {@code good}, {@code unsigned}, {@code untrusted}, {@code bad} or {@code not-a-descendant}
 * @param commit   the commit the result is about (with {@code verify=all}, the first that failed)
 * @param signer   who signed it (user id or principal, key id / fingerprint), or null
 * @param detail   one line
 */
public record SourceVerification(String revision, String result, String commit, String signer, String detail) {
    public SourceVerification {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean good() {
        return "good".equals(result);
    }
}
