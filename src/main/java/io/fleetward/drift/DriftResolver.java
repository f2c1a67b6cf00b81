package io.fleetward.drift;

import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.ImpactSection;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.observe.Observation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a target is at its desired revision, from what the machine reports, what
 * fleetward deployed, and which paths changed since. Pure and thread-safe.
 *
 * <p>The changes from the deployed revision D to the desired one are judged by the daemon's rules
 * plus the repository's {@code impact:} section <em>of D</em>: the rules in force before the change.
 * A commit that edits the section is therefore judged by the old rules (the edit never hides a path
 * changed in the same commit), and the new rules apply from the next deployment on. When D's
 * section cannot be read, the daemon's rules alone apply (the most redeploying choice).
 */
public final class DriftResolver {
    /** Distinct repository sections in use at once: a few (one per deployed revision's section). */
    private static final int CACHED_RULES = 16;

    private final ImpactRules impact;
    private final RevisionImpact repositoryRules;
    /** One ImpactRules per section, so that each keeps classifying a change set only once. */
    private final Map<ImpactSection, ImpactRules> bySection = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ImpactSection, ImpactRules> eldest) {
                    return size() > CACHED_RULES;
                }
            });

    /** The daemon's rules only: no repository section is read. */
    public DriftResolver(ImpactRules impact) {
        this(impact, RevisionImpact.NONE);
    }

    /**
     * @param impact          the daemon's rules (defaults and {@code fleetward.impact.ignore})
     * @param repositoryRules the repository's {@code impact:} section by revision
     */
    public DriftResolver(ImpactRules impact, RevisionImpact repositoryRules) {
        this.impact = impact;
        this.repositoryRules = repositoryRules;
    }

    /** The rules that judge changes made since {@code deployedRevision}: those in force there. */
    private ImpactRules rulesSince(String deployedRevision) {
        ImpactSection section = repositoryRules.at(deployedRevision).orElse(ImpactSection.NONE);
        if (section.equals(ImpactSection.NONE)) {
            return impact;
        }
        return bySection.computeIfAbsent(section, impact::plus);
    }

    /**
     * The drift of one target.
     *
     * @param observation what the machine reported last, or null when it was never probed
     * @param changes     changed paths between two revisions
     * @param allUsers    every user folder name (the inventory's list; the same instance for a whole pass)
     * @param desiredPath exact mode: the evaluated desired path at {@code desiredRevision}. It only
     *                    refines a target the path rules call drifted (a relevant path changed, an
     *                    out-of-band change, an unknown deployed revision): in sync when the machine
     *                    already runs it, else drifted. A target the rules call in sync stays so, and
     *                    one never deployed stays drifted.
     */
    public Drift resolve(Target target, String desiredRevision, Observation observation, Ledger ledger,
                         ChangedPaths changes, List<String> allUsers, Optional<String> desiredPath) {
        if (observation == null) {
            return verdict(target, DriftStatus.UNKNOWN, "not observed yet", desiredRevision, null);
        }
        if (!observation.reachable()) {
            return verdict(target, DriftStatus.UNREACHABLE, observation.unreachable(), desiredRevision, null);
        }
        Drift byRevision = byRevision(target, desiredRevision, observation, ledger, changes, allUsers);
        String currentPath = observation.currentPath();
        if (!byRevision.drifted() || desiredPath.isEmpty() || currentPath == null) {
            return byRevision;
        }
        String evaluated = StorePath.nameOf(desiredPath.get());
        return desiredPath.get().equals(currentPath)
                ? inSync(target, observation, "evaluated " + evaluated + ": same as running, nothing to deploy",
                        desiredRevision, byRevision.deployedRevision())
                : verdict(target, DriftStatus.DRIFTED, "evaluated " + evaluated + ", running "
                        + StorePath.nameOf(currentPath), desiredRevision, byRevision.deployedRevision());
    }

    /** The verdict of the path rules alone, from the deployed revision and what changed since. */
    private Drift byRevision(Target target, String desiredRevision, Observation observation, Ledger ledger,
                             ChangedPaths changes, List<String> allUsers) {
        String currentPath = observation.currentPath();
        Optional<String> deployed = deployedRevision(target, observation, ledger);
        if (deployed.isEmpty()) {
            String reason = currentPath == null
                    ? "never deployed"
                    : "out-of-band change: " + StorePath.nameOf(currentPath) + " was not deployed by fleetward";
            return verdict(target, DriftStatus.DRIFTED, reason, desiredRevision, null);
        }
        String revision = deployed.get();
        if (revision.equals(desiredRevision)) {
            return inSync(target, observation, "at desired revision " + CommitId.abbreviate(revision), desiredRevision,
                    revision);
        }
        Optional<Set<String>> changed = changes.between(revision, desiredRevision);
        if (changed.isEmpty()) {
            return verdict(target, DriftStatus.DRIFTED,
                    "deployed revision " + CommitId.abbreviate(revision) + " is not in the tracked history",
                    desiredRevision, revision);
        }
        Optional<String> cause = rulesSince(revision).firstAffecting(target, allUsers, changed.get());
        if (cause.isPresent()) {
            return verdict(target, DriftStatus.DRIFTED,
                    cause.get() + " changed since " + CommitId.abbreviate(revision), desiredRevision, revision);
        }
        return inSync(target, observation, "no relevant change since " + CommitId.abbreviate(revision), desiredRevision,
                revision);
    }

    /**
     * The reported configurationRevision when it names a commit ("dirty" and "sha-dirty" do not; nor
     * does a SHA-256 id, which fleetward's SHA-1-only source never deploys); else the revision
     * fleetward deployed that left the current path; else unknown.
     */
    private static Optional<String> deployedRevision(Target target, Observation observation, Ledger ledger) {
        Optional<String> reported = CommitId.parse(observation.configurationRevision())
                .filter(CommitId::isSha1).map(CommitId::hex);
        if (reported.isPresent()) {
            return reported;
        }
        String currentPath = observation.currentPath();
        return currentPath == null ? Optional.empty() : ledger.revisionOfPath(target.id(), currentPath);
    }

    /** In sync, noting a NixOS system that activated the desired state but still booted an older one. */
    private static Drift inSync(Target target, Observation observation, String reason, String desiredRevision,
                                String deployedRevision) {
        boolean rebootPending = target.kind() == TargetKind.SYSTEM && target.platform() == Platform.NIXOS
                && observation.bootedPath() != null && !observation.bootedPath().equals(observation.currentPath());
        return verdict(target, DriftStatus.IN_SYNC, rebootPending ? reason + "; reboot pending" : reason,
                desiredRevision, deployedRevision);
    }

    private static Drift verdict(Target target, DriftStatus status, String reason, String desiredRevision,
                                 String deployedRevision) {
        return new Drift(target.id(), status, reason, desiredRevision, deployedRevision);
    }
}
