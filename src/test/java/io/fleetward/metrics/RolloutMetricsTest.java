package io.fleetward.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The rollout gauges as Prometheus scrapes them: there from start-up, labelless, following the last pass. */
class RolloutMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerFleetMetrics metrics = new MicrometerFleetMetrics(registry);

    @Test
    void theRolloutGaugesAreThereBeforeTheFirstPassAndFollowTheRollout() {
        assertThat(registry.scrape()).contains("\nfleetward_rollout_wave 0.0").contains("\nfleetward_rollout_halted 0.0");

        metrics.rollout(2, true);
        String scrape = registry.scrape();
        assertThat(scrape).contains("\nfleetward_rollout_wave 2.0").contains("\nfleetward_rollout_halted 1.0")
                .contains("# HELP fleetward_rollout_halted 1 while the rollout of the desired revision is halted");

        metrics.rollout(3, false);
        assertThat(registry.scrape()).contains("\nfleetward_rollout_wave 3.0").contains("\nfleetward_rollout_halted 0.0");
        assertThat(registry.scrape().lines().filter(line -> line.startsWith("fleetward_rollout_")))
                .as("labelless: one series each").hasSize(2);
    }
}
