package io.fleetward.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FleetControlStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456Z");

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void anUnsetControlIsAbsent(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            assertEquals(Optional.empty(), new FleetControlStore(db).find(FleetControlStore.PAUSED));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void theLastSavedValueWins(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            FleetControlStore store = new FleetControlStore(db);
            store.save(new FleetControlStore.Control(FleetControlStore.PAUSED, true, "freeze for the release", T0));
            FleetControlStore.Control resumed = new FleetControlStore.Control(FleetControlStore.PAUSED, false, null,
                    T0.plusSeconds(60));
            store.save(resumed);

            assertEquals(Optional.of(resumed), store.find(FleetControlStore.PAUSED));
        }
    }
}
