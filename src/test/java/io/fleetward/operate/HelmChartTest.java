package io.fleetward.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * helm/fleetward with a real Helm engine (helm-java bundles Helm's library): lint in strict mode,
 * template with the defaults and with every optional feature on, and the rendered objects as
 * Kubernetes objects: ports, probes, mounts, env, security context, the monitoring objects.
 */
class HelmChartTest {
    static final Path CHART = Path.of("helm/fleetward");
    private static final Path ALL_FEATURES = Path.of("src/test/resources/helm/all-features.yaml");

    private static RenderedChart render(Function<com.marcnuri.helm.TemplateCommand, com.marcnuri.helm.TemplateCommand> values) {
        return RenderedChart.parse(values.apply(new Helm(CHART).template().withName("fw").withNamespace("ops")).call());
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static Map<String, VolumeMount> mounts(Container container) {
        return container.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getName, m -> m));
    }

    private static Map<String, Volume> volumes(PodSpec pod) {
        return pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    }

    @Test
    void lintPassesStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultsRenderOneNonRootReplicaWithProbesAPersistentDataDirAndNoMonitoringObjects() {
        RenderedChart chart = render(t -> t);
        assertThat(chart.kinds()).containsExactly("ConfigMap", "Deployment", "PersistentVolumeClaim", "Service",
                "ServiceAccount");

        Deployment deployment = chart.only(Deployment.class);
        assertThat(deployment.getMetadata().getName()).isEqualTo("fw-fleetward");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getFsGroup()).isPositive();
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(120);

        Container container = container(deployment);
        assertThat(container.getImage()).isEqualTo("fleetward/fleetward:0.1.0-SNAPSHOT");
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getResources().getLimits()).containsKey("memory");

        Map<String, EnvVar> env = env(container);
        assertThat(env.get("FLEETWARD_DATA_DIR").getValue()).isEqualTo("/var/lib/fleetward");
        assertThat(env.get("HOME").getValue()).as("a writable home on a read-only root").isEqualTo("/var/lib/fleetward");
        assertThat(env).doesNotContainKeys("FLEETWARD_STORE_URL", "JAVA_TOOL_OPTIONS");
        Map<String, VolumeMount> mounts = mounts(container);
        assertThat(mounts.get("data").getMountPath()).isEqualTo("/var/lib/fleetward");
        assertThat(mounts.get("tmp").getMountPath()).isEqualTo("/tmp");
        // Quarkus reads the ConfigMap's file where the config volume is mounted.
        assertThat(env.get("QUARKUS_CONFIG_LOCATIONS").getValue())
                .isEqualTo(mounts.get("config").getMountPath() + "/application.properties");
        Map<String, Volume> volumes = volumes(pod);
        assertThat(volumes.get("config").getConfigMap().getName()).isEqualTo("fw-fleetward");
        assertThat(volumes.get("data").getPersistentVolumeClaim().getClaimName())
                .isEqualTo(chart.only(PersistentVolumeClaim.class).getMetadata().getName());
        assertThat(chart.only(PersistentVolumeClaim.class).getSpec().getResources().getRequests().get("storage"))
                .hasToString("5Gi");

        Service service = chart.only(Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "fleetward");
        // No secrets referenced, nothing but the comment in the properties.
        assertThat(chart.applicationProperties()).isEmpty();
    }

    @Test
    void withoutPersistenceTheDataDirIsAnEmptyDir() {
        RenderedChart chart = render(t -> t.set("persistence.enabled", false));
        assertThat(chart.kinds()).doesNotContain("PersistentVolumeClaim");
        Volume data = volumes(chart.only(Deployment.class).getSpec().getTemplate().getSpec()).get("data");
        assertThat(data.getEmptyDir()).isNotNull();
        assertThat(data.getPersistentVolumeClaim()).isNull();
    }

    @Test
    void everyOptionalFeatureRenders() throws Exception {
        RenderedChart chart = render(t -> t.withValuesFile(ALL_FEATURES));
        assertThat(chart.kinds()).containsExactly("ConfigMap", "Deployment", "PersistentVolumeClaim",
                "PrometheusRule", "Service", "ServiceAccount", "ServiceMonitor");
        Deployment deployment = chart.only(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = container(deployment);
        assertThat(container.getImage()).isEqualTo("fleetward/fleetward:1.2.3");
        assertThat(pod.getImagePullSecrets()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).hasSize(1);
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("tier", "ops");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/team", "nix").containsKey("checksum/config");

        // External PostgreSQL: the URL in the env, the credentials from the Secret, never in the ConfigMap.
        Map<String, EnvVar> env = env(container);
        assertThat(env.get("FLEETWARD_STORE_URL").getValue()).isEqualTo("jdbc:postgresql://postgres.db:5432/fleetward");
        assertThat(env.get("FLEETWARD_STORE_USERNAME").getValueFrom().getSecretKeyRef().getName()).isEqualTo("fleet-db");
        assertThat(env.get("FLEETWARD_STORE_USERNAME").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
        assertThat(env.get("FLEETWARD_STORE_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        assertThat(env.get("JAVA_TOOL_OPTIONS").getValue()).isEqualTo("-Xms32m -Xmx384m");
        assertThat(env.get("FLEETWARD_SOURCE_BRANCH").getValue()).isEqualTo("production");

        // The config map, verbatim (a template with braces and quotes survives), and a file per Secret reference.
        Properties properties = chart.applicationProperties();
        assertThat(properties).containsEntry("fleetward.source.url", "ssh://git@forge.example/infra/fleet.git")
                .containsEntry("fleetward.deploy.parallelism", "8")
                .containsEntry("fleetward.commands.evaluate-system",
                        "nix eval --raw {flake}#nixosConfigurations.{host}.config.system.build.toplevel.outPath");
        Map<String, String> secretFiles = Map.of(
                "fleetward.source.https-token-file", "fleet-source/token",
                "fleetward.webhook.github.secret-file", "fleet-webhooks/github",
                "fleetward.webhook.gitea.secret-file", "fleet-webhooks/gitea",
                "fleetward.webhook.gitlab.secret-file", "fleet-webhooks/gitlab",
                "fleetward.webhook.generic.secret-file", "fleet-webhooks/generic",
                "fleetward.api.token-hashes-file", "fleet-api/token-hashes",
                "fleetward.ssh.identity", "fleet-ssh/id_ed25519",
                "fleetward.ssh.known-hosts", "fleet-ssh/known_hosts");
        Map<String, VolumeMount> mounts = mounts(container);
        Map<String, Volume> volumes = volumes(pod);
        secretFiles.forEach((property, secretAndKey) -> {
            String file = properties.getProperty(property);
            assertThat(file).as(property).isNotNull();
            // The file is in a read-only mount of a Secret volume that projects that Secret's key there.
            VolumeMount mount = mounts.values().stream().filter(m -> file.startsWith(m.getMountPath() + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError(property + ": no mount holds " + file));
            assertThat(mount.getReadOnly()).isTrue();
            Volume volume = volumes.get(mount.getName());
            assertThat(volume.getSecret().getSecretName() + "/" + volume.getSecret().getItems().get(0).getKey())
                    .as(property).isEqualTo(secretAndKey);
            assertThat(mount.getMountPath() + "/" + volume.getSecret().getItems().get(0).getPath()).isEqualTo(file);
        });
        // Readable by the pod's group (fsGroup: Kubernetes makes the files root:<fsGroup>), by nobody else.
        assertThat(volumes.get("ssh-identity").getSecret().getDefaultMode()).isEqualTo(0440);
        assertThat(pod.getSecurityContext().getFsGroup()).isNotNull();
        assertThat(chart.only(PersistentVolumeClaim.class).getSpec().getStorageClassName()).isEqualTo("fast");

        GenericKubernetesResource monitor = chart.generic("ServiceMonitor").orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        JsonNode monitorSpec = new ObjectMapper().valueToTree(monitor.getAdditionalProperties().get("spec"));
        assertThat(monitorSpec.path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
        assertThat(monitorSpec.path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        assertThat(monitorSpec.path("jobLabel").asText()).isEqualTo("app.kubernetes.io/name");

        // The PrometheusRule holds exactly the rules of deploy/prometheus (one copy, read through a link).
        GenericKubernetesResource rule = chart.generic("PrometheusRule").orElseThrow();
        JsonNode groups = new ObjectMapper().valueToTree(rule.getAdditionalProperties().get("spec")).path("groups");
        assertThat(groups).isEqualTo(MonitoringFiles.alertRules().path("groups"));
        assertThat(Files.isSymbolicLink(CHART.resolve("files/fleetward-alerts.yaml"))).isTrue();
    }
}
