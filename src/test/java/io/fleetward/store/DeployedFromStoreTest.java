package io.fleetward.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetward.reconcile.DeployedFrom;
import io.fleetward.source.VerifyMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeployedFromStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:15:30.123456Z");
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void nothingIsSavedBeforeTheFirstRevision(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            assertEquals(Optional.empty(), new DeployedFromStore(db).load());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void theNewestSavedRevisionSurvivesReopeningTheDatabase(Engine engine) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        DeployedFrom later = new DeployedFrom(B, VerifyMode.ALL, "accepted by the API token sha256:5f0c1a2b", T0.plusSeconds(60));
        try (Database db = location.open()) {
            DeployedFromStore store = new DeployedFromStore(db);
            store.save(new DeployedFrom(A, VerifyMode.NONE, "first revision", T0));
            store.save(later);
        }
        try (Database db = location.open()) {
            assertEquals(Optional.of(later), new DeployedFromStore(db).load());
        }
    }
}
