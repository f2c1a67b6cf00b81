package io.fleetward.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.Refusal;
import io.fleetward.reconcile.TargetStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
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
}
