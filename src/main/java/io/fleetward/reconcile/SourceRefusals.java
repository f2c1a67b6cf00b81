package io.fleetward.reconcile;

import io.fleetward.fleet.CommitId;
import io.fleetward.source.Verdict;

/** The rule for an operator's acceptance of a rewritten history, checked on the snapshot and again on the pass. */
final class SourceRefusals {
    private SourceRefusals() {
    }

    /**
     * @throws ControlException CONFLICT unless {@code revision} is the newest fetched revision and was
     *                          refused only because it does not descend from the revision deployed from
     */
    static void requireNotADescendant(SourceVerification verification, String revision) {
        if (verification == null || !verification.revision().equals(revision)) {
            throw new ControlException(ControlException.Kind.CONFLICT, "revision " + CommitId.abbreviate(revision)
                    + " is not the fetched revision" + (verification == null ? ""
                    : " (that is " + CommitId.abbreviate(verification.revision()) + ", " + verification.result() + ")"));
        }
        if (!Verdict.Result.NOT_A_DESCENDANT.label().equals(verification.result())) {
            throw new ControlException(ControlException.Kind.CONFLICT, "revision " + CommitId.abbreviate(revision)
                    + " is " + verification.result() + (verification.good() ? ", nothing to accept"
                    : "; only a revision refused as not-a-descendant can be accepted"));
        }
    }
}
