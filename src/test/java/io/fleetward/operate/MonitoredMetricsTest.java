package io.fleetward.operate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard and the alert rules name is in a real {@code /q/metrics}
 * scrape of the running daemon (the shared {@link FleetProfile} instance, converged), so that a
 * renamed metric breaks this test rather than a panel or an alert in production.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class MonitoredMetricsTest {
    /** Series Prometheus adds to every scrape itself: never in the daemon's text. */
    private static final Set<String> ADDED_BY_PROMETHEUS = Set.of("up");

    /** Labels every scraped series gets from Prometheus itself. */
    private static final Set<String> LABELS_ADDED_BY_PROMETHEUS = Set.of("job", "instance");
    /** {@code name{matchers}}: a selector in PromQL, or a sample line in Prometheus text. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)\\{([^}]*)}");
    /** One label name of a matcher list ({@code status="FAILED", instance=~".*"}) or a sample's labels. */
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_]\\w*)\\s*(?:=~|!~|!=|=)\\s*\"");

    @Test
    void everyMetricOfTheDashboardAndTheAlertsIsScraped() {
        convergedWithLabelledCounters();
        Set<String> scraped = scrapedNames(FleetApi.metrics());
        Map<String, Set<String>> usedBy = new TreeMap<>();
        for (MonitoringFiles.Expression expression : MonitoringFiles.dashboardExpressions()) {
            PromqlNames.of(expression.promql()).forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add(expression.source()));
        }
        for (MonitoringFiles.Expression expression : MonitoringFiles.alertExpressions()) {
            PromqlNames.of(expression.promql()).forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add(expression.source()));
        }
        assertThat(usedBy).containsKeys("fleetward_target_status", "fleetward_deployments_total", "up");

        Map<String, Set<String>> missing = new TreeMap<>(usedBy);
        missing.keySet().removeAll(scraped);
        missing.keySet().removeAll(ADDED_BY_PROMETHEUS);
        assertThat(missing).as("metrics used by the dashboard or the alerts but not in /q/metrics").isEmpty();
    }

    /**
     * The labels the dashboard and the rules match on ({@code metric{label="..."}}) are on the
     * scraped series of that metric, so a renamed label breaks this test, not a panel or an alert.
     */
    @Test
    void everyLabelMatchedIsOnTheScrapedSeries() {
        convergedWithLabelledCounters();
        Map<String, Set<String>> scrapedLabels = scrapedLabels(FleetApi.metrics());
        List<MonitoringFiles.Expression> expressions = new ArrayList<>(MonitoringFiles.dashboardExpressions());
        expressions.addAll(MonitoringFiles.alertExpressions());
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (MonitoringFiles.Expression expression : expressions) {
            Matcher selector = SELECTOR.matcher(expression.promql());
            while (selector.find()) {
                String metric = selector.group(1);
                if (ADDED_BY_PROMETHEUS.contains(metric)) {
                    continue;
                }
                Matcher matcher = MATCHER_LABEL.matcher(selector.group(2));
                while (matcher.find()) {
                    String label = matcher.group(1);
                    checked++;
                    if (!LABELS_ADDED_BY_PROMETHEUS.contains(label)
                            && !scrapedLabels.getOrDefault(metric, Set.of()).contains(label)) {
                        unknown.add(expression.source() + ": " + metric + "{" + label + "}");
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(unknown).as("labels matched but not on the scraped series").isEmpty();
    }

    /**
     * Waits for the converged fleet, then makes the counters that exist from their first event (a
     * provider or result label) appear: a webhook with a bad signature, a check-in with a wrong
     * token. Gitea, not GitHub: the webhook scenarios count GitHub's results from zero.
     */
    private static void convergedWithLabelledCounters() {
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
        given().header("X-Gitea-Event", "push").header("X-Gitea-Delivery", "monitored-metrics")
                .header("X-Gitea-Signature", "00".repeat(32)).body("{}")
                .post("/webhooks/gitea").then().statusCode(401);
        given().header("Authorization", "Bearer not-the-token").body("{}")
                .post("/api/v1/hosts/galena/report").then().statusCode(403);
    }

    /** Metric name -> the label names its series carry in Prometheus text. */
    private static Map<String, Set<String>> scrapedLabels(String text) {
        Map<String, Set<String>> labels = new TreeMap<>();
        text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            Matcher sample = SELECTOR.matcher(line);
            Set<String> names = new TreeSet<>();
            String metric = line.split("[{ ]", 2)[0];
            if (sample.lookingAt()) {
                Matcher label = MATCHER_LABEL.matcher(sample.group(2));
                while (label.find()) {
                    names.add(label.group(1));
                }
            }
            labels.computeIfAbsent(metric, k -> new TreeSet<>()).addAll(names);
        });
        return labels;
    }

    /** The metric names of Prometheus text: each sample line's name, without comments. */
    private static Set<String> scrapedNames(String text) {
        Set<String> names = new TreeSet<>();
        text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        });
        return names;
    }
}
