package io.fleetward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.config.TransportConfig.Kind;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.ssh.HostKeyPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed keys as SmallRye reads them: documented spellings, and start-up failures that name the key. */
class ConfigMappingsTest {

    @Test
    void everyFeatureHasItsMapping() {
        assertThat(PlainConfig.all()).containsExactlyInAnyOrder(DataDirConfig.class, SourceConfig.class,
                FleetConfig.class, CommandsConfig.class, EvaluateConfig.class, DeployConfig.class, ImpactConfig.class, ProbeConfig.class,
                StoreConfig.class, TransportConfig.class, SshConfig.class, WebhookConfig.class, ApiConfig.class,
                CheckinConfig.class, InstanceConfig.class, RepackConfig.class, NotifyConfig.class, UiConfig.class);
    }

    static Stream<Class<?>> mappings() {
        return PlainConfig.all().stream();
    }

    /** fleetward starts with no configuration at all (the demo fleet): every default converts. */
    @ParameterizedTest
    @MethodSource("mappings")
    void everyMappingBuildsFromItsDefaultsAlone(Class<?> mapping) {
        assertThat(PlainConfig.defaults(mapping)).isInstanceOf(mapping);
    }

    static Stream<Arguments> hostKeyPolicies() {
        return Stream.of(
                argumentSet("strict", "strict", HostKeyPolicy.STRICT),
                argumentSet("accept-new", "accept-new", HostKeyPolicy.ACCEPT_NEW));
    }

    @ParameterizedTest
    @MethodSource("hostKeyPolicies")
    void theHostKeyPolicyTakesItsDocumentedSpellings(String value, HostKeyPolicy expected) {
        SshConfig ssh = PlainConfig.mapping(SshConfig.class, Map.of("fleetward.ssh.host-key-policy", value));

        assertThat(ssh.hostKeyPolicy()).isEqualTo(expected);
    }

    @Test
    void theHostKeyPolicyIsStrictByDefault() {
        assertThat(PlainConfig.defaults(SshConfig.class).hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
    }

    @Test
    void anUnknownHostKeyPolicyFailsNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> PlainConfig.mapping(SshConfig.class,
                Map.of("fleetward.ssh.host-key-policy", "trust-everything")))
                .hasMessageContaining("fleetward.ssh.host-key-policy")
                .hasMessageContaining("trust-everything");
    }

    static Stream<Arguments> defaultTransports() {
        return Stream.of(
                argumentSet("local", "local", Kind.LOCAL),
                argumentSet("ssh", "ssh", Kind.SSH));
    }

    @ParameterizedTest
    @MethodSource("defaultTransports")
    void theDefaultTransportTakesItsDocumentedSpellings(String value, Kind expected) {
        TransportConfig transport = PlainConfig.mapping(TransportConfig.class,
                Map.of("fleetward.transport.default", value));

        assertThat(transport.defaultTransport()).contains(expected);
        assertThat(expected.id()).isEqualTo(value);
    }

    @Test
    void theDefaultTransportIsUnsetByDefault() {
        assertThat(PlainConfig.defaults(TransportConfig.class).defaultTransport()).isEmpty();
    }

    @Test
    void theLocalKindIsNamedLikeTheLocalTransport() {
        assertThat(Kind.LOCAL.id()).isEqualTo(new LocalTransport(Optional.empty(), Map.of()).name());
    }

    @Test
    void anUnknownDefaultTransportFailsNamingTheKey() {
        assertThatThrownBy(() -> PlainConfig.mapping(TransportConfig.class,
                Map.of("fleetward.transport.default", "telnet")))
                .hasMessageContaining("fleetward.transport.default")
                .hasMessageContaining("telnet");
    }

    @Test
    void theDeadMansSwitchScriptsSurviveExpressionExpansionAsTheDaemonReadsThem() {
        // Quarkus expands ${...} in every value: a shell default like ${X:-y} would lose its meaning.
        CommandsConfig expanded = new io.smallrye.config.SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredConverters()
                .withMapping(CommandsConfig.class)
                .build()
                .getConfigMapping(CommandsConfig.class);

        assertThat(expanded.armRollback()).isEqualTo(CommandsConfig.ARM_ROLLBACK).doesNotContain("${");
        assertThat(expanded.disarmRollback()).isEqualTo(CommandsConfig.DISARM_ROLLBACK).doesNotContain("${");
        assertThat(expanded.rollbackSystem().nixos()).isEqualTo(
                "nix-env -p /nix/var/nix/profiles/system --set {previous} && {previous}/bin/switch-to-configuration switch");
    }

    @Test
    void inventoryAndEvaluateCommandsHaveTheirOwnTimeLimits() {
        CommandsConfig commands = PlainConfig.defaults(CommandsConfig.class);
        DeployConfig deploy = PlainConfig.defaults(DeployConfig.class);

        assertThat(commands.inventoryTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(commands.evaluateTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(deploy.timeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void evaluationsRunTwoAtOnceUnlessConfigured() {
        assertThat(PlainConfig.defaults(EvaluateConfig.class).parallelism()).isEqualTo(2);
        assertThat(PlainConfig.mapping(EvaluateConfig.class, Map.of("fleetward.evaluate.parallelism", "6"))
                .parallelism()).isEqualTo(6);
    }

    @Test
    void theCommandTimeLimitsAreSetIndependently() {
        CommandsConfig commands = PlainConfig.mapping(CommandsConfig.class, Map.of(
                "fleetward.commands.inventory-timeout", "90s",
                "fleetward.commands.evaluate-timeout", "2h"));

        assertThat(commands.inventoryTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(commands.evaluateTimeout()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aMalformedTimeLimitFailsNamingTheKey() {
        assertThatThrownBy(() -> PlainConfig.mapping(CommandsConfig.class,
                Map.of("fleetward.commands.inventory-timeout", "five minutes")))
                .hasMessageContaining("fleetward.commands.inventory-timeout")
                .hasMessageContaining("five minutes");
    }
}
