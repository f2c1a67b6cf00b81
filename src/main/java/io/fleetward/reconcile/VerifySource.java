package io.fleetward.reconcile;

import io.fleetward.fleet.CommitId;
import io.fleetward.source.GitSource;
import io.fleetward.source.Verdict;
import io.fleetward.source.VerifyMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Step 3: decides whether the fetched revision may become the desired revision. It must carry good
 * signatures by trusted keys as {@code fleetward.source.verify} asks (the head, or every commit since
 * the last verified revision), and descend from the last revision deployed from (anti-rollback), unless
 * {@code allow-non-fast-forward} is set or an operator accepted it once. Reads the fetched revision and
 * the revision deployed from (from the store, at the first pass); sets the pass's admitted revision,
 * the decision for the API and, for a refused revision, the verification stall: the pass goes on with
 * the last revision deployed from, so targets keep their state. A revision is decided once (logged,
 * counted); stalls the pass when no revision was ever admitted.
 */
final class VerifySource implements Step {
    private static final Logger LOG = Logger.getLogger(VerifySource.class);

    private final GitSource source;
    private final SourceTrust trust;
    private final FleetState state;
    private final LoopMetrics metrics;
    private final Clock clock;

    private final FleetEvents fleetEvents;

    VerifySource(GitSource source, SourceTrust trust, FleetState state, LoopMetrics metrics, Clock clock,
                 FleetEvents fleetEvents) {
        this.fleetEvents = fleetEvents;
        this.source = source;
        this.trust = trust;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "verify source";
    }

    @Override
    public StepResult run(Pass pass) {
        if (!state.deployedFromLoaded) {
            state.deployedFrom = trust.saved().load().orElse(null);
            state.deployedFromLoaded = true;
            if (state.deployedFrom != null) {
                LOG.infof("source: last revision deployed from: %s (%s)", CommitId.abbreviate(state.deployedFrom.revision()),
                        state.deployedFrom.how());
            }
        }
        String head = source.revision().orElseThrow();
        pass.admitted = admit(head);
        if (pass.admitted == null) {
            // The refusal itself was logged with its commit and reason.
            return StepResult.stalled("no fetched revision passed the source checks yet");
        }
        return StepResult.CONTINUE;
    }

    /** The revision to read the inventory at: {@code head} if it passes, else the last one deployed from. */
    private String admit(String head) {
        DeployedFrom from = state.deployedFrom;
        if (from != null && from.revision().equals(head)) {
            state.verificationStall = null; // also after a force-push back to the revision deployed from
            if (state.verification != null && !state.verification.revision().equals(head)) {
                state.verification = null; // an older refusal no longer applies (nor can it be accepted)
            }
            return head;
        }
        SourceVerification known = state.verification;
        LoopEvent.AcceptRevision accept = state.acceptOnce;
        boolean accepting = accept != null && accept.revision().equals(head);
        if (known != null && known.revision().equals(head) && (known.good() || !accepting)) {
            return known.good() ? head : fallback();
        }
        Decision decision = decide(head, from, accepting ? accept : null);
        state.verification = decision.verification;
        metrics.sourceVerified(decision.verification.result());
        if (decision.verification.good()) {
            state.verificationStall = null;
            state.admitted = new DeployedFrom(head, trust.verify(), decision.how, clock.instant());
            if (accepting) {
                state.acceptOnce = null;
            }
            return head;
        }
        SourceVerification refused = decision.verification;
        state.verificationStall = new Stall(head, Refusal.VERIFICATION, refused.result() + ": " + refused.detail(), null);
        LOG.warnf("source: revision %s refused (%s), keeping %s: commit %s%s: %s", CommitId.abbreviate(head),
                refused.result(), from == null ? "no revision" : CommitId.abbreviate(from.revision()),
                CommitId.abbreviate(refused.commit()), refused.signer() == null ? "" : ", signer " + refused.signer(),
                refused.detail());
        fleetEvents.sourceVerificationFailed(head, refused.result() + ": " + refused.detail());
        return fallback();
    }

    private String fallback() {
        return state.deployedFrom == null ? null : state.deployedFrom.revision();
    }

    private record Decision(SourceVerification verification, String how) {
    }

    private Decision decide(String head, DeployedFrom from, LoopEvent.AcceptRevision accept) {
        Verdict signed = switch (trust.verify()) {
            case NONE -> null;
            case HEAD -> trust.verifier().commit(head);
            case ALL -> trust.verifier().history(head, verifiedBases(from));
        };
        if (signed != null && !signed.good()) {
            return new Decision(of(head, signed), null);
        }
        String signature = signed == null ? "signatures not checked" : signed.detail();
        String signer = signed == null ? null : signed.signer();
        if (from == null) {
            LOG.infof("source: revision %s admitted, the first one deployed from (%s)", CommitId.abbreviate(head),
                    signature);
            return new Decision(good(head, signer, signature), "first revision");
        }
        Optional<Boolean> descends = source.descends(head, from.revision());
        if (descends.orElse(false)) {
            LOG.infof("source: revision %s admitted: descends from %s (%s)", CommitId.abbreviate(head),
                    CommitId.abbreviate(from.revision()), signature);
            return new Decision(good(head, signer, signature), "fast-forward");
        }
        String rewritten = descends.isEmpty()
                ? CommitId.abbreviate(from.revision()) + ", the last revision deployed from, is not in the clone"
                : "does not descend from " + CommitId.abbreviate(from.revision()) + ", the last revision deployed from"
                + " (a force-push to an older commit or to another history)";
        if (trust.allowNonFastForward()) {
            LOG.warnf("source: revision %s %s; followed, as fleetward.source.allow-non-fast-forward=true (%s)",
                    CommitId.abbreviate(head), rewritten, signature);
            return new Decision(good(head, signer, signature + "; " + rewritten + ", followed as allowed"),
                    "allowed non-fast-forward");
        }
        if (accept != null) {
            LOG.warnf("source: revision %s %s; accepted once by %s (%s)", CommitId.abbreviate(head), rewritten,
                    accept.by(), signature);
            return new Decision(good(head, signer, signature + "; " + rewritten + ", accepted by " + accept.by()),
                    "accepted by " + accept.by());
        }
        return new Decision(new SourceVerification(head, Verdict.Result.NOT_A_DESCENDANT.label(), head, signer,
                rewritten + "; accept it with POST /api/v1/source/accept, or push a revision that descends from it"),
                null);
    }

    /** For {@code all}: revisions whose history needs no check: the last deployed from if verified so, and the anchor. */
    private List<String> verifiedBases(DeployedFrom from) {
        List<String> bases = new ArrayList<>();
        if (from != null && from.verified() == VerifyMode.ALL) {
            bases.add(from.revision());
        }
        trust.verifySince().ifPresent(bases::add);
        return bases;
    }

    private static SourceVerification good(String head, String signer, String detail) {
        return new SourceVerification(head, Verdict.Result.GOOD.label(), head, signer, detail);
    }

    private static SourceVerification of(String head, Verdict verdict) {
        return new SourceVerification(head, verdict.result().label(), verdict.commit(), verdict.signer(),
                verdict.detail());
    }
}
