package io.fleetward.store;

import static io.fleetward.store.JdbcValues.instant;
import static io.fleetward.store.JdbcValues.setInstant;
import static io.fleetward.store.JdbcValues.setText;

import io.fleetward.reconcile.FleetControl;
import io.fleetward.reconcile.PauseSwitch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fleet-wide switches that outlive a restart, such as "paused". */
public final class FleetControlStore implements PauseSwitch {
    /** The switch that stops automatic deployments fleet-wide. */
    public static final String PAUSED = "paused";

    private static final String POSTGRESQL_UPSERT = "INSERT INTO fleet_control (name, enabled, reason, updated_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled,"
            + " reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at";
    private static final String H2_UPSERT = "MERGE INTO fleet_control (name, enabled, reason, updated_at) KEY (name)"
            + " VALUES (?, ?, ?, ?)";

    /** One switch: whether it is on, why, and since when. */
    public record Control(String name, boolean enabled, String reason, Instant updatedAt) {
    }

    private final Database db;
    private final String upsert;

    public FleetControlStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.upsert = db.backend() == Backend.POSTGRESQL ? POSTGRESQL_UPSERT : H2_UPSERT;
    }

    public void save(Control control) {
        db.withConnection("saving fleet control " + control.name(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsert)) {
                statement.setString(1, control.name());
                statement.setBoolean(2, control.enabled());
                setText(statement, 3, control.reason());
                setInstant(statement, 4, control.updatedAt());
                return statement.executeUpdate();
            }
        });
    }

    /** The {@link #PAUSED} switch as last saved. */
    @Override
    public Optional<FleetControl> loadPause() {
        return find(PAUSED).map(c -> new FleetControl(c.enabled(), c.reason(), c.updatedAt()));
    }

    /** Saves the {@link #PAUSED} switch. */
    @Override
    public void savePause(FleetControl control) {
        save(new Control(PAUSED, control.paused(), control.reason(), control.since()));
    }

    public Optional<Control> find(String name) {
        return db.withConnection("loading fleet control " + name, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name, enabled, reason, updated_at FROM fleet_control WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(new Control(row.getString("name"), row.getBoolean("enabled"),
                            row.getString("reason"), instant(row, "updated_at"))) : Optional.empty();
                }
            }
        });
    }
}
