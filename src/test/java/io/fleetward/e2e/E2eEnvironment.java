package io.fleetward.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether this machine can run the {@link OpenSshFleet}: root (useradd, sshd), OpenSSH server and
 * client, git and git-shell. Without them the end-to-end tests are skipped, unless
 * {@code FLEETWARD_E2E_REQUIRED=1} (set by CI), which makes them fail instead.
 */
public final class E2eEnvironment {
    /** The environment variable that turns a skip into a failure. */
    public static final String REQUIRED = "FLEETWARD_E2E_REQUIRED";

    private static final List<String> PROGRAMS = List.of("/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/ssh-keygen",
            "/usr/bin/git", "/usr/bin/git-shell", "/usr/sbin/useradd");

    private E2eEnvironment() {
    }

    /** Skips the calling test (class) when the fleet cannot run here, or fails it when CI requires it. */
    public static void assumeReady() {
        List<String> missing = missing();
        String reason = "the OpenSSH end-to-end fleet cannot run here: " + String.join(", ", missing);
        if (!missing.isEmpty() && "1".equals(System.getenv(REQUIRED))) {
            fail(reason + " (and " + REQUIRED + "=1)");
        }
        assumeTrue(missing.isEmpty(), reason);
    }

    /** Whether the fleet can run here. */
    public static boolean ready() {
        return missing().isEmpty();
    }

    private static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!runsAsRoot()) {
            missing.add("not running as root");
        }
        for (String program : PROGRAMS) {
            if (!Files.isExecutable(Path.of(program))) {
                missing.add(program + " is not installed");
            }
        }
        return missing;
    }

    /** /proc/self belongs to the user the JVM runs as. */
    private static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
