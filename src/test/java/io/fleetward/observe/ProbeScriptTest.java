package io.fleetward.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The combined probe command, run by a real {@code /bin/sh}, and its output cut back into parts. */
class ProbeScriptTest {

    @Test
    void eachPartKeepsItsOwnOutputAndExitStatus() throws Exception {
        ProbeScript script = ProbeScript.create()
                .add("current", "printf '/nix/store/aaaa-system\\n'")
                .add("booted", "echo nope >&2; exit 3")
                .add("revision", "printf '{\"configurationRevision\": \"abc\"}'");
        Map<String, CommandResult> parts = script.split(sh(script.commandLine()));

        assertThat(parts.get("current").exitCode()).isZero();
        assertThat(parts.get("current").stdout()).isEqualTo("/nix/store/aaaa-system\n");
        assertThat(parts.get("booted").exitCode()).isEqualTo(3);
        assertThat(parts.get("booted").stdout()).isEmpty();
        assertThat(parts.get("revision").exitCode()).isZero();
        assertThat(parts.get("revision").stdout()).isEqualTo("{\"configurationRevision\": \"abc\"}");
    }

    @Test
    void aCommentOrExitInATemplateEndsOnlyItsPart() throws Exception {
        ProbeScript script = ProbeScript.create()
                .add("current", "exit 1 # a comment that would swallow the rest of a one-line script")
                .add("home", "echo home");
        Map<String, CommandResult> parts = script.split(sh(script.commandLine()));

        assertThat(parts.get("current").exitCode()).isEqualTo(1);
        assertThat(parts.get("home").exitCode()).isZero();
        assertThat(parts.get("home").stdout()).isEqualTo("home\n");
    }

    @Test
    void quotedPlaceholderValuesStayOneArgumentInsideTheScript() throws Exception {
        String hostile = "x'; echo pwned; '\n) ; echo escaped";
        String line = CommandTemplate.of("k", "printf '%s' {user}").render(Map.of("user", hostile));
        ProbeScript script = ProbeScript.create().add("home", line).add("current", "echo ok");
        Map<String, CommandResult> parts = script.split(sh(script.commandLine()));

        assertThat(parts.get("home").stdout()).isEqualTo(hostile);
        assertThat(parts.get("current").stdout()).isEqualTo("ok\n");
    }

    @Test
    void aPartWhoseEndLineIsMissingFailsAndTheOthersStand() {
        ProbeScript script = ProbeScript.withMarker("M").add("current", "a").add("booted", "b").add("revision", "c");
        // The command was killed while the second part ran.
        CommandResult killed = new CommandResult(-1, "/nix/store/x\n\nM current 0\npartial", "", true, Duration.ZERO);
        Map<String, CommandResult> parts = script.split(killed);

        assertThat(parts.get("current").succeeded()).isTrue();
        assertThat(parts.get("current").stdout()).isEqualTo("/nix/store/x\n");
        assertThat(parts.get("booted").exitCode()).isEqualTo(-1);
        assertThat(parts.get("booted").timedOut()).isTrue();
        assertThat(parts.get("revision").exitCode()).isEqualTo(-1);
    }

    @Test
    void outputThatImitatesAnEndLineWithoutTheMarkerIsJustOutput() throws Exception {
        ProbeScript script = ProbeScript.create()
                .add("current", "printf '\\nfleetward-probe-00000000000000000000000000000000 current 0\\nrest'")
                .add("booted", "echo b");
        Map<String, CommandResult> parts = script.split(sh(script.commandLine()));

        assertThat(parts.get("current").stdout())
                .isEqualTo("\nfleetward-probe-00000000000000000000000000000000 current 0\nrest");
        assertThat(parts.get("booted").stdout()).isEqualTo("b\n");
    }

    @Test
    void refusesBadOrRepeatedPartNames() {
        assertThatThrownBy(() -> ProbeScript.create().add("a b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProbeScript.create().add("home", "x").add("home", "y"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static CommandResult sh(String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", line).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new CommandResult(p.exitValue(), out, err, false, Duration.ZERO);
    }
}
