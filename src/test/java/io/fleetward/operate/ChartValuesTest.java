package io.fleetward.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value of helm/fleetward is documented with {@code # --}, and the chart README's table is generated from them. */
class ChartValuesTest {
    private static final Path VALUES = HelmChartTest.CHART.resolve("values.yaml");
    private static final Path README = HelmChartTest.CHART.resolve("README.md");
    private static final String START = "<!-- values table: generated from values.yaml, checked by ChartValuesTest -->\n";
    private static final String END = "<!-- end of values table -->";

    @Test
    void everyValueIsDocumented() {
        List<String> documented = ChartValues.documented(VALUES).stream().map(ChartValues.Row::key).toList();
        assertThat(ChartValues.leaves(VALUES)).allSatisfy(leaf -> assertThat(documented)
                .as(leaf + " (or a key above it) needs a `# --` comment")
                .anyMatch(key -> leaf.equals(key) || leaf.startsWith(key + ".")));
    }

    @Test
    void theReadmeTableMatchesValuesYaml() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has the table's start marker").isNotNegative();
        assertThat(end).as("README.md has the table's end marker").isGreaterThan(start);
        String expected = ChartValues.markdownTable(ChartValues.documented(VALUES));
        assertThat(readme.substring(start + START.length(), end))
                .as("helm/fleetward/README.md's values table; regenerate it as this message shows")
                .isEqualTo(expected);
    }

    @Test
    void rowsCarryTheParsedDefaults() {
        List<ChartValues.Row> rows = ChartValues.documented(VALUES);
        assertThat(rows).contains(new ChartValues.Row("replicaCount", "1",
                "Pods: fleetward is a single writer (one reconcile loop); keep 1 until leader election exists"));
        assertThat(rows).filteredOn(r -> r.key().equals("persistence.accessModes")).singleElement()
                .satisfies(r -> assertThat(r.defaultJson()).isEqualTo("[\"ReadWriteOnce\"]"));
        assertThat(rows).filteredOn(r -> r.key().equals("image.tag")).singleElement()
                .satisfies(r -> assertThat(r.defaultJson()).isEqualTo("\"\""));
    }
}
