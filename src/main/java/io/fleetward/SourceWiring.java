package io.fleetward;

import io.fleetward.config.RepackConfig;
import io.fleetward.config.SourceConfig;
import io.fleetward.reconcile.SavedDeployedFrom;
import io.fleetward.reconcile.SourceTrust;
import io.fleetward.source.CommitVerifier;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceRepack;
import io.fleetward.source.TrustedKeys;
import io.fleetward.source.VerifyMode;
import io.fleetward.store.Database;
import io.fleetward.store.DeployedFromStore;
import io.fleetward.store.LedgerStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds what keeps the source trustworthy and small: the checks a fetched revision must pass
 * (signatures, anti-rollback, with the store of the revision last deployed from) and the clone's
 * background repack. Every check here fails start-up with the offending key's name.
 */
public class SourceWiring {
    private static final Logger LOG = Logger.getLogger(SourceWiring.class);

    /**
     * The clone is repacked in the background, keeping the ledger's commits and the revision last
     * deployed from (the anti-rollback anchor); started with the daemon.
     */
    @Produces
    @Singleton
    @io.quarkus.runtime.Startup
    SourceRepack sourceRepack(GitSource source, LedgerStore ledger, SavedDeployedFrom deployedFrom, RepackConfig repack,
                              Clock clock) {
        java.util.function.Supplier<java.util.Set<String>> kept = () -> {
            java.util.Set<String> revisions = new java.util.HashSet<>(ledger.revisions());
            deployedFrom.load().ifPresent(anchor -> revisions.add(anchor.revision()));
            return revisions;
        };
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "fleetward-source-repack");
                    t.setDaemon(true);
                    return t;
                });
        try {
            return new SourceRepack(source, kept, repack.interval(), repack.packs(), clock, scheduler)
                    .start(java.time.Duration.ofMinutes(1));
        } catch (IllegalArgumentException e) {
            scheduler.shutdownNow();
            throw new IllegalArgumentException("fleetward.source.repack: " + e.getMessage());
        }
    }

    void closeSourceRepack(@Disposes SourceRepack repack) {
        repack.close();
    }

    @Produces
    @Singleton
    DeployedFromStore deployedFromStore(Database database) {
        return new DeployedFromStore(database);
    }

    /**
     * What a fetched revision must pass: signatures by the trusted keys (read here: a key file that
     * cannot be read or parsed stops start-up naming it) and anti-rollback.
     */
    @Produces
    @Singleton
    SourceTrust sourceTrust(SourceConfig config, GitSource source, SavedDeployedFrom saved, Clock clock) {
        if (config.verify() != VerifyMode.NONE && config.trustedKeys().isEmpty()) {
            throw new IllegalArgumentException("fleetward.source.trusted-keys: required when fleetward.source.verify="
                    + config.verify().name().toLowerCase(java.util.Locale.ROOT));
        }
        TrustedKeys keys = TrustedKeys.none();
        if (config.trustedKeys().isPresent()) {
            try {
                keys = TrustedKeys.load(config.trustedKeys().get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fleetward.source.trusted-keys: " + e.getMessage());
            }
        }
        Optional<String> since = config.verifySince().map(String::strip).filter(s -> !s.isEmpty());
        since.ifPresent(id -> {
            if (!id.matches("[0-9a-f]{40}")) {
                throw new IllegalArgumentException("fleetward.source.verify-since: expected a full commit id (40 lower-case"
                        + " hex digits)");
            }
        });
        LOG.infof("source checks: verify=%s (%s), %s", config.verify().name().toLowerCase(java.util.Locale.ROOT),
                keys.describe(), config.allowNonFastForward() ? "force-pushes followed (allow-non-fast-forward)"
                        : "a revision must descend from the last one deployed from");
        return new SourceTrust(config.verify(), since, config.allowNonFastForward(), new CommitVerifier(source, keys, clock),
                saved);
    }
}
