package io.fleetward;

import static org.awaitility.Awaitility.await;

import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.ProcessGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/** Real process trees for tests of killing and ending them, read from {@code /proc}. */
public final class ProcessTrees {
    private ProcessTrees() {
    }

    /** Whether process {@code pid} has ended: gone, or a zombie that its new parent has not reaped yet. */
    public static boolean ended(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // "<pid> (<command>) <state> ...": the state follows the command name, which may hold spaces.
        return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    }

    /**
     * Starts {@code children} (shell commands ending in {@code &}) and a shell that waits for them, in a
     * process group of their own with {@code environment}, as a deploy command runs; returns once all run.
     *
     * @param dir where a marker file says the children were started
     */
    public static ProcessGroup startGroup(Path dir, String children, Map<String, String> environment)
            throws IOException {
        Path ready = Files.createTempFile(dir, "ready-", "");
        Files.delete(ready);
        ProcessBuilder builder = new ProcessBuilder("setsid", "/bin/sh", "-c",
                children + " : > " + CommandTemplate.quote(ready.toString()) + "; wait")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process = builder.start();
        await("the group started").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ready)
                && ProcessGroup.groupOf(process.pid()).equals(OptionalLong.of(process.pid())));
        return ProcessGroup.of(process.pid());
    }
}
