package io.fleetward.store;

import static io.fleetward.store.JdbcValues.instant;
import static io.fleetward.store.JdbcValues.setInstant;

import io.fleetward.reconcile.DeployedFrom;
import io.fleetward.reconcile.SavedDeployedFrom;
import io.fleetward.source.VerifyMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The revisions fleetward deployed from, one row each, newest last: the newest is the anti-rollback
 * anchor that every new desired revision must descend from, also after a restart.
 */
public final class DeployedFromStore implements SavedDeployedFrom {
    private final Database db;

    public DeployedFromStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Optional<DeployedFrom> load() {
        return db.withConnection("loading the last revision deployed from", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT revision, verified, how, taken_at FROM source_deployed_from ORDER BY seq DESC LIMIT 1");
                 ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeployedFrom(row.getString("revision"),
                        VerifyMode.valueOf(row.getString("verified").toUpperCase(Locale.ROOT)), row.getString("how"),
                        instant(row, "taken_at")));
            }
        });
    }

    @Override
    public void save(DeployedFrom revision) {
        db.withConnection("saving the revision deployed from", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO source_deployed_from (revision, verified, how, taken_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, revision.revision());
                insert.setString(2, revision.verified().name().toLowerCase(Locale.ROOT));
                String how = revision.how();
                insert.setString(3, how.length() > 512 ? how.substring(0, 512) : how);
                setInstant(insert, 4, revision.at());
                return insert.executeUpdate();
            }
        });
    }
}
