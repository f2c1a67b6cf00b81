package io.fleetward.bench;

import io.fleetward.e2e.E2eEnvironment;
import io.fleetward.e2e.OpenSshFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How long the end-to-end tests' {@link OpenSshFleet} takes to start its nine sshds (eight hosts and
 * the git server), from launching the first to the last answering on its port; the rest of the
 * set-up (accounts, keys, repository) is not counted. Each round lays out and starts a fresh fleet.
 * Needs what the end-to-end tests need (root, OpenSSH server and client, git). Not part of the test
 * suite; run with
 * {@code mvn -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.SshFleetStartupBench}
 * ({@code -Dbench.rounds=5}).
 */
public final class SshFleetStartupBench {
    private static final Duration GOAL = Duration.ofSeconds(5);

    private SshFleetStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!E2eEnvironment.ready()) {
            throw new IllegalStateException("the OpenSSH fleet cannot run here: run as root, with OpenSSH and git");
        }
        int rounds = Integer.getInteger("bench.rounds", 5);
        System.out.printf("%d CPUs, Java %s; %d rounds, each a fresh fleet of nine sshds%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds);
        List<Duration> startups = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            Path root;
            try (OpenSshFleet fleet = OpenSshFleet.start()) {
                startups.add(fleet.startupTime());
                root = fleet.simulation().getParent();
            }
            System.out.printf("round %d: nine sshds answering after %d ms%n", i, startups.get(i - 1).toMillis());
            delete(root);
        }
        List<Duration> sorted = startups.stream().sorted().toList();
        Duration slowest = sorted.get(sorted.size() - 1);
        System.out.printf("%nmin %d ms, median %d ms, max %d ms; goal: every round under %d s: %s%n",
                sorted.get(0).toMillis(), sorted.get(sorted.size() / 2).toMillis(), slowest.toMillis(),
                GOAL.toSeconds(), slowest.compareTo(GOAL) < 0 ? "met" : "NOT met");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
