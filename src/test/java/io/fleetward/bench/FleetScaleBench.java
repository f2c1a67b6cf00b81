package io.fleetward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.FleetProfile;
import io.fleetward.transport.CommandTemplate;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The packaged daemon ({@code target/quarkus-app/quarkus-run.jar}, or {@code -Dbench.jar=...})
 * against a generated fleet of {@code -Dbench.hosts} NixOS hosts (default 1,000) on the stand-in
 * tools of {@code config/demo/bin} (local transport: every probe and deploy is a real process), as a
 * subprocess of its own. Every host starts at the first revision and reports it as its
 * configurationRevision, so the daemon converges by probing alone. Measures, in this order:
 * <ol>
 *   <li>convergence from nothing deployed (every host deployed once), and RSS then;</li>
 *   <li>no-change passes ({@code POST /api/v1/refresh} with nothing new): the pass's wall time (from
 *       {@code fleetward_reconcile_duration_seconds}) and the daemon's CPU, itself and its children
 *       (from {@code /proc/<pid>/stat}), while the pass runs; RSS after them;</li>
 *   <li>one-host commits: commit -> the deploy command started (it records its own start), and ->
 *       the target {@code IN_SYNC} at the new revision in {@code GET /api/v1/targets/{id}};</li>
 *   <li>{@code GET /api/v1/targets} and {@code GET /api/v1/targets/{id}} latency; {@code /q/metrics} lines;</li>
 *   <li>a redeploy of {@code -Dbench.redeploy} hosts (default 100: one commit changes their folders), and RSS
 *       after it.</li>
 * </ol>
 * Not part of the test suite; run with
 * {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.FleetScaleBench}
 * ({@code -Dbench.hosts=1000 -Dbench.polls=5 -Dbench.commits=3 -Dbench.redeploy=100
 * -Dbench.parallelism=16 -Dbench.jvm="-Xmx96m ..."} (JVM options of the daemon; default: those of
 * {@code deploy/fleetward.service}, {@code -Dbench.jvm=none} for the JVM's defaults)
 * {@code -Dbench.daemon.<key>=<value>} passes {@code -D<key>=<value>} to the daemon).
 */
public final class FleetScaleBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DAEMON_PREFIX = "bench.daemon.";
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Path root;
    private final Path repo;
    private final Path starts;
    private final Path daemonLog;
    private final int hosts;
    private final String token = FleetProfile.randomToken();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;
    private Process daemon;

    private FleetScaleBench(Path root, int hosts) {
        this.root = root;
        this.repo = root.resolve("repo");
        this.starts = root.resolve("deploy-starts.txt");
        this.daemonLog = root.resolve("daemon.log");
        this.hosts = hosts;
    }

    public static void main(String[] args) throws Exception {
        int hosts = Integer.getInteger("bench.hosts", 1000);
        Path root = Files.createTempDirectory("fleetward-scale-");
        try {
            new FleetScaleBench(root, hosts).run();
        } finally {
            PackagedDaemon.delete(root);
        }
    }

    private static String host(int i) {
        return String.format("h%04d", i);
    }

    private void run() throws Exception {
        Path jar = PackagedDaemon.jar();
        generate();
        int port = PackagedDaemon.freePort();
        base = URI.create("http://127.0.0.1:" + port);
        List<String> command = daemonCommand(jar, port);
        System.out.printf("machine: %d CPUs, Java %s; fleet: %d NixOS hosts (local stand-ins: each probe and "
                + "deploy is a real process)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), hosts);
        System.out.printf("daemon: %s%n", String.join(" ", command.stream()
                .filter(a -> !a.startsWith("-Dfleetward.api.token-hashes")).toList()));
        long boot = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(daemonLog.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (!"none".equals(System.getProperty("bench.jvm"))) {
            builder.environment().put("MALLOC_ARENA_MAX", "2"); // as deploy/fleetward.service sets it
            System.out.println("environment: MALLOC_ARENA_MAX=2");
        }
        daemon = builder.start();
        Thread stopOnExit = new Thread(() -> PackagedDaemon.stop(daemon), "stop-fleetward-daemon");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            step("the daemon to answer", Duration.ofMinutes(2), () -> PackagedDaemon.answers(http,
                    base.resolve("/q/health/ready")));
            String head = head();
            step("every target in sync", Duration.ofMinutes(60), () -> inSync(head) == hosts);
            System.out.printf("%nconverged (every host probed, none deployed) in %.1f s from launch; RSS %s%n",
                    (System.nanoTime() - boot) / 1e9, rss());
            settle(); // the last passes' writes
            System.out.printf("RSS after converge: %s%n", rss());

            noChangePasses(Integer.getInteger("bench.polls", 5));
            System.out.printf("RSS after polls: %s%n", rss());

            oneHostCommits(Integer.getInteger("bench.commits", 3));
            reads();
            metricsLines();

            int redeploy = Math.min(hosts, Integer.getInteger("bench.redeploy", 100));
            if (redeploy > 0) {
                for (int i = 0; i < redeploy; i++) {
                    Files.writeString(repo.resolve("modules/machines/nixos").resolve(host(i)).resolve("default.nix"),
                            "# bench redeploy\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                }
                String revision = commit("README.md", "bench redeploy\n", "bench redeploy of " + redeploy + " hosts");
                long start = System.nanoTime();
                refresh();
                step("every target in sync after the redeploy", Duration.ofMinutes(60),
                        () -> inSync(revision) == hosts);
                System.out.printf("%nredeploy of %d hosts in %.1f s%n", redeploy, (System.nanoTime() - start) / 1e9);
                settle();
                System.out.printf("RSS after the redeploy: %s%n", rss());
                noChangePasses(2);
                System.out.printf("RSS after the redeploy and 2 polls: %s%n", rss());
            }
        } catch (Exception | AssertionError e) {
            PackagedDaemon.printLogTail(daemonLog);
            throw e;
        } finally {
            PackagedDaemon.finish(daemon, stopOnExit, daemonLog);
        }
    }

    /** The fleet's repository: a flake, a shared NixOS module and one folder per host; and the stand-in tools. */
    private void generate() throws Exception {
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("flake.nix"), "{ outputs = _: { }; }\n");
        Files.writeString(repo.resolve("flake.lock"), "{ \"nodes\": { }, \"version\": 7 }\n");
        Files.createDirectories(repo.resolve("modules/nixos"));
        Files.writeString(repo.resolve("modules/nixos/default.nix"), "{ ... }: { }\n");
        for (int i = 0; i < hosts; i++) {
            Path dir = repo.resolve("modules/machines/nixos").resolve(host(i));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("default.nix"), "{ ... }: { networking.hostName = \"" + host(i) + "\"; }\n");
        }
        for (String dir : new String[]{"bin", "lib"}) {
            copyTree(Path.of("config/demo").resolve(dir), root.resolve("sim").resolve(dir));
        }
        try (Stream<Path> tools = Files.list(root.resolve("sim/bin"))) {
            tools.forEach(tool -> tool.toFile().setExecutable(true, false));
        }
        String head;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("bench", "bench@example.org");
            head = git.commit().setMessage("generated fleet").setAuthor(who).setCommitter(who).setSign(false).call()
                    .getName();
        }
        // Every host already runs the first revision and reports it as its configurationRevision (as
        // a flake setting system.configurationRevision does): converging needs probes, no deploys.
        for (int i = 0; i < hosts; i++) {
            Path state = root.resolve("sim/hosts").resolve(host(i));
            Files.createDirectories(state.resolve("run"));
            String path = "/nix/store/" + storeHash(host(i)) + "-nixos-system-" + host(i) + "-25.11.20251120.8c7d460";
            Files.createSymbolicLink(state.resolve("run/current-system"), Path.of(path));
            Files.createSymbolicLink(state.resolve("run/booted-system"), Path.of(path));
            Files.writeString(state.resolve("system-version"), "25.11.20251120.8c7d460 "
                    + "8c7d4607d95b8fe068b130468746b380a5faa2b9 f29ddbe7299086efd67fbbb28f24a481984206e9\n");
            Files.writeString(state.resolve("configuration-revision"), head + "\n");
        }
    }

    /** 32 characters of Nix's base-32 alphabet, from {@code text}. */
    private static String storeHash(String text) throws Exception {
        String alphabet = "0123456789abcdfghijklmnpqrsvwxyz";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hash = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            hash.append(alphabet.charAt((digest[i] & 0xff) % 32));
        }
        return hash.toString();
    }

    private String commit(String path, String text, String message) throws Exception {
        Files.writeString(repo.resolve(path), text, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        try (Git git = Git.open(repo.toFile())) {
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("bench", "bench@example.org");
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call()
                    .getName();
        }
    }

    private String head() throws IOException {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().resolve("refs/heads/main").getName();
        }
    }

    private List<String> daemonCommand(Path jar, int port) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("fleetward.source.url", repo.toString());
        config.put("fleetward.data-dir", root.resolve("data").toString());
        config.put("fleetward.transport.local.simulation-root", root.resolve("sim").toString());
        config.put("fleetward.transport.default", "local");
        config.put("fleetward.source.poll-interval", "1h");
        config.put("fleetward.deploy.parallelism", System.getProperty("bench.parallelism", "16"));
        config.put("fleetward.api.token-hashes", HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))));
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.log.console.format", "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%c{1}] %s%e%n");
        // The deploy records its start, then activates; the stand-in clan does not write a NixOS
        // configurationRevision, which these configurations set: the command writes it after.
        config.put("fleetward.commands.system-deploy",
                "printf '%s %s %s\\n' \"$(date +%s%N)\" {host} \"$FLEETWARD_REV\" >> "
                + CommandTemplate.quote(starts.toString()) + " && clan machines update {host} && printf '%s\\n' "
                + "\"$FLEETWARD_REV\" > " + CommandTemplate.quote(root.resolve("sim/hosts").toString()) + "/{host}"
                + "/configuration-revision");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(DAEMON_PREFIX)).sorted()
                .forEach(k -> config.put(k.substring(DAEMON_PREFIX.length()), System.getProperty(k)));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** {@code -Dbench.jvm}, else the options of the shipped systemd unit ({@code FLEETWARD_JAVA_OPTS}). */
    private static List<String> jvmOptions() throws IOException {
        String given = System.getProperty("bench.jvm");
        if ("none".equals(given)) {
            return List.of();
        }
        if (given != null) {
            return Arrays.asList(given.trim().split("\\s+"));
        }
        for (String line : Files.readAllLines(Path.of("deploy/fleetward.service"))) {
            String prefix = "Environment=\"FLEETWARD_JAVA_OPTS=";
            if (line.startsWith(prefix)) {
                return Arrays.asList(line.substring(prefix.length(), line.length() - 1).trim().split("\\s+"));
            }
        }
        return List.of();
    }

    private void noChangePasses(int count) throws Exception {
        System.out.printf("%nno-change passes (POST /api/v1/refresh, nothing new):%n");
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] before = reconcileTimer();
            long cpuBefore = cpuTicks();
            refresh();
            step("a pass after the refresh", Duration.ofMinutes(10), () -> reconcileTimer()[0] > before[0]);
            // The pass and whatever it asked for (none, when nothing changed).
            double[] after = settle();
            long cpu = cpuTicks() - cpuBefore;
            walls.add((after[1] - before[1]) * 1000);
            cpus.add(cpu * 1000.0 / TICKS_PER_SECOND);
            System.out.printf("  pass %d: %d pass(es), wall %.0f ms, daemon CPU (self + children) %.0f ms%n", i + 1,
                    (long) (after[0] - before[0]), (after[1] - before[1]) * 1000, cpu * 1000.0 / TICKS_PER_SECOND);
        }
        System.out.printf("  median: wall %.0f ms, CPU %.0f ms%n", median(walls), median(cpus));
    }

    /** Waits until no pass ran for 500 ms (two polls of the reconcile timer agree); the timer then. */
    private double[] settle() throws Exception {
        double[][] last = {reconcileTimer()};
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(10)).pollDelay(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    double[] now = reconcileTimer();
                    boolean quiet = now[0] == last[0][0];
                    last[0] = now;
                    return quiet;
                });
        return last[0];
    }

    private void oneHostCommits(int count) throws Exception {
        System.out.printf("%none-host commits (then POST /api/v1/refresh):%n");
        List<Double> toStart = new ArrayList<>();
        List<Double> toSync = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String host = host((i * 7919 + 7) % hosts);
            String revision = commit("modules/machines/nixos/" + host + "/default.nix", "# bench change " + i + "\n",
                    host + ": bench change");
            long sent = System.currentTimeMillis();
            long sentNanos = System.nanoTime();
            refresh();
            long[] started = new long[1];
            step("the deploy of " + host, Duration.ofMinutes(10), () -> {
                started[0] = deployStart(host, revision);
                return started[0] > 0;
            });
            step(host + " in sync", Duration.ofMinutes(10), () -> {
                JsonNode target = get("/api/v1/targets/system:" + host);
                return "IN_SYNC".equals(target.path("status").asText())
                        && revision.equals(target.path("desiredRevision").asText());
            });
            double sync = (System.nanoTime() - sentNanos) / 1e6;
            double start = started[0] / 1e6 - sent;
            toStart.add(start);
            toSync.add(sync);
            System.out.printf("  %s: commit -> deploy start %.0f ms, -> IN_SYNC %.0f ms%n", host, start, sync);
            settle();
        }
        System.out.printf("  median: -> deploy start %.0f ms, -> IN_SYNC %.0f ms%n", median(toStart), median(toSync));
    }

    private void reads() throws Exception {
        long[] list = new long[30];
        for (int i = 0; i < list.length; i++) {
            long t = System.nanoTime();
            get("/api/v1/targets");
            list[i] = System.nanoTime() - t;
        }
        long[] one = new long[200];
        for (int i = 0; i < one.length; i++) {
            long t = System.nanoTime();
            get("/api/v1/targets/system:" + host(i % hosts));
            one[i] = System.nanoTime() - t;
        }
        Arrays.sort(list);
        Arrays.sort(one);
        System.out.printf("%nGET /api/v1/targets (%d targets): p50 %.1f ms, max %.1f ms; GET /api/v1/targets/{id}: "
                + "p50 %.2f ms, p99 %.2f ms%n", hosts, list[list.length / 2] / 1e6, list[list.length - 1] / 1e6,
                one[one.length / 2] / 1e6, one[one.length * 99 / 100] / 1e6);
    }

    private void metricsLines() throws Exception {
        String text = http.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Integer> byFamily = new TreeMap<>();
        int total = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            total++;
            int end = line.indexOf('{');
            String name = end < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, end);
            if (name.startsWith("fleetward_target")) {
                byFamily.merge(name, 1, Integer::sum);
            }
        }
        System.out.printf("%n/q/metrics: %d sample lines (%.2f per target); %s%n", total, total / (double) hosts,
                byFamily);
    }

    private void refresh() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/refresh"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("refresh: " + answer.statusCode() + " " + answer.body());
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    /** How many targets are IN_SYNC at {@code revision}. */
    private long inSync(String revision) throws Exception {
        long n = 0;
        for (JsonNode target : get("/api/v1/targets")) {
            if ("IN_SYNC".equals(target.path("status").asText())
                    && revision.equals(target.path("desiredRevision").asText())) {
                n++;
            }
        }
        return n;
    }

    /** Count and sum (seconds) of {@code fleetward_reconcile_duration_seconds}. */
    private double[] reconcileTimer() throws Exception {
        String text = http.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double count = 0;
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("fleetward_reconcile_duration_seconds_count")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("fleetward_reconcile_duration_seconds_sum")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[]{count, sum};
    }

    /** When the deploy command of {@code host} at {@code revision} started (epoch nanoseconds), or 0. */
    private long deployStart(String host, String revision) throws IOException {
        if (!Files.exists(starts)) {
            return 0;
        }
        for (String line : Files.readAllLines(starts)) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[1].equals(host) && f[2].equals(revision)) {
                return Long.parseLong(f[0]);
            }
        }
        return 0;
    }

    /** The daemon's CPU time, its own and its waited-for children's, in clock ticks. */
    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(daemon.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the command: state(3) ... utime(14) stime(15) cutime(16) cstime(17), 1-based over the whole line
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    private String rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(daemon.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                long kib = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format("%.0f MiB", kib / 1024.0);
            }
        }
        return "?";
    }

    private void step(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        // Asking for every target's status is itself work for the daemon: fleet-wide waits poll slowly.
        Duration poll = what.startsWith("every target") ? Duration.ofSeconds(1) : Duration.ofMillis(50);
        PackagedDaemon.awaitStep(what, daemon, atMost, poll, condition);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
