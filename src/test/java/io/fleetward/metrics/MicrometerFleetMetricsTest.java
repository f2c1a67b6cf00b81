package io.fleetward.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.fleet.TargetKind;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.Refusal;
import io.fleetward.reconcile.TargetStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stall metrics as Prometheus scrapes them from {@code /q/metrics}: names, labels, values; no Quarkus. */
class MicrometerFleetMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerFleetMetrics metrics = new MicrometerFleetMetrics(registry);

    @Test
    void theStallGaugeFollowsTheLastPublishedStall() {
        assertThat(scrape()).contains("fleetward_source_stalled 0.0");

        metrics.sourceStalled(true);
        assertThat(scrape()).contains("fleetward_source_stalled 1.0")
                .contains("# HELP fleetward_source_stalled 1 while the newest revision is refused");

        metrics.sourceStalled(false);
        assertThat(scrape()).contains("fleetward_source_stalled 0.0");
    }

    @Test
    void refusalsAreCountedByReasonFromZero() {
        assertThat(scrape()).contains("fleetward_source_refusals_total{reason=\"inventory\"} 0.0");

        metrics.sourceRefused(Refusal.INVENTORY);
        metrics.sourceRefused(Refusal.INVENTORY);

        String scrape = scrape();
        assertThat(scrape).contains("fleetward_source_refusals_total{reason=\"inventory\"} 2.0");
        // Bounded: one series per kind of refusal, never a revision or error text.
        assertThat(scrape.lines().filter(line -> line.startsWith("fleetward_source_refusals_total{")))
                .hasSize(Refusal.values().length);
    }

    @Test
    void verificationsAreCountedByResultFromZero() {
        String before = scrape();
        for (String result : new String[] {"good", "unsigned", "untrusted", "bad", "not-a-descendant"}) {
            assertThat(before).contains("fleetward_source_verification_total{result=\"" + result + "\"} 0.0");
        }

        metrics.sourceVerified("unsigned");
        metrics.sourceVerified("not-a-descendant");
        metrics.sourceVerified("not-a-descendant");
        metrics.sourceVerified("1a2b3c4 is not a label"); // never a new series

        String scrape = scrape();
        assertThat(scrape).contains("fleetward_source_verification_total{result=\"unsigned\"} 1.0")
                .contains("fleetward_source_verification_total{result=\"not-a-descendant\"} 2.0")
                .contains("fleetward_source_verification_total{result=\"good\"} 0.0");
        assertThat(scrape.lines().filter(line -> line.startsWith("fleetward_source_verification_total{"))).hasSize(5);
    }

    @Test
    void dashboardStreamsAreAGaugeAndRefusalsACounterWithoutLabels() {
        assertThat(scrape()).contains("fleetward_ui_streams_open 0.0").contains("fleetward_ui_streams_refused_total 0.0");

        metrics.dashboardStreams(3);
        metrics.dashboardStreamRefused();

        assertThat(scrape()).contains("fleetward_ui_streams_open 3.0").contains("fleetward_ui_streams_refused_total 1.0");
        metrics.dashboardStreams(0);
        assertThat(scrape()).contains("fleetward_ui_streams_open 0.0");
    }

    @Test
    void theHealthGateSeriesArePresentFromTheStartAndCount() {
        String fresh = scrape();
        for (String kind : new String[]{"system", "home"}) {
            assertThat(fresh).contains("fleetward_health_checks_total{kind=\"" + kind + "\",result=\"passed\"} 0.0",
                    "fleetward_health_checks_total{kind=\"" + kind + "\",result=\"failed\"} 0.0",
                    "fleetward_rollbacks_total{kind=\"" + kind + "\",result=\"succeeded\"} 0.0",
                    "fleetward_rollbacks_total{kind=\"" + kind + "\",result=\"failed\"} 0.0",
                    "fleetward_deployments_total{kind=\"" + kind + "\",outcome=\"rolled_back\"} 0.0");
        }
        assertThat(fresh).contains("fleetward_uncommitted_generated_files_total 0.0");

        metrics.healthCheck(TargetKind.SYSTEM, "failed");
        metrics.rollback(TargetKind.SYSTEM, "succeeded");
        metrics.deploymentFinished(TargetKind.SYSTEM, "ROLLED_BACK", Duration.ofSeconds(3));
        metrics.uncommittedGeneratedFiles(2);

        assertThat(scrape()).contains("fleetward_health_checks_total{kind=\"system\",result=\"failed\"} 1.0",
                "fleetward_rollbacks_total{kind=\"system\",result=\"succeeded\"} 1.0",
                "fleetward_deployments_total{kind=\"system\",outcome=\"rolled_back\"} 1.0",
                "fleetward_uncommitted_generated_files_total 2.0");
    }

    @Test
    void eachTargetHasOneStatusSeriesSetInPlaceNeverRegisteredAgain() {
        TargetId galena = TargetId.parse("system:galena");
        TargetId janette = TargetId.parse("home:janettesmith@rosegold");
        metrics.targetStatuses(Map.of(galena, TargetStatus.IN_SYNC, janette, TargetStatus.DEPLOYING));
        Gauge first = registry.find("fleetward.target.status").tag("target", "system:galena").gauge();

        metrics.targetStatuses(Map.of(galena, TargetStatus.UNREACHABLE, janette, TargetStatus.IN_SYNC));

        assertThat(registry.find("fleetward.target.status").tag("target", "system:galena").gauge()).isSameAs(first);
        String scrape = scrape();
        assertThat(scrape)
                .contains("fleetward_target_status{host=\"galena\",kind=\"system\",target=\"system:galena\"} 4.0")
                .contains("fleetward_target_status{host=\"rosegold\",kind=\"home\",target=\"home:janettesmith@rosegold\"} 0.0")
                .contains("fleetward_targets{status=\"IN_SYNC\"} 1.0")
                .contains("fleetward_targets{status=\"UNREACHABLE\"} 1.0")
                .contains("fleetward_targets{status=\"DEPLOYING\"} 0.0");
        assertThat(scrape.lines().filter(line -> line.startsWith("fleetward_target_status{"))).hasSize(2);
        assertThat(scrape.lines().filter(line -> line.startsWith("fleetward_targets{")))
                .hasSize(TargetStatus.values().length);
    }

    @Test
    void aTargetThatLeavesLosesItsSeries() {
        TargetId galena = TargetId.parse("system:galena");
        TargetId cinnabar = TargetId.parse("system:cinnabar");
        metrics.targetStatuses(Map.of(galena, TargetStatus.IN_SYNC, cinnabar, TargetStatus.FAILED));

        metrics.targetStatuses(Map.of(galena, TargetStatus.DRIFTED));

        String scrape = scrape();
        assertThat(scrape).contains("fleetward_target_status{host=\"galena\",kind=\"system\",target=\"system:galena\"} 1.0")
                .doesNotContain("system:cinnabar")
                .contains("fleetward_targets{status=\"FAILED\"} 0.0");
    }

    @Test
    void statusCodesAreTheDocumentedOnes() {
        assertThat(java.util.Arrays.stream(TargetStatus.values()).map(MicrometerFleetMetrics::statusCode))
                .containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    /** The Prometheus text; this registry writes {@code {a="b",}}, the daemon's {@code /q/metrics} {@code {a="b"}}. */
    private String scrape() {
        return registry.scrape().replace(",}", "}");
    }

    @Test
    void notificationsAreCountedByNotifierAndResultFromZero() {
        metrics.notifierConfigured("ops");
        assertThat(scrape()).contains("fleetward_notifications_total{notifier=\"ops\",result=\"delivered\"} 0.0")
                .contains("fleetward_notifications_total{notifier=\"ops\",result=\"failed\"} 0.0")
                .contains("fleetward_notifications_total{notifier=\"ops\",result=\"dropped\"} 0.0");

        metrics.notification("ops", "delivered");
        metrics.notification("ops", "delivered");
        metrics.notification("ops", "dropped");

        assertThat(scrape()).contains("fleetward_notifications_total{notifier=\"ops\",result=\"delivered\"} 2.0")
                .contains("fleetward_notifications_total{notifier=\"ops\",result=\"dropped\"} 1.0");
    }
}
