package io.fleetward.webhook;

import io.fleetward.store.StoreException;
import io.fleetward.store.WebhookDeliveryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Deliveries kept in the database for the retention period, so redeliveries are recognised across
 * restarts. Pruned when created and then at most once a day, on the next delivery.
 */
public final class StoredDeliveries implements Deliveries {

    private static final Logger LOG = Logger.getLogger(StoredDeliveries.class);
    private static final Duration PRUNE_EVERY = Duration.ofDays(1);

    private final WebhookDeliveryStore store;
    private final Duration retention;
    private final Clock clock;
    /** Guarded by {@code this}. */
    private Instant nextPruneAt;

    public StoredDeliveries(WebhookDeliveryStore store, Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        this.store = Objects.requireNonNull(store, "store");
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
        Instant now = clock.instant();
        this.nextPruneAt = now.plus(PRUNE_EVERY);
        prune(now);
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the database fails, the delivery counts as new: a repeated nudge costs one no-op
     * fetch, a lost push costs a whole poll interval.
     */
    @Override
    public boolean firstSeen(Provider provider, String deliveryId) {
        Instant now = clock.instant();
        try {
            if (claimPrune(now)) {
                prune(now);
            }
            return store.remember(provider.id(), deliveryId, now);
        } catch (StoreException e) {
            LOG.warnf("webhook %s: cannot check delivery %s for a redelivery, handling it as new: %s",
                    provider.id(), deliveryId, e.getMessage());
            return true;
        }
    }

    private void prune(Instant now) {
        int pruned = store.prune(now.minus(retention));
        LOG.debugf("webhook: forgot %d deliveries older than %s", pruned, retention);
    }

    /** Whether a prune is due; if so, the caller does it and the next is due a day later. */
    private synchronized boolean claimPrune(Instant now) {
        if (now.isBefore(nextPruneAt)) {
            return false;
        }
        nextPruneAt = now.plus(PRUNE_EVERY);
        return true;
    }
}
