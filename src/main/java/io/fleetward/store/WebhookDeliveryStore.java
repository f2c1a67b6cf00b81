package io.fleetward.store;

import static io.fleetward.store.JdbcValues.setInstant;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * Webhook deliveries already handled, keyed by provider and delivery id, so a redelivery is
 * recognised across restarts. Old rows are pruned by age.
 */
public final class WebhookDeliveryStore {

    /** SQLSTATE of a unique or primary key violation; H2 and PostgreSQL both report it. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database db;

    public WebhookDeliveryStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Records a delivery.
     *
     * @return true if the delivery was new, false if it had been remembered before
     */
    public boolean remember(String provider, String deliveryId, Instant at) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(at, "at");
        // A plain INSERT is the one statement both engines treat alike: the primary key decides, so two
        // concurrent redeliveries cannot both count as new. In auto-commit mode a failed insert leaves no
        // aborted transaction behind, on PostgreSQL either.
        return db.withConnection("remembering a " + provider + " webhook delivery", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO webhook_delivery (provider, delivery_id, received_at) VALUES (?, ?, ?)")) {
                insert.setString(1, provider);
                insert.setString(2, deliveryId);
                setInstant(insert, 3, at);
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * Forgets deliveries received before {@code olderThan}.
     *
     * @return how many were forgotten
     */
    public int prune(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        return db.withConnection("pruning webhook deliveries", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM webhook_delivery WHERE received_at < ?")) {
                setInstant(delete, 1, olderThan);
                return delete.executeUpdate();
            }
        });
    }
}
