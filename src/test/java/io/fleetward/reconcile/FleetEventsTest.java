package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.FleetEvent.Kind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hooks other features tell through, and a port that fails without failing the pass. */
class FleetEventsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final String REVISION = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";

    private final RecordingNotifications notifications = new RecordingNotifications();
    private final FleetEvents events = new FleetEvents(notifications, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Target galena() {
        Host host = new Host("galena", Platform.NIXOS, "root@galena", "ssh", List.of("server"), List.of(), false);
        return new Target(TargetId.system("galena"), host, null, null);
    }

    @Test
    void aRollbackIsToldAboutItsTargetAndTheRevisionItLeft() {
        events.rolledBack(galena(), REVISION, "health gate failed: sshd did not answer");

        assertThat(notifications.events()).containsExactly(new FleetEvent(Kind.ROLLED_BACK, TargetId.system("galena"),
                "galena", List.of("server"), REVISION, "rolled_back", "health gate failed: sshd did not answer", NOW));
    }

    @Test
    void aHaltedRolloutAndARefusedRevisionAreFleetWide() {
        events.rolloutHalted(REVISION, "wave 2: galena rolled back");
        events.sourceVerificationFailed(REVISION, "not signed by a trusted key");

        assertThat(notifications.events()).extracting(FleetEvent::kind, FleetEvent::target, FleetEvent::host,
                        FleetEvent::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.ROLLOUT_HALTED, null, null, "halted"),
                        org.assertj.core.groups.Tuple.tuple(Kind.SOURCE_VERIFICATION_FAILED, null, null, "refused"));
    }

    @Test
    void aPortThatThrowsDoesNotFailTheCaller() {
        FleetEvents failing = new FleetEvents(event -> {
            throw new IllegalStateException("broken port");
        }, Clock.fixed(NOW, ZoneOffset.UTC));

        try (CapturedLog log = CapturedLog.of(FleetEvents.class.getName())) {
            failing.rolloutHalted(REVISION, "halted");

            assertThat(log.warnings("notification of rollout-halted for the fleet not handed over: broken port"))
                    .hasSize(1);
        }
    }

    @Test
    void kindsAreSpelledAsInConfiguration() {
        assertThat(Kind.DEPLOYMENT_STARTED.id()).isEqualTo("deployment-started");
        assertThat(Kind.SOURCE_VERIFICATION_FAILED.id()).isEqualTo("source-verification-failed");
    }
}
