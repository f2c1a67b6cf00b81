package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.store.Database;
import io.fleetward.store.WebhookDeliveryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredDeliveriesTest {

    private static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    Path dir;

    private Database open() {
        return new Database(Database.defaultUrl(dir), Optional.empty(), Optional.empty(), 2);
    }

    @Test
    void remembersDeliveriesPerProvider() {
        try (Database db = open()) {
            StoredDeliveries deliveries = new StoredDeliveries(new WebhookDeliveryStore(db), RETENTION,
                    Clock.fixed(T0, ZoneOffset.UTC));

            assertThat(deliveries.firstSeen(Provider.GITHUB, "a")).isTrue();
            assertThat(deliveries.firstSeen(Provider.GITHUB, "a")).isFalse();
            assertThat(deliveries.firstSeen(Provider.GITLAB, "a")).isTrue();
        }
    }

    @Test
    void forgetsDeliveriesOlderThanTheRetentionAtStartAndDaily() {
        try (Database db = open()) {
            WebhookDeliveryStore store = new WebhookDeliveryStore(db);
            store.remember("github", "ancient", T0.minus(RETENTION).minusSeconds(1));
            store.remember("github", "recent", T0.minus(RETENTION).plusSeconds(3600));
            MutableClock clock = new MutableClock(T0);

            StoredDeliveries deliveries = new StoredDeliveries(store, RETENTION, clock);

            assertThat(deliveries.firstSeen(Provider.GITHUB, "ancient")).as("pruned at start").isTrue();
            clock.now = T0.plus(Duration.ofHours(2));
            assertThat(deliveries.firstSeen(Provider.GITHUB, "recent")).as("not pruned within a day").isFalse();
            clock.now = T0.plus(Duration.ofDays(1));
            assertThat(deliveries.firstSeen(Provider.GITHUB, "recent")).as("pruned a day later").isTrue();
        }
    }

    @Test
    void aFailingDatabaseCountsTheDeliveryAsNew() {
        Database db = open();
        StoredDeliveries deliveries = new StoredDeliveries(new WebhookDeliveryStore(db), RETENTION,
                Clock.fixed(T0, ZoneOffset.UTC));
        deliveries.firstSeen(Provider.GITHUB, "a");
        db.close();

        assertThat(deliveries.firstSeen(Provider.GITHUB, "a")).isTrue();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
