package io.fleetward.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/prometheus: the alert rules as promtool reads and unit-tests them. */
class AlertRulesTest {
    /** The alerts the rules must have (issue 12), by name. */
    private static final Set<String> REQUIRED_ALERTS = Set.of("FleetwardDown", "FleetwardSourceNotFetched",
            "FleetwardSourceStalled", "FleetwardTargetFailed", "FleetwardTargetUnreachable", "FleetwardRolloutHalted",
            "FleetwardRollback", "FleetwardWebhookSignatureFailures", "FleetwardStoreDown", "FleetwardDataDirLow");

    @Test
    void promtoolAcceptsTheRules() {
        InstalledTool.Run run = InstalledTool.PROMTOOL.run(MonitoringFiles.ALERTS_DIR, "check", "rules",
                "fleetward-alerts.yaml").succeeded();
        assertThat(run.output()).contains("SUCCESS: " + REQUIRED_ALERTS.size() + " rules found");
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() {
        InstalledTool.Run run = InstalledTool.PROMTOOL.run(MonitoringFiles.ALERTS_DIR, "test", "rules",
                "fleetward-alerts.test.yaml").succeeded();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void theRulesHoldEveryRequiredAlert() {
        assertThat(MonitoringFiles.alertNames()).containsExactlyInAnyOrderElementsOf(REQUIRED_ALERTS);
        for (JsonNode group : MonitoringFiles.alertRules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("labels").path("severity").asText()).as(rule.path("alert").asText())
                        .isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(rule.path("alert").asText()).isNotBlank();
            }
        }
    }

    /** Each alert has a unit test where it fires and one where it does not. */
    @Test
    void everyAlertIsUnitTestedFiringAndQuiet() {
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : MonitoringFiles.alertTests().path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : fires).add(alert);
            }
        }
        assertThat(fires).as("alerts with a firing case").containsAll(REQUIRED_ALERTS);
        assertThat(quiet).as("alerts with a quiet case").containsAll(REQUIRED_ALERTS);
    }
}
