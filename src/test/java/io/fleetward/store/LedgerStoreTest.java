package io.fleetward.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fleetward.fleet.TargetId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class LedgerStoreTest {

    private static final TargetId ALPHA = TargetId.system("alpha");
    private static final TargetId ALICE = TargetId.home("alice", "alpha");
    private static final String P1 = "/nix/store/1111-nixos-system-alpha";
    private static final String P2 = "/nix/store/2222-nixos-system-alpha";
    private static final Instant T0 = Instant.parse("2025-05-01T10:15:30Z");

    @TempDir
    Path scratch;

    /** What {@link #recordHistory} leaves: a question and the answer. */
    private record Question(String name, TargetId target, String path, Optional<String> revision) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Question> QUESTIONS = List.of(
            new Question("path recorded twice gives the newer revision", ALPHA, P1, Optional.of("rev3")),
            new Question("path recorded once", ALPHA, P2, Optional.of("rev2")),
            new Question("same path under another target", ALICE, P1, Optional.empty()),
            new Question("path of the other target", ALICE, P2, Optional.of("rev9")),
            new Question("path never recorded", ALPHA, "/nix/store/3333-hand-built", Optional.empty()));

    /** rev3 left alpha where rev1 had (a change that did not alter the build). */
    private static void recordHistory(LedgerStore ledger) {
        ledger.record(ALPHA, "rev1", P1, T0);
        ledger.record(ALPHA, "rev2", P2, T0.plusSeconds(60));
        ledger.record(ALPHA, "rev3", P1, T0.plusSeconds(120));
        ledger.record(ALICE, "rev9", P2, T0.plusSeconds(180));
    }

    static Stream<Arguments> questions() {
        return Arrays.stream(Engine.values()).flatMap(engine -> QUESTIONS.stream().map(q -> arguments(engine, q)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("questions")
    void answersTheNewestRevisionRecordedWithAPath(Engine engine, Question question) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            LedgerStore ledger = new LedgerStore(db);
            recordHistory(ledger);

            assertEquals(question.revision(), ledger.revisionOfPath(question.target(), question.path()));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("questions")
    void aRestartedLedgerGivesTheSameAnswers(Engine engine, Question question) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        try (Database db = location.open()) {
            recordHistory(new LedgerStore(db));
        }
        try (Database db = location.open()) {
            assertEquals(question.revision(), new LedgerStore(db).revisionOfPath(question.target(), question.path()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aLongLedgerIsLoadedWhole(Engine engine) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        int entries = 2500; // more than one fetch of rows while loading
        try (Database db = location.open()) {
            LedgerStore ledger = new LedgerStore(db);
            for (int i = 0; i < entries; i++) {
                ledger.record(ALPHA, "rev" + i, "/nix/store/" + i + "-system", T0.plusSeconds(i));
            }
        }
        try (Database db = location.open()) {
            LedgerStore ledger = new LedgerStore(db);
            db.close(); // every answer below must come from memory
            for (int i = 0; i < entries; i++) {
                assertEquals(Optional.of("rev" + i), ledger.revisionOfPath(ALPHA, "/nix/store/" + i + "-system"));
            }
        }
    }

    @Test
    void anEmbeddedLedgerAnswersEverythingFromMemory() {
        try (Database db = Engine.H2.freshDatabase(scratch).open()) {
            LedgerStore ledger = new LedgerStore(db);
            recordHistory(ledger);
            db.close();

            for (Question question : QUESTIONS) {
                assertEquals(question.revision(), ledger.revisionOfPath(question.target(), question.path()),
                        question.name());
            }
        }
    }

    @Test
    void aSharedLedgerFindsWhatAnotherInstanceRecordedLater() {
        DatabaseLocation location = Engine.POSTGRESQL.freshDatabase(scratch);
        try (Database first = location.open(); Database second = location.open()) {
            LedgerStore mine = new LedgerStore(first);
            LedgerStore theirs = new LedgerStore(second);
            theirs.record(ALPHA, "rev7", P1, T0);

            assertEquals(Optional.of("rev7"), mine.revisionOfPath(ALPHA, P1));
            assertEquals(Optional.empty(), mine.revisionOfPath(ALPHA, P2));
        }
    }
}
