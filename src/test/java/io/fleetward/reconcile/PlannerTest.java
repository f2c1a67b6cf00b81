package io.fleetward.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftStatus;
import io.fleetward.fleet.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlannerTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final String REV = "3f2a1c0" + "d".repeat(33);
    private static final String OLD_REV = "1".repeat(40);
    private static final String CHANGED = "flake.lock changed since 1111111";

    private final Planner planner = new Planner();

    static Stream<Arguments> rules() {
        return Stream.of(
                argumentSet("drifted target is deployed with its drift reason",
                        fleet().drifted("system:web1"),
                        List.of("system:web1 #1: " + CHANGED), List.of()),
                argumentSet("in-sync, unreachable and unknown targets are left alone",
                        fleet().inSync("system:a").unreachable("system:b").unknown("system:c"),
                        List.of(), List.of()),
                argumentSet("forced in-sync target is requested",
                        fleet().inSync("system:web1").forced("system:web1"),
                        List.of("system:web1 #1: requested"), List.of()),
                argumentSet("forced drifted target is requested",
                        fleet().drifted("system:web1").forced("system:web1"),
                        List.of("system:web1 #1: requested"), List.of()),
                argumentSet("forced unreachable target is not deployed",
                        fleet().unreachable("system:web1").forced("system:web1"),
                        List.of(), List.of("system:web1: requested, but unreachable: ssh: connection refused")),
                argumentSet("forced never-observed target is not deployed",
                        fleet().unknown("system:web1").forced("system:web1"),
                        List.of(), List.of("system:web1: requested, but not observed yet")),
                argumentSet("forced target outside the inventory",
                        fleet().forced("system:gone"),
                        List.of(), List.of("system:gone: not a target of the current inventory")),
                argumentSet("paused fleet defers every drifted target",
                        fleet().drifted("system:a").drifted("home:x@b").paused(),
                        List.of(), List.of("home:x@b: fleet paused", "system:a: fleet paused")),
                argumentSet("paused fleet still runs forced targets",
                        fleet().drifted("system:a").inSync("system:b").forced("system:b").paused(),
                        List.of("system:b #1: requested"), List.of("system:a: fleet paused")),
                argumentSet("suspended target waits",
                        fleet().drifted("system:a").suspended("system:a"),
                        List.of(), List.of("system:a: suspended")),
                argumentSet("suspension holds back a forced target too",
                        fleet().inSync("system:a").forced("system:a").suspended("system:a"),
                        List.of(), List.of("system:a: suspended")),
                argumentSet("attempts used up at the desired revision",
                        fleet().drifted("system:a").retry("system:a", REV, 5, NOW.minusSeconds(1)),
                        List.of(),
                        List.of("system:a: gave up after 5 attempts at 3f2a1c0; waiting for a new revision")),
                argumentSet("backoff still running",
                        fleet().drifted("system:a").retry("system:a", REV, 2, NOW.plusSeconds(20)),
                        List.of(), List.of("system:a: retry 3 of 5 in 20s")),
                argumentSet("a requested sync does not wait for the backoff",
                        fleet().drifted("system:a").retry("system:a", REV, 2, NOW.plusSeconds(20)).forced("system:a"),
                        List.of("system:a #3: requested"), List.of()),
                argumentSet("a requested sync tries again after the attempts were used up",
                        fleet().drifted("system:a").retry("system:a", REV, 5, NOW.minusSeconds(1)).forced("system:a"),
                        List.of("system:a #6: requested"), List.of()),
                argumentSet("backoff wait is rounded up to whole seconds",
                        fleet().drifted("system:a").retry("system:a", REV, 1, NOW.plus(Duration.ofMillis(90_500))),
                        List.of(), List.of("system:a: retry 2 of 5 in 1m31s")),
                argumentSet("backoff over: retried with the next attempt number",
                        fleet().drifted("system:a").retry("system:a", REV, 2, NOW),
                        List.of("system:a #3: " + CHANGED), List.of()),
                argumentSet("retry state for another revision is ignored",
                        fleet().drifted("system:a").retry("system:a", OLD_REV, 5, NOW.plusSeconds(60)),
                        List.of("system:a #1: " + CHANGED), List.of()),
                argumentSet("host with a running deployment",
                        fleet().drifted("system:web1").drifted("home:bob@web1").busy("web1"),
                        List.of(), List.of("home:bob@web1: another deployment on web1 is running",
                                "system:web1: another deployment on web1 is running")),
                argumentSet("system target goes before the host's home targets",
                        fleet().drifted("home:bob@web1").drifted("system:web1"),
                        List.of("system:web1 #1: " + CHANGED), List.of("home:bob@web1: waiting for system:web1")),
                argumentSet("a system retry still goes before a first home attempt",
                        fleet().drifted("home:bob@web1").drifted("system:web1")
                                .retry("system:web1", REV, 1, NOW.minusSeconds(1)),
                        List.of("system:web1 #2: " + CHANGED), List.of("home:bob@web1: waiting for system:web1")),
                argumentSet("never two deployments on one host",
                        fleet().drifted("home:alice@web1").drifted("home:bob@web1"),
                        List.of("home:alice@web1 #1: " + CHANGED),
                        List.of("home:bob@web1: waiting for home:alice@web1")),
                argumentSet("home goes ahead while its system is in backoff",
                        fleet().drifted("home:bob@web1").drifted("system:web1")
                                .retry("system:web1", REV, 1, NOW.plusSeconds(5)),
                        List.of("home:bob@web1 #1: " + CHANGED), List.of("system:web1: retry 2 of 5 in 5s")),
                argumentSet("home waits for a system that hit the parallelism limit",
                        fleet().drifted("system:a").drifted("system:b").drifted("home:x@b").slots(1),
                        List.of("system:a #1: " + CHANGED),
                        List.of("home:x@b: waiting for system:b", "system:b: parallelism limit reached")),
                argumentSet("parallelism limit",
                        fleet().drifted("system:a").drifted("system:b").drifted("system:c").slots(2),
                        List.of("system:a #1: " + CHANGED, "system:b #1: " + CHANGED),
                        List.of("system:c: parallelism limit reached")),
                argumentSet("no free slot",
                        fleet().drifted("system:a").slots(0),
                        List.of(), List.of("system:a: parallelism limit reached")),
                argumentSet("first attempts before retries",
                        fleet().drifted("system:a").drifted("system:b")
                                .retry("system:a", REV, 1, NOW.minusSeconds(1)).slots(1),
                        List.of("system:b #1: " + CHANGED), List.of("system:a: parallelism limit reached")),
                argumentSet("retries after first attempts, each by target id",
                        fleet().drifted("system:d").drifted("system:c").drifted("system:b").drifted("system:a")
                                .retry("system:a", REV, 1, NOW).retry("system:c", REV, 2, NOW),
                        List.of("system:b #1: " + CHANGED, "system:d #1: " + CHANGED,
                                "system:a #2: " + CHANGED, "system:c #3: " + CHANGED),
                        List.of()),
                argumentSet("deployments and deferrals in target id order",
                        fleet().drifted("system:c").drifted("system:a").drifted("home:x@b")
                                .suspended("system:c").busy("a"),
                        List.of("home:x@b #1: " + CHANGED),
                        List.of("system:a: another deployment on a is running", "system:c: suspended")));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void plans(Fleet fleet, List<String> deployments, List<String> deferred) {
        Plan plan = planner.plan(fleet.input());
        assertEquals(deployments, plan.deployments().stream()
                .map(d -> d.target() + " #" + d.attempt() + ": " + d.reason()).toList());
        assertEquals(deferred, plan.deferred().stream().map(d -> d.target() + ": " + d.reason()).toList());
        plan.deployments().forEach(d -> assertEquals(REV, d.revision()));
    }

    static Fleet fleet() {
        return new Fleet();
    }

    /** The planner's input, built up row by row. */
    static final class Fleet {
        private final List<Drift> drifts = new ArrayList<>();
        private final Map<TargetId, RetryState> retries = new HashMap<>();
        private final Set<TargetId> suspended = new HashSet<>();
        private final Set<String> busyHosts = new HashSet<>();
        private final Set<TargetId> forced = new HashSet<>();
        private int freeSlots = 4;
        private boolean paused;

        Fleet drifted(String id) {
            return drift(id, DriftStatus.DRIFTED, CHANGED);
        }

        Fleet inSync(String id) {
            return drift(id, DriftStatus.IN_SYNC, "at desired revision 3f2a1c0");
        }

        Fleet unreachable(String id) {
            return drift(id, DriftStatus.UNREACHABLE, "ssh: connection refused");
        }

        Fleet unknown(String id) {
            return drift(id, DriftStatus.UNKNOWN, "not observed yet");
        }

        Fleet retry(String id, String revision, int failures, Instant notBefore) {
            TargetId target = TargetId.parse(id);
            retries.put(target, new RetryState(target, revision, failures, notBefore, "exit status 1", false));
            return this;
        }

        Fleet suspended(String id) {
            suspended.add(TargetId.parse(id));
            return this;
        }

        Fleet busy(String host) {
            busyHosts.add(host);
            return this;
        }

        Fleet forced(String id) {
            forced.add(TargetId.parse(id));
            return this;
        }

        Fleet slots(int free) {
            freeSlots = free;
            return this;
        }

        Fleet paused() {
            paused = true;
            return this;
        }

        PlanInput input() {
            return new PlanInput(drifts, retries, suspended, busyHosts, forced, freeSlots, 5, paused, NOW);
        }

        private Fleet drift(String id, DriftStatus status, String reason) {
            drifts.add(new Drift(TargetId.parse(id), status, reason, REV, OLD_REV));
            return this;
        }

        @Override
        public String toString() {
            return drifts.size() + " targets";
        }
    }
}
