package io.fleetward.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.HostUser;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.RolloutRules;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Waves, soak, halt and resume for one revision, on a fixed clock. */
class RolloutPolicyTest {
    private static final String R = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
    private static final String R2 = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration SOAK = Duration.ofMinutes(5);
    private static final RolloutRules WAVES = new RolloutRules(List.of(
            new RolloutRules.Wave("canary", List.of("canary"), 2),
            new RolloutRules.Wave("servers", List.of("server"), 3),
            new RolloutRules.Wave("rest", List.of(), 4)), SOAK, true, List.of());

    private static final TargetId STIBNITE = TargetId.system("stibnite");
    private static final TargetId BLACKPHOS = TargetId.system("blackphos");
    private static final TargetId ARGENTUM = TargetId.system("argentum");
    private static final TargetId CINNABAR = TargetId.system("cinnabar");
    private static final TargetId GALENA = TargetId.system("galena");
    private static final TargetId ROSEGOLD = TargetId.system("rosegold");
    private static final TargetId JANETTE = TargetId.home("janettesmith", "rosegold");

    private static final List<Target> FLEET = List.of(
            system("stibnite", "canary", "workstation"), system("blackphos", "canary", "workstation"),
            system("argentum", "canary", "workstation"), system("cinnabar", "server"), system("galena", "server"),
            system("rosegold", "workstation"), home("janettesmith", "rosegold", "workstation"));
    private static final WaveAssignment ASSIGNED = WaveAssignment.of(WAVES, FLEET);

    @Test
    void aHostJoinsTheFirstWaveThatMatchesAndItsHomeTargetsGoWithIt() {
        assertThat(ASSIGNED.waves()).extracting(WaveAssignment.Wave::name).containsExactly("canary", "servers", "rest");
        assertThat(ASSIGNED.waves().get(0).targets()).containsExactly(ARGENTUM, BLACKPHOS, STIBNITE);
        assertThat(ASSIGNED.waves().get(1).targets()).containsExactly(CINNABAR, GALENA);
        assertThat(ASSIGNED.waves().get(2).targets()).containsExactly(JANETTE, ROSEGOLD);
    }

    @Test
    void withoutARolloutSectionEveryTargetIsInOneWaveAndNothingIsHeld() {
        WaveAssignment one = WaveAssignment.of(RolloutRules.NONE, FLEET);
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);

        RolloutStatus status = status(RolloutProgress.start(R), one, phases, T0);

        assertThat(one.waves()).singleElement().satisfies(w -> assertThat(w.targets()).hasSize(FLEET.size()));
        assertThat(status.holds()).isEmpty();
        assertThat(status.runningWave()).isEqualTo(1);
    }

    @Test
    void hostsThatNoWaveMatchesFormALastWave() {
        RolloutRules noCatchAll = new RolloutRules(List.of(new RolloutRules.Wave("canary", List.of("canary"), 2)),
                Duration.ZERO, true, List.of());

        WaveAssignment assigned = WaveAssignment.of(noCatchAll, FLEET);

        assertThat(assigned.waves()).extracting(WaveAssignment.Wave::name).containsExactly("canary", "(rest)");
        assertThat(assigned.indexOf(GALENA)).contains(1);
    }

    @Test
    void laterWavesWaitForEveryTargetOfTheEarlierOnesWithHowManyAreDone() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        phases.put(STIBNITE, TargetPhase.DONE);
        phases.put(BLACKPHOS, TargetPhase.DONE);
        RolloutProgress progress = advance(RolloutProgress.start(R).deployedIn(0), phases, T0);

        RolloutStatus status = status(progress, ASSIGNED, phases, T0);

        assertThat(status.hold(ARGENTUM)).as("the running wave is not held").isEmpty();
        assertThat(status.hold(CINNABAR)).contains("held: wave servers waits for wave canary (2 of 3 done)");
        assertThat(status.hold(JANETTE)).contains("held: wave rest waits for wave canary (2 of 3 done)");
        assertThat(status.runningWave()).isEqualTo(1);
    }

    @Test
    void anUnreachableTargetDoesNotHoldItsWaveAndIsShownPending() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        phases.put(STIBNITE, TargetPhase.DONE);
        phases.put(BLACKPHOS, TargetPhase.DONE);
        phases.put(ARGENTUM, TargetPhase.PENDING);
        RolloutProgress progress = advance(RolloutProgress.start(R), phases, T0);

        RolloutStatus status = status(progress, ASSIGNED, phases, T0);

        assertThat(status.hold(CINNABAR)).as("canary deployed nothing: no soak").isEmpty();
        assertThat(status.pending()).containsExactly(ARGENTUM);
        assertThat(status.waves().get(0).done()).isEqualTo(2);
        assertThat(status.waves().get(0).counted()).isEqualTo(2);
        assertThat(status.hold(ROSEGOLD)).contains("held: wave rest waits for wave servers (0 of 2 done)");
    }

    @Test
    void theNextWaveStartsOnlyAfterTheSoakOfAWaveThatDeployed() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        canaryDone(phases);
        RolloutProgress progress = advance(RolloutProgress.start(R).deployedIn(0), phases, T0);

        RolloutStatus soaking = status(progress, ASSIGNED, phases, T0.plus(Duration.ofMinutes(4)));
        RolloutProgress later = advance(progress, phases, T0.plus(SOAK));
        RolloutStatus soaked = status(later, ASSIGNED, phases, T0.plus(SOAK));

        assertThat(soaking.soakUntil()).isEqualTo(T0.plus(SOAK));
        assertThat(soaking.hold(CINNABAR))
                .contains("held: wave servers waits for wave canary to soak until 2026-03-02T10:05:00Z");
        assertThat(soaked.hold(CINNABAR)).isEmpty();
        assertThat(soaked.soakUntil()).isNull();
        assertThat(soaked.runningWave()).isEqualTo(2);
        assertThat(later.doneAt()).as("the soak counts from when canary was first done").containsEntry(0, T0);
    }

    @Test
    void aWaveThatIsNoLongerDoneSoaksAgainOnceItIsDoneAgain() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        canaryDone(phases);
        RolloutProgress done = advance(RolloutProgress.start(R).deployedIn(0), phases, T0);
        phases.put(STIBNITE, TargetPhase.WAITING); // drifted out of band
        RolloutProgress undone = advance(done, phases, T0.plus(Duration.ofMinutes(3)));
        phases.put(STIBNITE, TargetPhase.DONE);
        RolloutProgress again = advance(undone, phases, T0.plus(Duration.ofMinutes(4)));

        assertThat(undone.doneAt()).isEmpty();
        assertThat(again.doneAt()).containsEntry(0, T0.plus(Duration.ofMinutes(4)));
        assertThat(status(again, ASSIGNED, phases, T0.plus(SOAK)).hold(CINNABAR)).isPresent();
    }

    @Test
    void aFailureHaltsTheRolloutAndHoldsEveryWaitingTarget() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        phases.put(STIBNITE, TargetPhase.FAILED);
        phases.put(BLACKPHOS, TargetPhase.DONE);

        RolloutProgress halted = advance(RolloutProgress.start(R), phases, T0);
        RolloutStatus status = status(halted, ASSIGNED, phases, T0);

        String reason = "held: rollout of 1a2b3c4 halted: system:stibnite failed (health check exited 1)";
        assertThat(halted.halted()).isEqualTo("system:stibnite failed (health check exited 1)");
        assertThat(status.hold(ARGENTUM)).as("even in the running wave").contains(reason);
        assertThat(status.hold(CINNABAR)).contains(reason);
        assertThat(status.hold(BLACKPHOS)).as("done targets are not held").isEmpty();
    }

    @Test
    void resumeAcceptsTheFailuresSoFarAndTheRolloutGoesOn() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        canaryDone(phases);
        phases.put(STIBNITE, TargetPhase.FAILED);
        RolloutProgress halted = advance(RolloutProgress.start(R), phases, T0);

        RolloutProgress resumed = advance(halted.resumed(List.of(STIBNITE)), phases, T0);
        RolloutStatus status = status(resumed, ASSIGNED, phases, T0);

        assertThat(resumed.isHalted()).isFalse();
        assertThat(status.hold(CINNABAR)).isEmpty();
        assertThat(status.pending()).contains(STIBNITE);

        phases.put(STIBNITE, TargetPhase.WAITING);
        assertThat(status(advance(resumed, phases, T0), ASSIGNED, phases, T0).hold(CINNABAR))
                .as("an accepted target that retries does not hold its wave again").isEmpty();

        phases.put(CINNABAR, TargetPhase.FAILED);
        assertThat(advance(resumed, phases, T0).halted()).as("a new failure halts again")
                .startsWith("system:cinnabar failed");
    }

    @Test
    void aNewRevisionStartsANewRolloutFromTheFirstWave() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        phases.put(STIBNITE, TargetPhase.FAILED);
        RolloutProgress halted = advance(RolloutProgress.start(R), phases, T0);

        RolloutProgress next = halted.at(R2);

        assertThat(halted.at(R)).isSameAs(halted);
        assertThat(next.isHalted()).isFalse();
        assertThat(next.revision()).isEqualTo(R2);
        assertThat(next.doneAt()).isEmpty();
        Map<TargetId, TargetPhase> fresh = phases(TargetPhase.WAITING);
        assertThat(status(advance(next, fresh, T0), ASSIGNED, fresh, T0).hold(CINNABAR))
                .contains("held: wave servers waits for wave canary (0 of 3 done)");
    }

    @Test
    void withoutHaltOnFailureAFailedTargetNeitherHaltsNorHoldsItsWave() {
        Map<TargetId, TargetPhase> phases = phases(TargetPhase.WAITING);
        canaryDone(phases);
        phases.put(STIBNITE, TargetPhase.FAILED);

        RolloutProgress progress = RolloutPolicy.advance(RolloutProgress.start(R), ASSIGNED, phases, Map.of(), false, T0);
        RolloutStatus status = RolloutPolicy.status(progress, ASSIGNED, phases, SOAK, false, T0);

        assertThat(progress.isHalted()).isFalse();
        assertThat(status.hold(CINNABAR)).isEmpty();
    }

    private static void canaryDone(Map<TargetId, TargetPhase> phases) {
        phases.put(STIBNITE, TargetPhase.DONE);
        phases.put(BLACKPHOS, TargetPhase.DONE);
        phases.put(ARGENTUM, TargetPhase.DONE);
    }

    private static RolloutProgress advance(RolloutProgress progress, Map<TargetId, TargetPhase> phases, Instant now) {
        return RolloutPolicy.advance(progress, ASSIGNED, phases, Map.of(STIBNITE, "health check exited 1",
                CINNABAR, "exit 1"), true, now);
    }

    private static RolloutStatus status(RolloutProgress progress, WaveAssignment waves,
                                        Map<TargetId, TargetPhase> phases, Instant now) {
        return RolloutPolicy.status(progress, waves, phases, SOAK, true, now);
    }

    private static Map<TargetId, TargetPhase> phases(TargetPhase all) {
        Map<TargetId, TargetPhase> phases = new HashMap<>();
        FLEET.forEach(t -> phases.put(t.id(), all));
        return phases;
    }

    private static Target system(String host, String... tags) {
        return new Target(TargetId.system(host), host(host, tags), null, List.of());
    }

    private static Target home(String user, String host, String... tags) {
        return new Target(TargetId.home(user, host), host(host, tags), user + "@" + host, List.of());
    }

    private static Host host(String name, String... tags) {
        List<HostUser> users = new ArrayList<>();
        return new Host(name, Platform.NIXOS, "root@" + name, "ssh", List.of(tags), users, false);
    }
}
