package io.fleetward.reconcile;

import io.fleetward.source.CommitVerifier;
import io.fleetward.source.GitSource;
import io.fleetward.source.TrustedKeys;
import io.fleetward.source.VerifyMode;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a fetched revision must pass before it becomes the desired revision ({@link VerifySource}).
 *
 * @param verify              which commits must be signed by a trusted key
 * @param verifySince         for {@code all} without a verified revision yet: commits this one descends
 *                            from (and it) are not checked; empty: the first head is checked alone
 * @param allowNonFastForward whether a revision that does not descend from the last one deployed from is
 *                            followed anyway (force-pushes); false refuses it as {@code not-a-descendant}
 * @param verifier            checks signatures against the trusted keys
 * @param saved               where the last revision deployed from is kept
 */
public record SourceTrust(VerifyMode verify, Optional<String> verifySince, boolean allowNonFastForward,
                          CommitVerifier verifier, SavedDeployedFrom saved) {
    public SourceTrust {
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(verifySince, "verifySince");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(saved, "saved");
    }

    /** No signature checks, force-pushes refused, the revision deployed from kept in memory: for tests. */
    public static SourceTrust unsigned(GitSource source, Clock clock) {
        return new SourceTrust(VerifyMode.NONE, Optional.empty(), false,
                new CommitVerifier(source, TrustedKeys.none(), clock), SavedDeployedFrom.inMemory());
    }
}
