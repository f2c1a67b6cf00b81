package io.fleetward.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Placeholders are single-quoted words: hostile values reach the command as one literal argument. */
class CommandTemplateTest {
    private final LocalTransport local = new LocalTransport(Optional.empty(), Map.of());

    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's", "a b", "x;touch pwned", "$(reboot)", "`id`", "line\nbreak",
            "-rf", "--flake=/etc", "\"double\"", "back\\slash", "*", "", "'''"})
    void aHostileValueArrivesAsOneLiteralArgument(String value) throws Exception {
        CommandTemplate template = CommandTemplate.of("test.key", "printf '%s\\0' {host} end");
        String line = template.render(Map.of("host", value));
        CommandResult result = local.run(new CommandRequest("h", null, null, line, null, Map.of(),
                Duration.ofSeconds(10), null));
        assertThat(result.exitCode()).isZero();
        // printf prints each argument NUL-terminated; the transport reads output line by line.
        assertThat(result.stdout()).isEqualTo(value + "\0end\0\n");
    }

    @Test
    void anUnknownPlaceholderIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> CommandTemplate.of("fleetward.commands.system-deploy", "clan machines update {hots}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fleetward.commands.system-deploy")
                .hasMessageContaining("{hots}");
    }

    @Test
    void anEmptyTemplateIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> CommandTemplate.of("fleetward.commands.probe-home", " "))
                .hasMessageContaining("fleetward.commands.probe-home");
    }

    @Test
    void aMissingValueIsRefused() {
        CommandTemplate template = CommandTemplate.of("k", "nh home switch {flake} --configuration {configuration}");
        assertThatThrownBy(() -> template.render(Map.of("flake", "x"))).hasMessageContaining("{configuration}");
    }

    @Test
    void aNulCharacterIsRefused() {
        assertThatThrownBy(() -> CommandTemplate.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultDeployCommandRendersQuotedWords() {
        assertThat(CommandTemplate.of("k", "clan machines update {host}").render(Map.of("host", "galena")))
                .isEqualTo("clan machines update 'galena'");
    }
}
