package io.fleetward.bench;

import com.sun.management.OperatingSystemMXBean;
import io.fleetward.Wiring;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.ssh.DefaultSshSettings;
import io.fleetward.transport.ssh.HostKeyPolicy;
import io.fleetward.transport.ssh.OpenSshServer;
import io.fleetward.transport.ssh.SshMetrics;
import io.fleetward.transport.ssh.SshSettings;
import io.fleetward.transport.ssh.SshTransport;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Probe rounds over 200 simulated hosts: one OpenSSH server on 0.0.0.0 reached at 127.0.1.1 ..
 * 127.0.1.200 (one known_hosts line per address). Compares what an administrator would script
 * ({@code xargs -P 32 ssh ... readlink}) with {@link SshTransport}: a first round on fresh
 * connections and steady-state rounds on pooled sessions. Controller CPU excludes sshd (a separate
 * process tree). Not part of the test suite; run with
 * {@code mvn -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.SshProbeBench}
 * ({@code -Dbench.hosts=200 -Dbench.parallelism=32 -Dbench.rounds=5}).
 */
public final class SshProbeBench {
    private static final String SYSTEM_PATH = "/nix/store/0c8wxn2kbvkm8shbn3vqkkrpnz6bb5ln-nixos-system-galena-25.05";

    private SshProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        // One log line per new session would bury the results.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        int hosts = Integer.getInteger("bench.hosts", 200);
        int parallelism = Integer.getInteger("bench.parallelism", 32);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Path work = Files.createTempDirectory("fleetward-ssh-bench");
        // Connection bursts are the point: sshd's default MaxStartups (10:30:100) would drop them.
        List<String> config = List.of("MaxStartups 1000", "MaxSessions 100", "PrintMotd no", "PrintLastLog no",
                "UseDNS no");
        try (OpenSshServer sshd = OpenSshServer.start(work.resolve("sshd"), "0.0.0.0", List.of("ed25519"), config)) {
            run(work, sshd, hosts, parallelism, rounds);
        } finally {
            delete(work);
        }
    }

    private static void run(Path work, OpenSshServer sshd, int hosts, int parallelism, int rounds) throws Exception {
        Path key = OpenSshServer.keygen("ed25519", work.resolve("id_ed25519"));
        sshd.authorize(Path.of(key + ".pub"));
        Path link = work.resolve("current-system");
        Files.createSymbolicLink(link, Path.of(SYSTEM_PATH));
        String command = "readlink " + CommandTemplate.quote(link.toString());
        List<String> fleet = addresses(1, hosts);
        List<String> warmup = addresses(2, 50);
        Path knownHosts = work.resolve("known_hosts");
        String hostKey = sshd.knownHostsLines().get(0).split(" ", 2)[1];
        Files.write(knownHosts, Stream.concat(fleet.stream(), warmup.stream())
                .map(a -> "[" + a + "]:" + sshd.port() + " " + hostKey).toList());
        System.out.printf("sshd %s:%d (MaxStartups 1000, MaxSessions 100), %d hosts, parallelism %d, %d CPUs%n",
                sshd.address(), sshd.port(), hosts, parallelism, Runtime.getRuntime().availableProcessors());
        System.out.printf("probe: %s%n%n", command);

        Measurement baseline = baseline(work, sshd, key, knownHosts, fleet, parallelism, command);
        print("baseline xargs -P " + parallelism + " ssh", hosts, baseline);

        SshSettings settings = DefaultSshSettings.of(Optional.of(key), knownHosts, HostKeyPolicy.STRICT);
        // Warm the JVM (class loading, JIT) on other addresses, so round 1 measures connections, not start-up.
        try (SshTransport warm = new SshTransport(settings, SshMetrics.NOOP, Wiring::sshAddress)) {
            print("warm-up: new sessions to 50 other addresses, parallelism 4", warmup.size(),
                    round(warm, warmup, sshd.port(), 4, command));
            print("warm-up: pooled sessions", warmup.size(), round(warm, warmup, sshd.port(), 4, command));
        }
        try (SshTransport ssh = new SshTransport(settings, SshMetrics.NOOP, Wiring::sshAddress)) {
            Measurement first = round(ssh, fleet, sshd.port(), parallelism, command);
            print("fleetward round 1 (new sessions; JVM warmed on 50 other addresses)", hosts, first);
            List<Measurement> steady = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                steady.add(round(ssh, fleet, sshd.port(), parallelism, command));
                print("fleetward round " + (i + 2) + " (pooled sessions)", hosts, steady.get(i));
            }
            Measurement best = steady.stream().min(Comparator.comparingDouble(Measurement::wallSeconds)).orElseThrow();
            double median = steady.stream().mapToDouble(Measurement::wallSeconds).sorted().toArray()[steady.size() / 2];
            System.out.printf("%nsessions opened: %d for %d probes%n", ssh.sessionsOpened(), hosts * (rounds + 1));
            System.out.printf("steady state vs baseline: %.1fx faster (median round), %.1fx (best); "
                    + "CPU per probe %.1fx less%n", baseline.wallSeconds() / median, baseline.wallSeconds()
                    / best.wallSeconds(), baseline.cpuSeconds() / median(steady));
            System.out.printf("round 1 vs baseline: %.1fx faster%n", baseline.wallSeconds() / first.wallSeconds());
        }
    }

    private record Measurement(double wallSeconds, double cpuSeconds) {
    }

    private static double median(List<Measurement> rounds) {
        return rounds.stream().mapToDouble(Measurement::cpuSeconds).sorted().toArray()[rounds.size() / 2];
    }

    private static Measurement round(SshTransport ssh, List<String> addresses, int port, int parallelism,
                                     String command) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            List<Future<CommandResult>> results = new ArrayList<>();
            for (String address : addresses) {
                results.add(pool.submit(() -> ssh.run(new CommandRequest("h", null, "root@" + address + ":" + port,
                        command, null, Map.of(), Duration.ofSeconds(60), null))));
            }
            for (Future<CommandResult> result : results) {
                check(result.get().stdout());
            }
            return new Measurement((System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Measurement baseline(Path work, OpenSshServer sshd, Path key, Path knownHosts, List<String> fleet,
                                        int parallelism, String command) throws Exception {
        Path list = work.resolve("hosts.txt");
        Files.write(list, fleet.stream().map(a -> "root@" + a).toList());
        Path out = work.resolve("baseline.out");
        Path times = work.resolve("baseline.time");
        List<String> ssh = List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null", "-i", key.toString(),
                "-p", String.valueOf(sshd.port()));
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", times.toString(), "-f", "%e %U %S",
                "xargs", "-P", String.valueOf(parallelism), "-I", "{}"));
        cmd.addAll(ssh);
        cmd.addAll(List.of("{}", command));
        Process p = new ProcessBuilder(cmd).redirectInput(list.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("baseline failed");
        }
        List<String> lines = Files.readAllLines(out);
        if (lines.size() != fleet.size()) {
            throw new IllegalStateException("baseline printed " + lines.size() + " lines for " + fleet.size() + " hosts");
        }
        lines.forEach(l -> check(l + "\n"));
        String[] t = Files.readString(times, StandardCharsets.UTF_8).trim().split("\\s+");
        return new Measurement(Double.parseDouble(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2]));
    }

    private static void check(String stdout) {
        if (!stdout.equals(SYSTEM_PATH + "\n")) {
            throw new IllegalStateException("unexpected probe output: " + stdout);
        }
    }

    private static void print(String what, int probes, Measurement m) {
        System.out.printf("%-70s wall %6.2f s  %7.1f probes/s  CPU %6.2f ms/probe%n", what, m.wallSeconds(),
                probes / m.wallSeconds(), m.cpuSeconds() * 1000 / probes);
    }

    private static List<String> addresses(int third, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "127.0." + third + "." + i).toList();
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
