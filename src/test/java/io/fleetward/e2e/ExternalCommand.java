package io.fleetward.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program (ssh-keygen, useradd, git, ssh, a stand-in) to completion. Output goes to temporary
 * files rather than pipes, so a program that leaves a child holding its output open cannot block us.
 */
final class ExternalCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ExternalCommand() {
    }

    /**
     * Runs {@code argv} with the JVM's environment plus {@code environment}, in {@code directory}
     * (null: the current one), with stdin from /dev/null.
     *
     * @throws IllegalStateException when it does not finish within a minute (it is killed)
     */
    static ProcessOutcome run(List<String> argv, Map<String, String> environment, Path directory) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("fleetward-e2e-", ".out");
            err = Files.createTempFile("fleetward-e2e-", ".err");
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(argv.get(0) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            return new ProcessOutcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Like {@link #run} with no extra environment; fails with the program's stderr when it exits non-zero. */
    static String require(String... argv) {
        ProcessOutcome outcome = run(List.of(argv), Map.of(), null);
        if (!outcome.succeeded()) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + outcome);
        }
        return outcome.out();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file is harmless; the outcome matters more.
            }
        }
    }
}
