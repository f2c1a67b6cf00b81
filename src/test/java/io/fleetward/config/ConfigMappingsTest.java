package io.fleetward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.config.TransportConfig.Kind;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.ssh.HostKeyPolicy;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed keys as SmallRye reads them: documented spellings, and start-up failures that name the key. */
class ConfigMappingsTest {

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
}
