package io.fleetward.reconcile;

import io.fleetward.source.VerifyMode;
import java.time.Instant;
import java.util.Objects;

/**
 * The last revision fleetward deployed from (the revision whose inventory it adopted as desired
 * state): every new desired revision must descend from it. Kept in the store, so it survives restarts.
 *
 * @param revision full commit id
 * @param verified the signature checks it passed ({@code ALL}: every commit up to it was verified,
 *                 so a later {@code all} check starts from it)
 * @param how      why it was taken, one line: {@code first revision}, {@code fast-forward},
 *                 {@code allowed non-fast-forward}, {@code accepted by <who>}
 * @param at       when
 */
public record DeployedFrom(String revision, VerifyMode verified, String how, Instant at) {
    public DeployedFrom {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(verified, "verified");
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(at, "at");
    }
}
