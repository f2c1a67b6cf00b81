package io.fleetward.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookDeliveryStoreTest {

    private static final Instant T0 = Instant.parse("2025-05-01T10:15:30Z");
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void aDeliveryIsNewOnceAndADuplicateAfterwards(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            WebhookDeliveryStore store = new WebhookDeliveryStore(db);

            assertThat(store.remember("github", DELIVERY, T0)).isTrue();
            assertThat(store.remember("github", DELIVERY, T0.plusSeconds(5))).isFalse();
            // The same id from another provider is another delivery.
            assertThat(store.remember("gitea", DELIVERY, T0)).isTrue();
            // The store stays usable after a refused insert (PostgreSQL must not be left in an aborted transaction).
            assertThat(store.remember("github", "another", T0)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void deliveriesSurviveARestart(Engine engine) {
        DatabaseLocation location = engine.freshDatabase(scratch);
        try (Database db = location.open()) {
            new WebhookDeliveryStore(db).remember("gitlab", DELIVERY, T0);
        }
        try (Database db = location.open()) {
            assertThat(new WebhookDeliveryStore(db).remember("gitlab", DELIVERY, T0)).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void pruneForgetsOnlyOlderDeliveries(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            WebhookDeliveryStore store = new WebhookDeliveryStore(db);
            store.remember("github", "old-1", T0.minusSeconds(3600));
            store.remember("github", "old-2", T0.minusSeconds(1));
            store.remember("github", "at-cutoff", T0);
            store.remember("github", "new", T0.plusSeconds(60));

            assertThat(store.prune(T0)).isEqualTo(2);

            assertThat(store.remember("github", "old-1", T0)).isTrue();
            assertThat(store.remember("github", "at-cutoff", T0)).isFalse();
            assertThat(store.remember("github", "new", T0)).isFalse();
            assertThat(store.prune(T0.minusSeconds(7200))).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void concurrentRedeliveriesCountAsNewExactlyOnce(Engine engine) throws InterruptedException, ExecutionException {
        try (Database db = engine.freshDatabase(scratch).open()) {
            WebhookDeliveryStore store = new WebhookDeliveryStore(db);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Boolean>> attempts = IntStream.range(0, 16)
                        .<Callable<Boolean>>mapToObj(i -> () -> store.remember("github", DELIVERY, T0)).toList();
                long fresh = 0;
                for (Future<Boolean> attempt : threads.invokeAll(attempts)) {
                    fresh += attempt.get() ? 1 : 0;
                }
                assertThat(fresh).isEqualTo(1);
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
