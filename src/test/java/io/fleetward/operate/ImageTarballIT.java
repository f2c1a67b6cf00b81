package io.fleetward.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OCI image as Quarkus' Jib extension built it during {@code mvn verify} (pre-integration-test:
 * the image-tarball execution in pom.xml, on scratch since CI reaches no registry): its config
 * (entrypoint, user, port, env, labels), its layers holding the application, and the Helm chart
 * pointing at it and running it as its user.
 */
class ImageTarballIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, byte[]> image;
    private static JsonNode manifest;
    private static JsonNode config;

    @BeforeAll
    static void readTarball() throws IOException {
        String tar = System.getProperty("fleetward.image.tar");
        assertThat(tar).as("system property fleetward.image.tar (set by failsafe in pom.xml)").isNotBlank();
        try (InputStream in = Files.newInputStream(Path.of(tar))) {
            image = ImageTarball.read(in, name -> true);
        }
        manifest = JSON.readTree(image.get("manifest.json")).get(0);
        config = JSON.readTree(image.get(manifest.path("Config").asText())).path("config");
    }

    @Test
    void isNamedAsTheChartsDefaultImage() {
        JsonNode values = ChartValues.tree(HelmChartTest.CHART.resolve("values.yaml"));
        String appVersion = ChartValues.tree(HelmChartTest.CHART.resolve("Chart.yaml")).path("appVersion").asText();
        assertThat(manifest.path("RepoTags")).extracting(JsonNode::asText)
                .containsExactly(values.at("/image/repository").asText() + ":" + appVersion);
    }

    @Test
    void runsTheApplicationAsANonRootUserOnPort8080() {
        assertThat(config.path("User").asText()).isNotEmpty().isNotIn("0", "root");
        JsonNode values = ChartValues.tree(HelmChartTest.CHART.resolve("values.yaml"));
        assertThat(config.path("User").asText()).as("the chart runs the image's user")
                .isEqualTo(values.at("/podSecurityContext/runAsUser").asText());
        assertThat(config.path("ExposedPorts").fieldNames()).toIterable().containsExactly("8080/tcp");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).startsWith("java").endsWith("-jar", "quarkus-run.jar")
                .contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx128m");
        assertThat(config.path("Env")).extracting(JsonNode::asText).contains("FLEETWARD_DATA_DIR=/var/lib/fleetward", "JAVA_TOOL_OPTIONS=-Xms32m -Xmx128m", "MALLOC_ARENA_MAX=2");
        assertThat(config.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("fleetward");
        assertThat(config.path("Labels").path("io.fleetward.data-dir").asText()).isEqualTo("/var/lib/fleetward");
    }

    @Test
    void layersHoldTheQuarkusApplicationInTheWorkingDirectory() throws IOException {
        Set<String> files = new HashSet<>();
        for (JsonNode layer : manifest.path("Layers")) {
            byte[] compressed = image.get(layer.asText());
            assertThat(compressed).as(layer.asText()).isNotNull();
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                ImageTarball.read(in, name -> false).keySet().forEach(name -> files.add(name.replaceFirst("^/", "")));
            }
        }
        String workDir = config.path("WorkingDir").asText().replaceFirst("^/", "");
        assertThat(files).contains(workDir + "/quarkus-run.jar", workDir + "/app/fleetward-0.1.0-SNAPSHOT.jar")
                .anyMatch(f -> f.startsWith(workDir + "/lib/main/") && f.contains("org.eclipse.jgit"));
    }
}
