package io.fleetward.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.TargetState;
import io.fleetward.reconcile.TargetStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusStoreTest {

    private static final TargetId ALPHA = TargetId.system("alpha");
    private static final TargetId ALICE = TargetId.home("alice", "alpha");
    private static final Instant T0 = Instant.parse("2025-05-01T10:15:30.123456Z");

    @TempDir
    Path scratch;

    private static TargetState drifted(TargetId target, Instant at) {
        return new TargetState(target, TargetStatus.DRIFTED, "2 relevant paths changed", "rev2", "rev1",
                "/nix/store/1111-system", "/nix/store/0000-system", at.minusSeconds(5), false, at);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aSavedStateIsLoadedAsSaved(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            StatusStore store = new StatusStore(db);
            TargetState unknown = new TargetState(ALICE, TargetStatus.UNKNOWN, null, null, null, null, null, null,
                    true, T0);
            store.save(drifted(ALPHA, T0));
            store.save(unknown);

            assertEquals(List.of(unknown, drifted(ALPHA, T0)), store.loadAll());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void savingATargetAgainReplacesItsState(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            StatusStore store = new StatusStore(db);
            store.save(drifted(ALPHA, T0));
            TargetState inSync = new TargetState(ALPHA, TargetStatus.IN_SYNC, "deployed", "rev2", "rev2",
                    "/nix/store/2222-system", "/nix/store/0000-system", T0.plusSeconds(60), false, T0.plusSeconds(61));
            store.save(inSync);

            assertEquals(List.of(inSync), store.loadAll());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void saveAllInsertsAndReplacesManyAtOnce(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            StatusStore store = new StatusStore(db);
            store.save(drifted(TargetId.system("host-07"), T0));
            List<TargetState> states = IntStream.range(0, 60)
                    .mapToObj(i -> drifted(TargetId.system(String.format("host-%02d", i)), T0.plusSeconds(i)))
                    .toList();

            store.saveAll(states);

            List<TargetState> expected = states.stream()
                    .sorted(Comparator.comparing(TargetState::target)).toList();
            assertEquals(expected, store.loadAll());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void deleteForgetsOnlyThatTarget(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            StatusStore store = new StatusStore(db);
            store.saveAll(List.of(drifted(ALPHA, T0), drifted(ALICE, T0)));

            store.delete(ALPHA);
            store.delete(TargetId.system("never-saved"));

            assertEquals(List.of(drifted(ALICE, T0)), store.loadAll());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void statesSurviveARestart(Engine engine) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        try (Database db = location.open()) {
            new StatusStore(db).saveAll(List.of(drifted(ALPHA, T0), drifted(ALICE, T0)));
        }
        try (Database db = location.open()) {
            assertEquals(List.of(drifted(ALICE, T0), drifted(ALPHA, T0)), new StatusStore(db).loadAll());
        }
    }
}
