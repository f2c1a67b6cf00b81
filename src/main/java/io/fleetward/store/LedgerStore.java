package io.fleetward.store;

import static io.fleetward.store.JdbcValues.setInstant;

import io.fleetward.drift.Ledger;
import io.fleetward.execute.LedgerWriter;
import io.fleetward.fleet.TargetId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The ledger, kept in the database and answered from memory: drift asks it about every target on
 * every reconcile, so the whole (target, path) -> newest revision map is loaded once and written
 * through on {@link #record}.
 *
 * <p>On PostgreSQL other fleetward instances may share the database, so a path that is not in memory
 * is looked up in the database (and remembered when found) before the answer is "never deployed".
 * An embedded H2 database has only this process as its writer, so its misses need no look-up.
 */
public final class LedgerStore implements Ledger, LedgerWriter {

    private static final Logger LOG = Logger.getLogger(LedgerStore.class);
    /** Rows read per round trip while loading; lets PostgreSQL stream a long ledger. */
    private static final int LOAD_FETCH_SIZE = 1000;

    private record Key(String target, String path) {
    }

    private final Database db;
    private final boolean shared;
    private final Map<Key, String> newestRevision = new ConcurrentHashMap<>();

    /** Loads the whole ledger into memory. */
    public LedgerStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.shared = db.backend() == Backend.POSTGRESQL;
        load();
    }

    /** Records that deploying {@code revision} left {@code target} at {@code path}. */
    @Override
    public synchronized void record(TargetId target, String revision, String path, Instant at) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(at, "at");
        db.withConnection("recording revision " + revision + " of " + target + " in the ledger", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO ledger_entry (target, host, kind, revision, path, recorded_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, target.toString());
                insert.setString(2, target.host());
                insert.setString(3, target.kind().label());
                insert.setString(4, revision);
                insert.setString(5, path);
                setInstant(insert, 6, at);
                return insert.executeUpdate();
            }
        });
        // After the insert succeeded, so memory never claims what the database does not hold.
        newestRevision.put(new Key(target.toString(), path), revision);
    }

    /** The newest revision recorded with {@code path} for {@code target}; from memory when known. */
    @Override
    public Optional<String> revisionOfPath(TargetId target, String path) {
        Key key = new Key(target.toString(), path);
        String revision = newestRevision.get(key);
        if (revision != null || !shared) {
            return Optional.ofNullable(revision);
        }
        Optional<String> stored = newestInDatabase(key);
        stored.ifPresent(found -> newestRevision.putIfAbsent(key, found));
        return stored;
    }

    private Optional<String> newestInDatabase(Key key) {
        return db.withConnection("looking up the ledger of " + key.target(), connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT revision FROM ledger_entry WHERE target = ? AND path = ? ORDER BY id DESC LIMIT 1")) {
                select.setString(1, key.target());
                select.setString(2, key.path());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString("revision")) : Optional.empty();
                }
            }
        });
    }

    /** Every revision a ledger entry names: the source keeps these commits when it repacks. */
    public java.util.Set<String> revisions() {
        return db.withConnection("reading the ledger's revisions", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT DISTINCT revision FROM ledger_entry")) {
                java.util.Set<String> revisions = new java.util.HashSet<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        revisions.add(row.getString(1));
                    }
                }
                return revisions;
            }
        });
    }

    private void load() {
        // In id order, so a later entry for the same (target, path) replaces an earlier one.
        int entries = db.inTransaction("loading the ledger", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT target, path, revision FROM ledger_entry ORDER BY id")) {
                select.setFetchSize(LOAD_FETCH_SIZE);
                int count = 0;
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        newestRevision.put(new Key(row.getString("target"), row.getString("path")),
                                row.getString("revision"));
                        count++;
                    }
                }
                return count;
            }
        });
        LOG.infof("Loaded the ledger: %d entries, %d distinct (target, path) pairs", entries, newestRevision.size());
    }
}
