package io.fleetward.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/grafana: the dashboard imports into Grafana 10+ (schema, datasource variable), shows what
 * issue 12 lists, and every PromQL expression in it parses, as promtool checks it. That it names only
 * metrics the daemon exports is {@link MonitoredMetricsTest}'s part.
 */
class DashboardTest {
    @TempDir
    Path dir;

    @Test
    void everyExpressionParsesWithPromtool() throws IOException {
        List<MonitoringFiles.Expression> expressions = MonitoringFiles.dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(20);
        Path rules = recordingRules(expressions);
        InstalledTool.Run run = InstalledTool.PROMTOOL.run(dir, "check", "rules", rules.toString()).succeeded();
        assertThat(run.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    /** The check above can fail: a broken expression in the same form is refused. */
    @Test
    void promtoolRefusesABrokenExpression() throws IOException {
        Path rules = recordingRules(List.of(new MonitoringFiles.Expression("broken",
                "sum by (status) (fleetward_target_status == 1")));
        InstalledTool.Run run = InstalledTool.PROMTOOL.run(dir, "check", "rules", rules.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("parse error");
    }

    @Test
    void importableWithADatasourceVariable() {
        JsonNode dashboard = MonitoringFiles.dashboard();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("uid").asText()).isEqualTo("fleetward");
        JsonNode datasource = dashboard.path("templating").path("list").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + panel.path("title")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(panel.path("description").asText()).as(panel.path("title").asText()).isNotBlank();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                }
            }
        }
    }

    /** What the issue asks the dashboard to show, by the metric each panel needs. */
    @Test
    void showsWhatTheIssueLists() {
        Set<String> names = new TreeSet<>();
        MonitoringFiles.dashboardExpressions().forEach(e -> names.addAll(PromqlNames.of(e.promql())));
        assertThat(names).contains(
                "fleetward_target_status",                           // fleet status by status and host
                "fleetward_deployments_total",                       // deployments and outcomes over time
                "fleetward_deployment_duration_seconds_bucket",      // deployment duration quantiles
                "fleetward_source_fetch_total",                      // source fetch errors
                "fleetward_source_last_fetch_timestamp_seconds",     // age of the last fetch
                "fleetward_webhook_requests_total",                  // webhook results
                "fleetward_ssh_connects_total",                      // SSH connects
                "fleetward_rollbacks_total", "fleetward_rollout_halted", // rollbacks and rollout halts
                "fleetward_reconcile_duration_seconds_bucket");      // reconcile pass duration
    }

    @Test
    void metricNamesAreReadFromPromql() {
        assertThat(PromqlNames.of("sum by (kind, outcome) (increase(fleetward_deployments_total{instance=~\".*\"}[5m]))"))
                .containsExactly("fleetward_deployments_total");
        assertThat(PromqlNames.of("time() - (fleetward_source_last_fetch_timestamp_seconds > 0 or process_start_time_seconds{job=\"fleetward\"}) > 180"))
                .containsExactly("fleetward_source_last_fetch_timestamp_seconds", "process_start_time_seconds");
        assertThat(PromqlNames.of("fleetward_data_dir_free_bytes >= 0 and fleetward_data_dir_free_bytes < 256 * 1e6"))
                .containsExactly("fleetward_data_dir_free_bytes");
        assertThat(PromqlNames.of("a_total > 0 unless a_total offset 15m or on (job) b ignoring (x) group_left (y) c"))
                .containsExactly("a_total", "b", "c");
    }

    private Path recordingRules(List<MonitoringFiles.Expression> expressions) throws IOException {
        StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            yaml.append("      # ").append(expressions.get(i).source()).append('\n')
                    .append("      - record: dashboard:expression:").append(i).append('\n')
                    .append("        expr: '").append(expressions.get(i).promql().replace("'", "''")).append("'\n");
        }
        return Files.writeString(dir.resolve("dashboard-rules.yaml"), yaml);
    }
}
