package io.fleetward.store;

import static io.fleetward.store.JdbcValues.instant;
import static io.fleetward.store.JdbcValues.setInstant;
import static io.fleetward.store.JdbcValues.setText;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.SavedStatuses;
import io.fleetward.reconcile.TargetState;
import io.fleetward.reconcile.TargetStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The last known status of each target, one row per target, so a restart starts from it. */
public final class StatusStore implements SavedStatuses {

    private static final String COLUMNS = "target, host, kind, status, reason, desired_revision, deployed_revision,"
            + " current_store_path, booted_store_path, last_probe_at, suspended, updated_at";
    private static final String PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
    /**
     * The engines share no upsert: PostgreSQL's MERGE can fail on a concurrent insert, so it gets
     * ON CONFLICT; H2 has its own MERGE ... KEY. Both take the columns in {@link #COLUMNS} order.
     */
    private static final String POSTGRESQL_UPSERT = "INSERT INTO target_status (" + COLUMNS + ") VALUES ("
            + PLACEHOLDERS + ") ON CONFLICT (target) DO UPDATE SET host = EXCLUDED.host, kind = EXCLUDED.kind,"
            + " status = EXCLUDED.status, reason = EXCLUDED.reason, desired_revision = EXCLUDED.desired_revision,"
            + " deployed_revision = EXCLUDED.deployed_revision, current_store_path = EXCLUDED.current_store_path,"
            + " booted_store_path = EXCLUDED.booted_store_path, last_probe_at = EXCLUDED.last_probe_at,"
            + " suspended = EXCLUDED.suspended, updated_at = EXCLUDED.updated_at";
    private static final String H2_UPSERT = "MERGE INTO target_status (" + COLUMNS + ") KEY (target) VALUES ("
            + PLACEHOLDERS + ")";

    private final Database db;
    private final String upsert;

    public StatusStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.upsert = db.backend() == Backend.POSTGRESQL ? POSTGRESQL_UPSERT : H2_UPSERT;
    }

    /** Inserts or replaces the status of {@code state.target()}. */
    public void save(TargetState state) {
        Objects.requireNonNull(state, "state");
        db.withConnection("saving the status of " + state.target(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsert)) {
                bind(statement, state);
                return statement.executeUpdate();
            }
        });
    }

    /** Inserts or replaces every status in one transaction: all are saved or none. */
    @Override
    public void saveAll(Collection<TargetState> states) {
        Objects.requireNonNull(states, "states");
        if (states.isEmpty()) {
            return;
        }
        db.inTransaction("saving the status of " + states.size() + " targets", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(upsert)) {
                for (TargetState state : states) {
                    bind(statement, state);
                    statement.addBatch();
                }
                return statement.executeBatch();
            }
        });
    }

    /** Every stored status, ordered by target id. */
    @Override
    public List<TargetState> loadAll() {
        return db.withConnection("loading target statuses", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM target_status ORDER BY target");
                    ResultSet row = select.executeQuery()) {
                List<TargetState> states = new ArrayList<>();
                while (row.next()) {
                    states.add(read(row));
                }
                return states;
            }
        });
    }

    /** Forgets {@code target} (it left the inventory); nothing happens if it was not stored. */
    @Override
    public void delete(TargetId target) {
        Objects.requireNonNull(target, "target");
        db.withConnection("deleting the status of " + target, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM target_status WHERE target = ?")) {
                delete.setString(1, target.toString());
                return delete.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement statement, TargetState state) throws SQLException {
        statement.setString(1, state.target().toString());
        statement.setString(2, state.target().host());
        statement.setString(3, state.target().kind().label());
        statement.setString(4, state.status().name());
        setText(statement, 5, state.reason());
        statement.setString(6, state.desiredRevision());
        statement.setString(7, state.deployedRevision());
        statement.setString(8, state.currentPath());
        statement.setString(9, state.bootedPath());
        setInstant(statement, 10, state.lastProbeAt());
        statement.setBoolean(11, state.suspended());
        setInstant(statement, 12, state.updatedAt());
    }

    private static TargetState read(ResultSet row) throws SQLException {
        return new TargetState(
                TargetId.parse(row.getString("target")),
                TargetStatus.valueOf(row.getString("status")),
                row.getString("reason"),
                row.getString("desired_revision"),
                row.getString("deployed_revision"),
                row.getString("current_store_path"),
                row.getString("booted_store_path"),
                instant(row, "last_probe_at"),
                row.getBoolean("suspended"),
                instant(row, "updated_at"));
    }
}
