package io.fleetward.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Repacks the clone in the background: each fetch that brings objects adds a pack, and reads slow
 * down as packs pile up, while JGit's own automatic gc stays off (it would run on the fetch path).
 * A check every {@code checkEvery} repacks when {@code packLimit} packs have piled up, or when the
 * last repack is older than {@code interval} (daily by default). Every commit the ledger names is
 * kept ({@link GitSource#repack}). One line is logged per repack with what it did.
 */
public final class SourceRepack implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SourceRepack.class);

    private final GitSource source;
    private final Supplier<Set<String>> ledgerRevisions;
    private final Duration interval;
    private final int packLimit;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private Instant last;

    /**
     * @param ledgerRevisions the revisions the ledger names (read at each repack)
     * @param interval        repack at least this often
     * @param packLimit       repack as soon as this many packs are there
     */
    public SourceRepack(GitSource source, Supplier<Set<String>> ledgerRevisions, Duration interval, int packLimit,
                        Clock clock, ScheduledExecutorService scheduler) {
        this.source = Objects.requireNonNull(source, "source");
        this.ledgerRevisions = Objects.requireNonNull(ledgerRevisions, "ledgerRevisions");
        if (interval.isNegative() || interval.isZero() || packLimit < 2) {
            throw new IllegalArgumentException("a repack interval must be positive and the pack limit at least 2");
        }
        this.interval = interval;
        this.packLimit = packLimit;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.last = clock.instant();
    }

    /** Checks every {@code checkEvery} from now on. */
    public SourceRepack start(Duration checkEvery) {
        scheduler.scheduleWithFixedDelay(this::check, checkEvery.toMillis(), checkEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Repacks when it is due; never throws (a failed repack is logged and tried at the next check). */
    public synchronized void check() {
        int packs = source.packCount();
        String reason;
        if (packs >= packLimit) {
            reason = packs + " packs (fleetward.source.repack.packs=" + packLimit + ")";
        } else if (!clock.instant().isBefore(last.plus(interval)) && packs > 1) {
            reason = "the last repack is " + interval + " old (fleetward.source.repack.interval)";
        } else {
            return;
        }
        try {
            RepackResult result = source.repack(ledgerRevisions.get());
            last = clock.instant();
            LOG.infof("source repacked because of %s: %d packs -> %d in %d ms, %d ledger revisions kept",
                    reason, result.packsBefore(), result.packsAfter(), result.took().toMillis(), result.kept());
        } catch (SourceException | RuntimeException e) {
            LOG.warnf("source repack (because of %s) failed, tried again at the next check: %s", reason,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
