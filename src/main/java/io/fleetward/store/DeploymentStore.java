package io.fleetward.store;

import static io.fleetward.store.JdbcValues.instant;
import static io.fleetward.store.JdbcValues.integer;
import static io.fleetward.store.JdbcValues.setInstant;
import static io.fleetward.store.JdbcValues.setInteger;
import static io.fleetward.store.JdbcValues.setText;

import io.fleetward.execute.DeploymentJournal;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.UnfinishedDeployments;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The deployment history: one row per run of a deploy command, newest first when listed. */
public final class DeploymentStore implements DeploymentJournal, UnfinishedDeployments {

    private static final String COLUMNS = "id, target, revision, triggered_by, started_at, ended_at, outcome,"
            + " exit_code, reason, log_file, log_tail";

    /** The owner of a store made without one: a single daemon that shares its database with no other. */
    public static final String SOLE_OWNER = "fleetward";

    private final Database db;
    private final String owner;

    /** A store for a daemon that shares {@code db} with no other (owner {@value #SOLE_OWNER}). */
    public DeploymentStore(Database db) {
        this(db, SOLE_OWNER);
    }

    /**
     * @param owner this daemon's instance id ({@link InstanceId}): the deployments it begins carry it,
     *              and only its own (and ownerless rows from before owners existed) are running to it
     */
    public DeploymentStore(Database db, String owner) {
        this.db = Objects.requireNonNull(db, "db");
        if (!InstanceId.isValid(owner)) {
            throw new IllegalArgumentException("malformed instance id");
        }
        this.owner = owner;
    }

    /** This daemon's instance id, which its deployments carry. */
    public String owner() {
        return owner;
    }

    /** Records a deployment that starts now, as {@link DeploymentOutcome#RUNNING}, and returns its id. */
    @Override
    public long begin(TargetId target, String revision, String trigger, Instant startedAt, String logFile) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        return db.withConnection("recording the start of a deployment of " + target, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO deployment (target, host, kind, revision, triggered_by, started_at, outcome, log_file,"
                            + " owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, target.toString());
                insert.setString(2, target.host());
                insert.setString(3, target.kind().label());
                insert.setString(4, revision);
                insert.setString(5, trigger);
                setInstant(insert, 6, startedAt);
                insert.setString(7, DeploymentOutcome.RUNNING.name());
                insert.setString(8, logFile);
                insert.setString(9, owner);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned no id for the new deployment");
                    }
                    return keys.getLong("id");
                }
            }
        });
    }

    /**
     * Sets the log file of deployment {@code id}, for callers that name the file after the id.
     *
     * @throws StoreException if there is no deployment {@code id}
     */
    @Override
    public void attachLog(long id, String logFile) {
        Objects.requireNonNull(logFile, "logFile");
        update(id, "attaching log " + logFile + " to deployment " + id, "UPDATE deployment SET log_file = ? WHERE id = ?",
                update -> update.setString(1, logFile));
    }

    /**
     * Records the process group deployment {@code id}'s command leads on the controller.
     *
     * @throws IllegalArgumentException if {@code processGroup} is not above 1 (0, 1 and negative ids name no one group)
     * @throws StoreException if there is no deployment {@code id}
     */
    @Override
    public void attachProcessGroup(long id, long processGroup) {
        if (processGroup <= 1) {
            throw new IllegalArgumentException("not a process group id: " + processGroup);
        }
        update(id, "recording process group " + processGroup + " of deployment " + id,
                "UPDATE deployment SET process_group = ? WHERE id = ?", update -> update.setLong(1, processGroup));
    }

    /**
     * Records how deployment {@code id} ended.
     *
     * @throws IllegalArgumentException if {@code outcome} is {@link DeploymentOutcome#RUNNING}
     * @throws StoreException if there is no deployment {@code id}
     */
    @Override
    public void finish(long id, DeploymentOutcome outcome, Integer exitCode, String reason, String logTail,
            Instant endedAt) {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(endedAt, "endedAt");
        if (outcome == DeploymentOutcome.RUNNING) {
            throw new IllegalArgumentException("a finished deployment cannot be RUNNING");
        }
        update(id, "recording the end of deployment " + id,
                "UPDATE deployment SET outcome = ?, exit_code = ?, reason = ?, log_tail = ?, ended_at = ? WHERE id = ?",
                update -> {
                    update.setString(1, outcome.name());
                    setInteger(update, 2, exitCode);
                    setText(update, 3, reason);
                    setText(update, 4, logTail);
                    setInstant(update, 5, endedAt);
                });
    }

    public Optional<DeploymentRecord> find(long id) {
        return db.withConnection("reading deployment " + id, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM deployment WHERE id = ?")) {
                select.setLong(1, id);
                return read(select).stream().findFirst();
            }
        });
    }

    /** At most {@code limit} deployments, of {@code target} if given, newest first. */
    public List<DeploymentRecord> list(Optional<TargetId> target, int limit) {
        Objects.requireNonNull(target, "target");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        String where = target.isPresent() ? " WHERE target = ?" : "";
        return db.withConnection("listing deployments", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM deployment" + where + " ORDER BY id DESC LIMIT ?")) {
                int index = 1;
                if (target.isPresent()) {
                    select.setString(index++, target.get().toString());
                }
                select.setInt(index, limit);
                return read(select);
            }
        });
    }

    /**
     * Every {@link DeploymentOutcome#RUNNING} deployment of this daemon (its owner, or no owner: rows
     * written before owners existed), in id order, with its process group. Meant for start-up: a
     * deployment of ours still RUNNING then was cut off by a crash or a kill; another daemon's running
     * deployment is that daemon's business.
     */
    @Override
    public List<Unfinished> running() {
        return db.withConnection("reading the running deployments", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, target, process_group FROM deployment WHERE outcome = ? AND (owner = ? OR owner IS NULL)"
                            + " ORDER BY id")) {
                select.setString(1, DeploymentOutcome.RUNNING.name());
                select.setString(2, owner);
                List<Unfinished> running = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        long group = row.getLong("process_group");
                        Long processGroup = row.wasNull() ? null : group; // wasNull: of the column read last
                        running.add(new Unfinished(row.getLong("id"), TargetId.parse(row.getString("target")),
                                processGroup));
                    }
                }
                return running;
            }
        });
    }

    /** The targets whose latest deployment ended ROLLED_BACK (read once at start-up). */
    @Override
    public List<RolledBack> rolledBack() {
        return db.withConnection("reading the rolled back deployments", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT d.target, d.revision, d.reason FROM deployment d WHERE d.outcome = ? AND d.id = "
                            + "(SELECT MAX(l.id) FROM deployment l WHERE l.target = d.target) ORDER BY d.id")) {
                select.setString(1, DeploymentOutcome.ROLLED_BACK.name());
                List<RolledBack> rolled = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rolled.add(new RolledBack(TargetId.parse(row.getString("target")), row.getString("revision"),
                                row.getString("reason")));
                    }
                }
                return rolled;
            }
        });
    }

    /**
     * Marks deployment {@code id} {@link DeploymentOutcome#INTERRUPTED} with {@code reason}, ended
     * {@code at}, if it is still {@link DeploymentOutcome#RUNNING} and this daemon's (see
     * {@link #running()}); returns whether it was.
     */
    @Override
    public boolean interrupt(long id, String reason, Instant at) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        return db.withConnection("marking deployment " + id + " interrupted", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE deployment SET outcome = ?, reason = ?, ended_at = ? WHERE id = ? AND outcome = ?"
                            + " AND (owner = ? OR owner IS NULL)")) {
                update.setString(1, DeploymentOutcome.INTERRUPTED.name());
                setText(update, 2, reason);
                setInstant(update, 3, at);
                update.setLong(4, id);
                update.setString(5, DeploymentOutcome.RUNNING.name());
                update.setString(6, owner);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Binds all parameters of an update but the last, which is the deployment id. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement update) throws SQLException;
    }

    /** Runs an {@code UPDATE ... WHERE id = ?} of one deployment; it must exist. */
    private void update(long id, String what, String sql, Binder binder) {
        // The id is the last parameter; these statements hold no '?' other than parameters.
        int idParameter = (int) sql.chars().filter(c -> c == '?').count();
        int updated = db.withConnection(what, connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                binder.bind(update);
                update.setLong(idParameter, id);
                return update.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new StoreException(what + " failed: there is no such deployment");
        }
    }

    private static List<DeploymentRecord> read(PreparedStatement select) throws SQLException {
        List<DeploymentRecord> records = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                records.add(new DeploymentRecord(
                        row.getLong("id"),
                        TargetId.parse(row.getString("target")),
                        row.getString("revision"),
                        row.getString("triggered_by"),
                        instant(row, "started_at"),
                        instant(row, "ended_at"),
                        DeploymentOutcome.valueOf(row.getString("outcome")),
                        integer(row, "exit_code"),
                        row.getString("reason"),
                        row.getString("log_file"),
                        row.getString("log_tail")));
            }
        }
        return records;
    }
}
