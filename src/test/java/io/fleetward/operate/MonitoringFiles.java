package io.fleetward.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Grafana dashboard and the Prometheus alert rules under {@code deploy/}, as the tests read them. */
final class MonitoringFiles {
    static final Path DASHBOARD = Path.of("deploy/grafana/fleetward-dashboard.json");
    static final Path ALERTS_DIR = Path.of("deploy/prometheus");
    static final Path ALERTS = ALERTS_DIR.resolve("fleetward-alerts.yaml");
    static final Path ALERT_TESTS = ALERTS_DIR.resolve("fleetward-alerts.test.yaml");
    /** Grafana's variables, replaced by what Grafana would put there, so that promtool can parse the query. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of("$__rate_interval", "5m", "$__interval", "1m",
            "$__range", "1h", "$instance", ".*", "$host", ".*");

    private MonitoringFiles() {
    }

    /** One PromQL expression and where it comes from (a panel's title, an alert's name). */
    record Expression(String source, String promql) {
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode alertRules() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode alertTests() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ALERT_TESTS.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel query and template variable query, with Grafana's variables filled in. */
    static List<Expression> dashboardExpressions() {
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(new Expression("panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        withoutVariables(target.path("expr").asText())));
            }
        }
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            String query = variable.path("query").path("query").asText("");
            if (query.startsWith("label_values(")) {
                // label_values(<selector>, <label>) is Grafana's; its selector is PromQL.
                String selector = query.substring("label_values(".length(), query.lastIndexOf(','));
                expressions.add(new Expression("variable $" + variable.path("name").asText(), withoutVariables(selector)));
            }
        }
        return expressions;
    }

    static List<Expression> alertExpressions() {
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode group : alertRules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                expressions.add(new Expression("alert " + rule.path("alert").asText(), rule.path("expr").asText()));
            }
        }
        return expressions;
    }

    static Set<String> alertNames() {
        Set<String> names = new LinkedHashSet<>();
        alertExpressions().forEach(e -> names.add(e.source().substring("alert ".length())));
        return names;
    }

    private static String withoutVariables(String expression) {
        String result = expression;
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            result = result.replace(variable.getKey(), variable.getValue());
        }
        if (result.contains("$")) {
            throw new AssertionError("unknown Grafana variable in " + expression);
        }
        return result;
    }
}
