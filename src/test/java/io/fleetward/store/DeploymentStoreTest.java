package io.fleetward.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.UnfinishedDeployments;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentStoreTest {

    private static final TargetId ALPHA = TargetId.system("alpha");
    private static final TargetId ALICE = TargetId.home("alice", "alpha");
    private static final TargetId BETA = TargetId.system("beta");
    private static final Instant T0 = Instant.parse("2025-05-01T10:15:30.123456Z");

    /** Deployments 0..5 are started in this order. */
    private static final List<TargetId> STARTED = List.of(ALPHA, BETA, ALPHA, ALICE, ALPHA, BETA);

    /** A listing of {@link #STARTED} and the indexes it must return, newest first. */
    private record Listing(String name, Optional<TargetId> target, int limit, List<Integer> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Listing> LISTINGS = List.of(
            new Listing("all", Optional.empty(), 100, List.of(5, 4, 3, 2, 1, 0)),
            new Listing("newest two", Optional.empty(), 2, List.of(5, 4)),
            new Listing("one target", Optional.of(ALPHA), 100, List.of(4, 2, 0)),
            new Listing("one target, limited", Optional.of(ALPHA), 2, List.of(4, 2)),
            new Listing("home target apart from its host", Optional.of(ALICE), 100, List.of(3)),
            new Listing("target never deployed", Optional.of(TargetId.system("gamma")), 100, List.of()));

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aDeploymentIsRunningUntilFinished(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            long id = store.begin(ALICE, "3f2a9c", "webhook:github", T0, null);
            store.attachLog(id, "logs/alice.log");

            assertEquals(Optional.of(new DeploymentRecord(id, ALICE, "3f2a9c", "webhook:github", T0, null,
                    DeploymentOutcome.RUNNING, null, null, "logs/alice.log", null)), store.find(id));

            String logTail = IntStream.range(0, 200).mapToObj(i -> "line " + i + " ✓ building /nix/store/" + "x".repeat(150))
                    .collect(Collectors.joining("\n"));
            store.finish(id, DeploymentOutcome.FAILED, 1, "exit code 1", logTail, T0.plusSeconds(90));

            assertEquals(Optional.of(new DeploymentRecord(id, ALICE, "3f2a9c", "webhook:github", T0,
                    T0.plusSeconds(90), DeploymentOutcome.FAILED, 1, "exit code 1", "logs/alice.log", logTail)),
                    store.find(id));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void finishingWithoutExitCodeOrLogStoresNulls(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            long id = store.begin(ALPHA, "rev", "api", T0, null);
            store.finish(id, DeploymentOutcome.DRY_RUN, null, "dry run", null, T0);

            DeploymentRecord record = store.find(id).orElseThrow();
            assertEquals(DeploymentOutcome.DRY_RUN, record.outcome());
            assertNull(record.exitCode());
            assertNull(record.logFile());
            assertNull(record.logTail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aNulCharacterInCommandOutputIsStoredAsAReplacementCharacter(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            long id = store.begin(ALPHA, "rev", "timer", T0, "logs/1.log");
            store.finish(id, DeploymentOutcome.FAILED, 2, "error: \0 in output", "binary\0garbage", T0);

            DeploymentRecord record = store.find(id).orElseThrow();
            assertEquals("error: \uFFFD in output", record.reason());
            assertEquals("binary\uFFFDgarbage", record.logTail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void unknownDeploymentsAreNotFoundAndCannotBeChanged(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            assertEquals(Optional.empty(), store.find(42));
            assertThrows(StoreException.class, () -> store.attachLog(42, "logs/42.log"));
            assertThrows(StoreException.class,
                    () -> store.finish(42, DeploymentOutcome.SUCCEEDED, 0, null, null, T0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aFinishedDeploymentCannotBeRunning(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            long id = store.begin(ALPHA, "rev", "api", T0, null);
            assertThrows(IllegalArgumentException.class,
                    () -> store.finish(id, DeploymentOutcome.RUNNING, null, null, null, T0));
        }
    }

    static Stream<Arguments> listings() {
        return Arrays.stream(Engine.values()).flatMap(engine -> LISTINGS.stream().map(l -> arguments(engine, l)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("listings")
    void listIsNewestFirstFilteredAndLimited(Engine engine, Listing listing) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < STARTED.size(); i++) {
                // Start times run backwards so the order can only come from the ids.
                ids.add(store.begin(STARTED.get(i), "rev" + i, "timer", T0.minusSeconds(i), null));
            }

            List<Long> listed = store.list(listing.target(), listing.limit()).stream().map(DeploymentRecord::id).toList();

            assertEquals(listing.expected().stream().map(ids::get).toList(), listed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aListNeedsAPositiveLimit(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            assertThrows(IllegalArgumentException.class, () -> new DeploymentStore(db).list(Optional.empty(), 0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void runningDeploymentsAreInterruptedAfterARestart(Engine engine) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        long finished;
        long first;
        long second;
        try (Database db = location.open()) {
            DeploymentStore store = new DeploymentStore(db);
            finished = store.begin(ALPHA, "rev1", "timer", T0, "logs/1.log");
            store.attachProcessGroup(finished, 4001);
            store.finish(finished, DeploymentOutcome.SUCCEEDED, 0, null, "done", T0.plusSeconds(10));
            first = store.begin(ALPHA, "rev2", "timer", T0.plusSeconds(20), "logs/2.log");
            store.attachProcessGroup(first, 4321);
            second = store.begin(BETA, "rev2", "webhook:gitea", T0.plusSeconds(21), "logs/3.log");
        }
        Instant restart = T0.plus(Duration.ofMinutes(5)).plusNanos(789);

        try (Database db = location.open()) {
            DeploymentStore store = new DeploymentStore(db);
            assertEquals(List.of(new UnfinishedDeployments.Unfinished(first, ALPHA, 4321L),
                    new UnfinishedDeployments.Unfinished(second, BETA, null)), store.running());

            assertEquals(true, store.interrupt(first, "fleetward restarted; its command was ended", restart));
            assertEquals(true, store.interrupt(second, "fleetward restarted", restart));

            Instant stored = Instant.parse("2025-05-01T10:20:30.123456Z");
            List<DeploymentRecord> expected = List.of(
                    new DeploymentRecord(first, ALPHA, "rev2", "timer", T0.plusSeconds(20), stored,
                            DeploymentOutcome.INTERRUPTED, null, "fleetward restarted; its command was ended",
                            "logs/2.log", null),
                    new DeploymentRecord(second, BETA, "rev2", "webhook:gitea", T0.plusSeconds(21), stored,
                            DeploymentOutcome.INTERRUPTED, null, "fleetward restarted", "logs/3.log", null));
            assertEquals(expected, List.of(store.find(first).orElseThrow(), store.find(second).orElseThrow()));
            assertEquals(DeploymentOutcome.SUCCEEDED, store.find(finished).orElseThrow().outcome());
            assertEquals(List.of(), store.running());
            assertEquals(false, store.interrupt(first, "again", restart), "an interrupted one");
            assertEquals(false, store.interrupt(finished, "again", restart), "a finished one");
            assertEquals(DeploymentOutcome.SUCCEEDED, store.find(finished).orElseThrow().outcome());
            assertEquals("fleetward restarted; its command was ended", store.find(first).orElseThrow().reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aProcessGroupIsRecordedOnlyForAnExistingDeploymentAndOnlyAboveOne(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            DeploymentStore store = new DeploymentStore(db);
            long id = store.begin(ALPHA, "rev1", "timer", T0, null);
            for (long refused : new long[] {1, 0, -1, -4321}) {
                assertThrows(IllegalArgumentException.class, () -> store.attachProcessGroup(id, refused),
                        "group " + refused);
            }
            assertEquals(List.of(new UnfinishedDeployments.Unfinished(id, ALPHA, null)), store.running());
            assertThrows(StoreException.class, () -> store.attachProcessGroup(id + 1, 4321));

            store.attachProcessGroup(id, Integer.MAX_VALUE + 2L);
            assertEquals(List.of(new UnfinishedDeployments.Unfinished(id, ALPHA, Integer.MAX_VALUE + 2L)),
                    store.running());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aDaemonOnlySeesAndInterruptsItsOwnRunningDeployments(Engine engine) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        try (Database shared = location.open()) {
            DeploymentStore east = new DeploymentStore(shared, "east-1a2b3c4d");
            DeploymentStore west = new DeploymentStore(shared, "west-5e6f7a8b");
            long eastRunning = east.begin(ALPHA, "rev1", "timer", T0, "logs/1.log");
            long westRunning = west.begin(BETA, "rev1", "timer", T0.plusSeconds(1), "logs/2.log");
            // A row written before owners existed (schema version 4): one daemon wrote it.
            long legacy = shared.withConnection("an ownerless row", connection -> {
                try (var insert = connection.prepareStatement("INSERT INTO deployment (target, host, kind, revision,"
                        + " triggered_by, started_at, outcome) VALUES ('system:gamma', 'gamma', 'system', 'rev0',"
                        + " 'timer', CURRENT_TIMESTAMP, 'RUNNING')", java.sql.Statement.RETURN_GENERATED_KEYS)) {
                    insert.executeUpdate();
                    try (var keys = insert.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
            TargetId gamma = TargetId.system("gamma");

            assertEquals(List.of(new UnfinishedDeployments.Unfinished(eastRunning, ALPHA, null),
                    new UnfinishedDeployments.Unfinished(legacy, gamma, null)), east.running());
            assertEquals(List.of(new UnfinishedDeployments.Unfinished(westRunning, BETA, null),
                    new UnfinishedDeployments.Unfinished(legacy, gamma, null)), west.running());

            assertEquals(false, east.interrupt(westRunning, "east restarted", T0.plusSeconds(60)),
                    "another daemon's running deployment");
            assertEquals(DeploymentOutcome.RUNNING, west.find(westRunning).orElseThrow().outcome());
            assertEquals(true, east.interrupt(eastRunning, "east restarted", T0.plusSeconds(60)));
            assertEquals(true, east.interrupt(legacy, "east restarted", T0.plusSeconds(60)));

            assertEquals(List.of(new UnfinishedDeployments.Unfinished(westRunning, BETA, null)), west.running());
            assertEquals(List.of(), east.running());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aStoreRefusesAMalformedOwner(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            for (String owner : new String[] {"", "-east", "east west", "east;drop", "x".repeat(129)}) {
                assertThrows(IllegalArgumentException.class, () -> new DeploymentStore(db, owner), owner);
            }
        }
    }
}
