package io.fleetward.operate;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetward.e2e.E2eEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real command-line tool the deploy files are checked with ({@code promtool}, {@code
 * nix-instantiate}), installed from Debian by {@code .ci/run}. Where it is missing the calling test
 * is skipped, unless {@code FLEETWARD_E2E_REQUIRED=1} (CI), which makes it fail instead.
 */
record InstalledTool(Path executable, String debianPackage) {
    static final InstalledTool PROMTOOL = new InstalledTool(Path.of("/usr/bin/promtool"), "prometheus");
    static final InstalledTool NIX_INSTANTIATE = new InstalledTool(Path.of("/usr/bin/nix-instantiate"), "nix-bin");

    /** Skips the calling test when the tool is missing, or fails it when CI requires it. */
    void assumeInstalled() {
        String reason = executable + " is not installed (Debian package " + debianPackage + ")";
        if (!Files.isExecutable(executable) && "1".equals(System.getenv(E2eEnvironment.REQUIRED))) {
            fail(reason + " (and " + E2eEnvironment.REQUIRED + "=1)");
        }
        assumeTrue(Files.isExecutable(executable), reason);
    }

    /** Runs the tool in {@code dir} with {@code args}, within 2 minutes. */
    Run run(Path dir, String... args) {
        assumeInstalled();
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path stderr = null;
        try {
            stderr = Files.createTempFile("fleetward-tool", ".stderr");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 2 minutes");
            }
            return new Run(command, process.exitValue(), new String(output, StandardCharsets.UTF_8),
                    Files.readString(stderr));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }

    /** One finished run: exit code, standard output and standard error. */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        /** Both streams, for messages and for tools that report on either. */
        String output() {
            return stdout + stderr;
        }

        /** Fails with the command and its output unless it exited 0. */
        Run succeeded() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output());
            }
            return this;
        }
    }
}
