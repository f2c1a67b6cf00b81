package io.fleetward.metrics;

import io.fleetward.api.CheckinMetrics;
import io.fleetward.ui.DashboardMetrics;
import io.fleetward.execute.DeployMetrics;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.fleet.TargetKind;
import io.fleetward.notify.NotifyMetrics;
import io.fleetward.reconcile.LoopMetrics;
import io.fleetward.reconcile.Refusal;
import io.fleetward.source.Verdict;
import io.fleetward.reconcile.TargetStatus;
import io.fleetward.transport.ssh.SshMetrics;
import io.fleetward.webhook.WebhookMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer-backed metrics, exposed as Prometheus text at {@code /q/metrics}: the one bean behind
 * every metrics port (each declared by the package that reports). Labels are bounded: target ids,
 * host names, kinds, statuses and outcomes, never a revision, a path or error text.
 */
@ApplicationScoped
public class MicrometerFleetMetrics
        implements LoopMetrics, DeployMetrics, SshMetrics, WebhookMetrics, CheckinMetrics, NotifyMetrics,
        DashboardMetrics {
    private static final Duration[] DEPLOY_BUCKETS = {Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1)};
    private static final Duration[] FAST_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(25),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(30)};

    /** The results SshMetrics.sshConnect reports. */
    private static final List<String> SSH_CONNECT_RESULTS = List.of("ok", "host_key_refused", "auth_failed", "unreachable");

    private final MeterRegistry registry;
    /** Each target's status code, the state of its one {@code fleetward_target_status} gauge (pass thread writes). */
    private final Map<TargetId, AtomicInteger> statusCodes = new ConcurrentHashMap<>();
    private final Map<TargetId, Gauge> statusGauges = new ConcurrentHashMap<>();
    /** How many targets are in each status: the {@code fleetward_targets} gauges. */
    private final Map<TargetStatus, AtomicLong> statusCounts = new EnumMap<>(TargetStatus.class);
    private final Timer fetchDuration;
    private final Timer reconcileDuration;
    /** Held here: gauges keep only a weak reference to their state. */
    private final AtomicLong lastFetchEpochMillis = new AtomicLong();
    private final AtomicLong sshSessionsOpen = new AtomicLong();
    private final AtomicLong sourceStalled = new AtomicLong();
    private final AtomicLong rolloutWave = new AtomicLong();
    private final AtomicLong rolloutHalted = new AtomicLong();
    private final AtomicLong dashboardStreams = new AtomicLong();
    private final Counter dashboardStreamsRefused;
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);
    /** {@code fleetward_source_verification_total} by result, registered at 0 up front. */
    private final Map<String, Counter> verifications = new java.util.HashMap<>();
    private final Counter uncommittedGeneratedFiles;

    @Inject
    public MicrometerFleetMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (TargetStatus status : TargetStatus.values()) {
            AtomicLong count = new AtomicLong();
            statusCounts.put(status, count);
            Gauge.builder("fleetward.targets", count, AtomicLong::get)
                    .description("Targets in each status")
                    .tag("status", status.name())
                    .register(registry);
        }
        this.fetchDuration = Timer.builder("fleetward.source.fetch.duration")
                .description("Time of one fetch of the desired-state repository")
                .serviceLevelObjectives(FAST_BUCKETS)
                .register(registry);
        this.reconcileDuration = Timer.builder("fleetward.reconcile.duration")
                .description("Time of one reconcile pass (fetch, inventory, probes, drift, plan)")
                .serviceLevelObjectives(FAST_BUCKETS)
                .register(registry);
        Gauge.builder("fleetward.source.last.fetch.timestamp.seconds", lastFetchEpochMillis, v -> v.get() / 1000.0)
                .description("Unix time of the last successful fetch")
                .register(registry);
        Gauge.builder("fleetward.ssh.sessions.open", sshSessionsOpen, AtomicLong::get)
                .description("Pooled SSH sessions open now")
                .register(registry);
        Gauge.builder("fleetward.source.stalled", sourceStalled, AtomicLong::get)
                .description("1 while the newest revision is refused and fleetward deploys from an older one, else 0")
                .register(registry);
        // Registered at start-up, so a scrape always shows them (0 until the first pass planned).
        Gauge.builder("fleetward.rollout.wave", rolloutWave, AtomicLong::get)
                .description("1-based index of the last rollout wave that started for the desired revision")
                .register(registry);
        Gauge.builder("fleetward.rollout.halted", rolloutHalted, AtomicLong::get)
                .description("1 while the rollout of the desired revision is halted by a failure, else 0")
                .register(registry);
        Gauge.builder("fleetward.ui.streams.open", dashboardStreams, AtomicLong::get)
                .description("Dashboard pages with an open live-update stream now")
                .register(registry);
        this.dashboardStreamsRefused = Counter.builder("fleetward.ui.streams.refused")
                .description("Dashboard pages refused a live-update stream (fleetward.ui.max-streams reached)")
                .register(registry);
        // The health gate's series, registered at 0 up front so that dashboards and alerts see them from the start.
        for (TargetKind kind : TargetKind.values()) {
            for (String result : List.of("passed", "failed")) {
                healthCheckCounter(kind, result);
            }
            for (String result : List.of("succeeded", "failed")) {
                rollbackCounter(kind, result);
            }
            for (DeploymentOutcome outcome : List.of(DeploymentOutcome.ROLLED_BACK, DeploymentOutcome.FAILED,
                    DeploymentOutcome.SUCCEEDED)) {
                deploymentCounter(kind, outcome.name());
            }
        }
        this.uncommittedGeneratedFiles = Counter.builder("fleetward.uncommitted.generated.files")
                .description("Files deploy commands left new or modified in the checkout (generated vars, sops files), "
                        + "lost with it")
                .register(registry);
        // Registered at 0 up front, so that increase() sees the first refusal.
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, Counter.builder("fleetward.source.refusals")
                    .description("Revisions refused (each counted once), by reason")
                    .tag("reason", refusal.label())
                    .register(registry));
        }
        // SSH results registered at 0 up front too: the dashboard and increase() see the first failure,
        // and the series exist before the first connection (on a fleet with local transport only).
        for (String result : SSH_CONNECT_RESULTS) {
            sshConnectCounter(result);
        }
        for (Verdict.Result result : Verdict.Result.values()) {
            verifications.put(result.label(), Counter.builder("fleetward.source.verification")
                    .description("Decisions of the source checks (signatures, anti-rollback) on fetched revisions, by result")
                    .tag("result", result.label())
                    .register(registry));
        }
    }

    /**
     * One gauge per target, registered when the target first shows and removed when it leaves,
     * whose value is the code of its status ({@link #statusCode}); and the count of targets per
     * status. Values are set in place: a status change registers nothing.
     */
    @Override
    public void targetStatuses(Map<TargetId, TargetStatus> statuses) {
        long[] counts = new long[TargetStatus.values().length];
        statuses.forEach((id, status) -> {
            counts[status.ordinal()]++;
            AtomicInteger code = statusCodes.get(id);
            if (code == null) {
                AtomicInteger created = new AtomicInteger(statusCode(status));
                statusCodes.put(id, created);
                statusGauges.put(id, Gauge.builder("fleetward.target.status", created, AtomicInteger::get)
                        .description("Status code of each target: 0 IN_SYNC, 1 DRIFTED, 2 DEPLOYING, 3 FAILED, "
                                + "4 UNREACHABLE, 5 UNKNOWN, 6 SUSPENDED")
                        .tags("target", id.toString(), "host", id.host(), "kind", id.kind().label())
                        .register(registry));
            } else {
                code.set(statusCode(status));
            }
        });
        for (Iterator<Map.Entry<TargetId, Gauge>> it = statusGauges.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TargetId, Gauge> gauge = it.next();
            if (!statuses.containsKey(gauge.getKey())) {
                registry.remove(gauge.getValue());
                statusCodes.remove(gauge.getKey());
                it.remove();
            }
        }
        for (TargetStatus status : TargetStatus.values()) {
            statusCounts.get(status).set(counts[status.ordinal()]);
        }
    }

    /** The value of {@code fleetward_target_status} for a status: stable, documented in the README. */
    static int statusCode(TargetStatus status) {
        return switch (status) {
            case IN_SYNC -> 0;
            case DRIFTED -> 1;
            case DEPLOYING -> 2;
            case FAILED -> 3;
            case UNREACHABLE -> 4;
            case UNKNOWN -> 5;
            case SUSPENDED -> 6;
        };
    }

    @Override
    public void rollout(int runningWave, boolean halted) {
        rolloutWave.set(runningWave);
        rolloutHalted.set(halted ? 1 : 0);
    }

    @Override
    public void deploymentFinished(TargetKind kind, String outcome, Duration duration) {
        deploymentCounter(kind, outcome).increment();
        Timer.builder("fleetward.deployment.duration")
                .description("Time of one deployment, from start to verified outcome")
                .serviceLevelObjectives(DEPLOY_BUCKETS)
                .register(registry)
                .record(duration);
    }

    private Counter deploymentCounter(TargetKind kind, String outcome) {
        return Counter.builder("fleetward.deployments")
                .description("Deployments by kind and outcome")
                .tags("kind", kind.label(), "outcome", outcome.toLowerCase(Locale.ROOT))
                .register(registry);
    }

    @Override
    public void healthCheck(TargetKind kind, String result) {
        healthCheckCounter(kind, result).increment();
    }

    @Override
    public void rollback(TargetKind kind, String result) {
        rollbackCounter(kind, result).increment();
    }

    @Override
    public void uncommittedGeneratedFiles(int count) {
        uncommittedGeneratedFiles.increment(count);
    }

    private Counter healthCheckCounter(TargetKind kind, String result) {
        return Counter.builder("fleetward.health.checks")
                .description("Health checks after verified deploys, by kind and result (passed, failed)")
                .tags("kind", kind.label(), "result", result)
                .register(registry);
    }

    private Counter rollbackCounter(TargetKind kind, String result) {
        return Counter.builder("fleetward.rollbacks")
                .description("Rollbacks to the path a target ran before, by kind and result (succeeded, failed)")
                .tags("kind", kind.label(), "result", result)
                .register(registry);
    }

    @Override
    public void sourceFetched(String result, Duration took, Instant at) {
        Counter.builder("fleetward.source.fetch")
                .description("Fetches of the desired-state repository by result")
                .tag("result", result)
                .register(registry)
                .increment();
        fetchDuration.record(took);
        if (!"error".equals(result)) {
            lastFetchEpochMillis.set(at.toEpochMilli());
        }
    }

    @Override
    public void sourceStalled(boolean stalled) {
        sourceStalled.set(stalled ? 1 : 0);
    }

    @Override
    public void sourceRefused(Refusal refusal) {
        refusals.get(refusal).increment();
    }

    @Override
    public void sourceVerified(String result) {
        Counter counter = verifications.get(result);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void reconciled(Duration took) {
        reconcileDuration.record(took);
    }

    @Override
    public void webhookRequest(String provider, String result) {
        Counter.builder("fleetward.webhook.requests")
                .description("Webhook requests by provider and result")
                .tags("provider", provider, "result", result)
                .register(registry)
                .increment();
    }

    @Override
    public void dashboardStreams(int open) {
        dashboardStreams.set(open);
    }

    @Override
    public void dashboardStreamRefused() {
        dashboardStreamsRefused.increment();
    }

    @Override
    public void hostReport(String result) {
        Counter.builder("fleetward.host.reports")
                .description("Host check-in reports by result")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    @Override
    public void sshConnect(String result) {
        sshConnectCounter(result).increment();
    }

    private Counter sshConnectCounter(String result) {
        return Counter.builder("fleetward.ssh.connects")
                .description("SSH connection attempts by result")
                .tag("result", result)
                .register(registry);
    }

    @Override
    public void sshSessionsOpen(int open) {
        sshSessionsOpen.set(open);
    }

    @Override
    public void notifierConfigured(String notifier) {
        for (String result : List.of(NotifyMetrics.DELIVERED, NotifyMetrics.FAILED, NotifyMetrics.DROPPED)) {
            notifications(notifier, result);
        }
    }

    @Override
    public void notification(String notifier, String result) {
        notifications(notifier, result).increment();
    }

    private Counter notifications(String notifier, String result) {
        return Counter.builder("fleetward.notifications")
                .description("Notifications by notifier and result (delivered, failed, dropped)")
                .tags("notifier", notifier, "result", result)
                .register(registry);
    }
}
