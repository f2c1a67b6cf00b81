package io.fleetward.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bound on open streams: a place is taken when a page asks and given back when its stream ends. */
class LiveUpdatesTest {

    @Test
    void atMostMaxStreamsPagesFollowAndALeavingPageFreesItsPlace() {
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        DashboardMetrics metrics = new DashboardMetrics() {
            @Override
            public void dashboardStreams(int now) {
                open.set(now);
            }

            @Override
            public void dashboardStreamRefused() {
                refused.incrementAndGet();
            }
        };
        // No loop: these streams are cancelled before a tick could read one.
        try (LiveUpdates live = new LiveUpdates(null, null, new ObjectMapper(), metrics, false, 2)) {
            Optional<Multi<LiveEvent>> first = live.open(LiveUpdates.Page.PLAN, null, null, 0);
            Optional<Multi<LiveEvent>> second = live.open(LiveUpdates.Page.PLAN, null, null, 0);
            assertThat(first).isPresent();
            assertThat(second).isPresent();
            assertThat(live.open(LiveUpdates.Page.FLEET, null, null, 0)).isEmpty();
            assertThat(refused).hasValue(1);
            assertThat(live.open()).isEqualTo(2);

            Cancellable subscription = first.get().subscribe().with(event -> { });
            assertThat(open).hasValue(2);
            subscription.cancel();
            assertThat(live.open()).isEqualTo(1);
            assertThat(open).hasValue(1);
            assertThat(live.open(LiveUpdates.Page.FLEET, null, null, 0)).isPresent();
            assertThat(refused).hasValue(1);
        }
    }

    @Test
    void aStreamNobodySubscribesToGivesItsPlaceBack() {
        try (LiveUpdates live = new LiveUpdates(null, null, new ObjectMapper(), DashboardMetrics.NOOP, false, 1)) {
            Optional<Multi<LiveEvent>> abandoned = live.open(LiveUpdates.Page.PLAN, null, null, 0);
            assertThat(abandoned).isPresent();
            assertThat(live.open(LiveUpdates.Page.PLAN, null, null, 0)).isEmpty();
            org.awaitility.Awaitility.await().atMost(LiveUpdates.UNSUBSCRIBED_RELEASE.plusSeconds(5))
                    .until(() -> live.open() == 0);
            // Subscribing too late gets an empty stream, not a place.
            assertThat(abandoned.get().collect().asList().await().indefinitely()).isEmpty();
            assertThat(live.open()).isZero();
        }
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new LiveUpdates(null, null, new ObjectMapper(), DashboardMetrics.NOOP, false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetward.ui.max-streams");
    }
}
