package io.fleetward.rollout;

import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waves, soak and halt for one revision R. Pure: the loop says where each target stands
 * ({@link TargetPhase}) and when "now" is.
 *
 * <p>Wave 1 starts at once. Wave n+1 starts when every target of waves 1..n is done (in sync at R;
 * pending ones, unreachable or suspended, do not hold a wave) and, when wave n deployed anything at R,
 * the soak has passed since waves 1..n were done. A failed deployment at R halts the rollout when
 * {@code halt-on-failure} is on: no target of R starts until an operator resumes (which accepts the
 * failures so far) or a new revision starts a new rollout from wave 1. With {@code halt-on-failure}
 * off, a failed target does not hold its wave.
 */
public final class RolloutPolicy {
    private RolloutPolicy() {
    }

    /**
     * The progress after what the loop sees now: the first unaccepted failure halts (when halting is
     * on), and each prefix of waves 1..i that is done gets the instant it was first seen done (a wave
     * that is no longer done loses it: its soak starts over when it is done again).
     *
     * @param failures why each failed target failed (one line), for the halt reason
     */
    public static RolloutProgress advance(RolloutProgress progress, WaveAssignment waves,
                                          Map<TargetId, TargetPhase> phases, Map<TargetId, String> failures,
                                          boolean haltOnFailure, Instant now) {
        RolloutProgress next = progress;
        if (haltOnFailure && !next.isHalted()) {
            for (WaveAssignment.Wave wave : waves.waves()) {
                for (TargetId id : wave.targets()) {
                    if (phase(phases, id) == TargetPhase.FAILED && !next.accepted().contains(id)) {
                        return next.haltedBy(id + " failed (" + failures.getOrDefault(id, "no reason recorded")
                                + ")").withDoneAt(doneAt(next, waves, phases, haltOnFailure, now));
                    }
                }
            }
        }
        return next.withDoneAt(doneAt(next, waves, phases, haltOnFailure, now));
    }

    private static Map<Integer, Instant> doneAt(RolloutProgress progress, WaveAssignment waves,
                                                Map<TargetId, TargetPhase> phases, boolean haltOnFailure,
                                                Instant now) {
        Map<Integer, Instant> doneAt = new HashMap<>();
        for (int i = 0; i < waves.waves().size(); i++) {
            if (!done(waves.waves().get(i), progress, phases, haltOnFailure)) {
                break;
            }
            doneAt.put(i, progress.doneAt().getOrDefault(i, now));
        }
        return doneAt;
    }

    /** Where the rollout stands now, with the reason for each target it holds. */
    public static RolloutStatus status(RolloutProgress progress, WaveAssignment waves,
                                       Map<TargetId, TargetPhase> phases, Duration soak, boolean haltOnFailure,
                                       Instant now) {
        List<WaveAssignment.Wave> all = waves.waves();
        boolean[] started = new boolean[all.size()];
        Instant soakUntil = null;
        for (int i = 0; i < all.size(); i++) {
            if (i == 0) {
                started[i] = true;
                continue;
            }
            Instant before = progress.doneAt().get(i - 1);
            if (!started[i - 1] || before == null) {
                break;
            }
            Instant until = progress.deployed().contains(i - 1) ? before.plus(soak) : before;
            if (until.isAfter(now)) {
                soakUntil = until;
                break;
            }
            started[i] = true;
        }
        String haltedHold = progress.isHalted()
                ? "held: rollout of " + CommitId.abbreviate(progress.revision()) + " halted: " + progress.halted()
                : null;
        List<RolloutStatus.WaveState> states = new ArrayList<>();
        List<TargetId> pending = new ArrayList<>();
        Map<TargetId, String> holds = new HashMap<>();
        int running = 0;
        for (int i = 0; i < all.size(); i++) {
            WaveAssignment.Wave wave = all.get(i);
            List<RolloutStatus.Member> members = new ArrayList<>();
            int done = 0;
            int counted = 0;
            for (TargetId id : wave.targets()) {
                TargetPhase phase = phase(phases, id);
                members.add(new RolloutStatus.Member(id, phase));
                if (holdsWave(id, phase, progress, haltOnFailure)) {
                    counted++;
                } else if (phase != TargetPhase.DONE) {
                    pending.add(id);
                }
                if (phase == TargetPhase.DONE) {
                    done++;
                    counted++;
                }
                if (phase == TargetPhase.DONE) {
                    continue;
                }
                if (haltedHold != null) {
                    holds.put(id, haltedHold);
                } else if (!started[i]) {
                    holds.put(id, waitReason(wave, i, waves, progress, phases, haltOnFailure, started, soakUntil));
                }
            }
            if (started[i]) {
                running = i + 1;
            }
            states.add(new RolloutStatus.WaveState(wave.name(), started[i], progress.doneAt().get(i), members, done,
                    counted));
        }
        return new RolloutStatus(progress.revision(), states, running, soakUntil, progress.halted(), pending, holds);
    }

    /** {@code held: wave servers waits for wave canary (2 of 3 done)}, or the soak it waits for. */
    private static String waitReason(WaveAssignment.Wave wave, int index, WaveAssignment waves,
                                     RolloutProgress progress, Map<TargetId, TargetPhase> phases,
                                     boolean haltOnFailure, boolean[] started, Instant soakUntil) {
        for (int k = 0; k < index; k++) {
            WaveAssignment.Wave earlier = waves.waves().get(k);
            if (!done(earlier, progress, phases, haltOnFailure)) {
                int done = 0;
                int counted = 0;
                for (TargetId id : earlier.targets()) {
                    TargetPhase phase = phase(phases, id);
                    if (phase == TargetPhase.DONE) {
                        done++;
                        counted++;
                    } else if (holdsWave(id, phase, progress, haltOnFailure)) {
                        counted++;
                    }
                }
                return "held: wave " + wave.name() + " waits for wave " + earlier.name() + " (" + done + " of "
                        + counted + " done)";
            }
        }
        // Every earlier wave is done: the one before the first wave that has not started soaks.
        int soaking = index - 1;
        while (soaking > 0 && !started[soaking]) {
            soaking--;
        }
        String until = soakUntil == null ? "" : " until " + soakUntil.truncatedTo(ChronoUnit.SECONDS);
        return "held: wave " + wave.name() + " waits for wave " + waves.waves().get(soaking).name() + " to soak"
                + until;
    }

    private static boolean done(WaveAssignment.Wave wave, RolloutProgress progress,
                                Map<TargetId, TargetPhase> phases, boolean haltOnFailure) {
        for (TargetId id : wave.targets()) {
            TargetPhase phase = phase(phases, id);
            if (phase != TargetPhase.DONE && holdsWave(id, phase, progress, haltOnFailure)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waiting targets hold their wave; failed ones too while halting is on. A target whose failure an
     * operator accepted never holds it again at this revision, not even while it retries.
     */
    private static boolean holdsWave(TargetId id, TargetPhase phase, RolloutProgress progress,
                                     boolean haltOnFailure) {
        if (progress.accepted().contains(id)) {
            return false;
        }
        return switch (phase) {
            case WAITING -> true;
            case FAILED -> haltOnFailure;
            case DONE, PENDING -> false;
        };
    }

    /** A target the loop said nothing about has not been resolved yet: it waits. */
    private static TargetPhase phase(Map<TargetId, TargetPhase> phases, TargetId id) {
        return phases.getOrDefault(id, TargetPhase.WAITING);
    }
}
