package io.fleetward.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetward.ProcessTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
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
        Path pids = dir.resolve("pids");
        Path marker = dir.resolve("survived");
        // A child shell starts a grandchild, records both pids (written whole, then renamed), and would
        // touch the marker a minute later; the command itself only waits for the child.
        String tmp = CommandTemplate.quote(pids + ".tmp");
        String child = "sleep 60 & echo $$ $! > " + tmp + " && mv " + tmp + " " + CommandTemplate.quote(pids.toString())
                + "; wait; touch " + CommandTemplate.quote(marker.toString());
        CommandResult result = local.run(new CommandRequest("h", null, null,
                "sh -c " + CommandTemplate.quote(child) + " & wait", null, Map.of(), Duration.ofSeconds(2), null));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(pids).as("the child started before the timeout").exists();
        List<Long> started = Arrays.stream(Files.readString(pids).trim().split(" ")).map(Long::valueOf).toList();
        assertThat(started).hasSize(2);
        // Both would run for a minute on their own: ending within seconds means they were killed.
        await("child and grandchild " + started + " ended").atMost(Duration.ofSeconds(10))
                .until(() -> started.stream().allMatch(ProcessTrees::ended));
        // Killed before its sleep ended, the child can no longer touch the marker.
        assertThat(marker).doesNotExist();
    }

    @Test
    void aCommandLeadsAProcessGroupOfItsOwnAndTheRequestLearnsItsId() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        List<Long> reported = new CopyOnWriteArrayList<>();

        CommandResult result = local.run(request("cat /proc/$$/stat", null, null)
                .withProcessGroupListener(reported::add));

        Stat shell = Stat.parse(result.stdout());
        Stat jvm = Stat.parse(Files.readString(Path.of("/proc/self/stat")));
        assertThat(shell.group()).as("the command's group").isNotEqualTo(jvm.group());
        assertThat(shell.group()).as("the shell leads its group").isEqualTo(shell.pid());
        assertThat(reported).containsExactly(shell.group());
    }

    @Test
    void aTimeoutKillsTheWholeGroupEvenAChildWhoseParentHasEnded() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        Path pid = dir.resolve("orphan.pid");
        List<Long> group = new CopyOnWriteArrayList<>();
        // The subshell starts a sleeper and exits at once: the sleeper loses its parent, so it is no
        // descendant of the command any more, only a member of its group. Its stat is printed.
        String line = "( sleep 60 & echo $! > " + CommandTemplate.quote(pid.toString()) + " ); cat /proc/$(cat "
                + CommandTemplate.quote(pid.toString()) + ")/stat; sleep 60";

        CommandResult result = local.run(new CommandRequest("h", null, null, line, null, Map.of(),
                Duration.ofSeconds(2), null).withProcessGroupListener(group::add));

        assertThat(result.timedOut()).isTrue();
        Stat orphan = Stat.parse(result.stdout());
        assertThat(orphan.group()).isEqualTo(group.get(0));
        assertThat(orphan.parent()).as("no longer the command's child").isNotEqualTo(group.get(0));
        await("the orphan " + orphan.pid() + " ended").atMost(Duration.ofSeconds(30)).until(() -> ProcessTrees.ended(orphan.pid()));
    }

    @Test
    void anInterruptKillsTheWholeGroupAndIsRethrown() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        Path pid = dir.resolve("orphan.pid");
        String line = "( sleep 60 & echo $! > " + CommandTemplate.quote(pid + ".tmp") + " && mv "
                + CommandTemplate.quote(pid + ".tmp") + " " + CommandTemplate.quote(pid.toString()) + " ); sleep 60";
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                local.run(new CommandRequest("h", null, null, line, null, Map.of(), Duration.ofMinutes(5), null));
            } catch (Exception e) {
                thrown.set(e);
            }
        });
        caller.start();
        await("the orphan started").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pid));
        long orphan = Long.parseLong(Files.readString(pid).trim());

        caller.interrupt();
        caller.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        await("the orphan " + orphan + " ended").atMost(Duration.ofSeconds(30)).until(() -> ProcessTrees.ended(orphan));
    }

    @Test
    void aListenerThatFailsStopsTheCommandItWasToldAbout() throws Exception {
        LocalTransport local = new LocalTransport(Optional.empty(), Map.of());
        List<Long> group = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> local.run(request("sleep 60 & sleep 60", null, null).withProcessGroupListener(g -> {
                    group.add(g);
                    throw new IllegalStateException("its process group " + g + " could not be recorded");
                })))
                .isInstanceOf(TransportException.class)
                .hasMessage("stopped the command right after its start: its process group " + group.get(0)
                        + " could not be recorded");

        ProcessGroup stopped = ProcessGroup.of(group.get(0));
        await("group " + stopped.id() + " ended").atMost(Duration.ofSeconds(30)).until(() -> !stopped.alive());
    }

    /** The fields of {@code /proc/<pid>/stat} these tests read. */
    private record Stat(long pid, long parent, long group) {
        static Stat parse(String stat) {
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return new Stat(Long.parseLong(stat.substring(0, stat.indexOf(' '))), Long.parseLong(after[1]),
                    Long.parseLong(after[2]));
        }
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
