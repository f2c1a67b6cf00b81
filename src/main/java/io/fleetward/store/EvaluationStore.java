package io.fleetward.store;

import static io.fleetward.store.JdbcValues.setInstant;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.SavedEvaluations;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Exact mode's evaluated desired paths, one row per (revision, target), kept across restarts. */
public final class EvaluationStore implements SavedEvaluations {
    /**
     * Saving a (revision, target) again keeps the row on PostgreSQL and rewrites it on H2 (its MERGE
     * has no "do nothing"); either way the path is the same, as an evaluation is deterministic.
     */
    private static final String POSTGRESQL_INSERT = "INSERT INTO evaluated_path (revision, target, path, evaluated_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (revision, target) DO NOTHING";
    private static final String H2_INSERT = "MERGE INTO evaluated_path (revision, target, path, evaluated_at)"
            + " KEY (revision, target) VALUES (?, ?, ?, ?)";

    private final Database db;
    private final String insert;

    public EvaluationStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.insert = db.backend() == Backend.POSTGRESQL ? POSTGRESQL_INSERT : H2_INSERT;
    }

    @Override
    public Optional<String> find(String revision, TargetId target) {
        return db.withConnection("loading the evaluated path of " + target, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT path FROM evaluated_path WHERE revision = ? AND target = ?")) {
                select.setString(1, revision);
                select.setString(2, target.toString());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString("path")) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(String revision, TargetId target, String path, Instant at) {
        Objects.requireNonNull(path, "path");
        db.withConnection("saving the evaluated path of " + target, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                statement.setString(1, revision);
                statement.setString(2, target.toString());
                statement.setString(3, path);
                setInstant(statement, 4, at);
                return statement.executeUpdate();
            }
        });
    }
}
