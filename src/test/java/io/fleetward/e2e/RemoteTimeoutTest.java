package io.fleetward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.Wiring;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.ssh.DefaultSshSettings;
import io.fleetward.transport.ssh.HostKeyPolicy;
import io.fleetward.transport.ssh.SshMetrics;
import io.fleetward.transport.ssh.SshTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A command run over SSH that times out is ended on the host, with its children, not only cut off:
 * real OpenSSH servers of the fleet (on this machine, so their processes are visible in /proc).
 */
class RemoteTimeoutTest {

    private static OpenSshFleet fleet;
    private static SshTransport ssh;
    private final long marker = 900_000 + new SecureRandom().nextInt(99_999);

    @BeforeAll
    static void startFleet() {
        E2eEnvironment.assumeReady();
        fleet = OpenSshFleet.start();
        ssh = new SshTransport(DefaultSshSettings.of(Optional.of(fleet.clientKey()), fleet.knownHostsFile(),
                HostKeyPolicy.STRICT), SshMetrics.NOOP, Wiring::sshAddress);
    }

    @AfterAll
    static void stopFleet() {
        if (ssh != null) {
            ssh.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private CommandResult run(String host, String user, String line, Duration timeout) throws Exception {
        return ssh.run(new CommandRequest(host, user, user + "@" + fleet.address(host) + ":" + fleet.port(), line,
                null, Map.of(), timeout, null));
    }

    /** Live (not zombie) processes whose command line holds {@code text}. */
    private static List<String> processesWith(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    String stat = Files.readString(proc.resolve("stat"));
                    boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                    if (cmdline.contains(text) && !zombie) {
                        found.add(proc.getFileName() + ": " + cmdline.strip());
                    }
                } catch (NoSuchFileException e) {
                    // ended while listed
                }
            }
        }
        return found;
    }

    @Test
    void aTimedOutCommandAndItsChildrenAreEndedOnTheHost() throws Exception {
        String host = fleet.hosts().get(0);
        // A child in the background, a child that ignores SIGTERM, and the shell waiting on a third.
        String line = "sleep " + marker + "1 & (trap '' TERM; sleep " + marker + "2) & sleep " + marker + "3";

        CommandResult result = run(host, "root", line, Duration.ofSeconds(3));

        assertThat(result.timedOut()).isTrue();
        assertThat(processesWith("sleep " + marker)).as("left running on the host").isEmpty();
        assertThat(fleet.home(host, "root").resolve(".cache/fleetward/run")).isEmptyDirectory();
    }

    @Test
    void aUsersTimedOutCommandIsEndedToo() throws Exception {
        String host = fleet.hosts().stream().filter(h -> !fleet.users(h).isEmpty()).findFirst().orElseThrow();
        String user = fleet.users(host).get(0);

        CommandResult result = run(host, user, "sh -c 'sleep " + marker + "4' & sleep " + marker + "5; echo never",
                Duration.ofSeconds(3));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stdout()).doesNotContain("never");
        assertThat(processesWith("sleep " + marker)).as("left running on the host").isEmpty();
    }

    @Test
    void aCommandThatEndsInTimeLeavesNoPidFileAndKeepsItsExitCode() throws Exception {
        String host = fleet.hosts().get(1);

        CommandResult result = run(host, "root", "echo ran; exit 7", Duration.ofSeconds(30));

        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("ran\n");
        assertThat(fleet.home(host, "root").resolve(".cache/fleetward/run")).isEmptyDirectory();
    }
}
