package io.fleetward.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTransportTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentSaysWhichHostAndUserTheCommandIsFor() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of("EXTRA", "yes"));
        CommandResult result = local.run(request("echo $FLEETWARD_HOST $FLEETWARD_USER $EXTRA", "janettesmith", null));
        assertThat(result.stdout()).isEqualTo("rosegold janettesmith yes\n");
    }

    @Test
    void aSimulationRootPutsStandInsFirstOnPathAndGivesEachUserAHome() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("clan"), "#!/bin/sh\necho stand-in\n");
        bin.resolve("clan").toFile().setExecutable(true);
        LocalTransport local = new LocalTransport(Optional.of(dir), Map.of());
        CommandResult result = local.run(request("clan; echo $HOME", "janettesmith", null));
        assertThat(result.stdout()).isEqualTo("stand-in\n" + dir.resolve("hosts/rosegold/home/janettesmith") + "\n");
    }

    @Test
    void stdoutAndStderrAreSeparateUnlessStreamed() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        CommandResult captured = local.run(request("echo out; echo err >&2; exit 3", null, null));
        assertThat(captured.exitCode()).isEqualTo(3);
        assertThat(captured.stdout()).isEqualTo("out\n");
        assertThat(captured.stderr()).isEqualTo("err\n");
        assertThat(captured.firstErrorLine()).isEqualTo("err");

        List<String> lines = new ArrayList<>();
        CommandResult streamed = local.run(request("echo one; echo two >&2", null, lines::add));
        assertThat(streamed.succeeded()).isTrue();
        assertThat(lines).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void aCommandPastItsTimeoutIsKilledWithItsChildren() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        Path marker = dir.resolve("survived");
        CommandResult result = local.run(new CommandRequest("h", null, null,
                "sh -c 'sleep 3; touch " + marker + "' & wait", null, Map.of(), Duration.ofMillis(300), null));
        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        // The child was killed with the shell: after its sleep would have ended, no marker exists.
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> !Files.exists(marker));
    }

    @Test
    void stdinIsWrittenThenClosedAndWithoutItTheCommandSeesEndOfFile() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        byte[] data = new byte[1_000_000];
        CommandResult counted = local.run(request("wc -c", null, null).withStdin(out -> out.write(data)));
        assertThat(counted.stdout().trim()).isEqualTo("1000000");
        assertThat(local.run(request("cat; echo end", null, null)).stdout()).isEqualTo("end\n");
    }

    private static CommandRequest request(String line, String user, java.util.function.Consumer<String> sink) {
        return new CommandRequest("rosegold", user, null, line, null, Map.of(), Duration.ofSeconds(10), sink);
    }
}
