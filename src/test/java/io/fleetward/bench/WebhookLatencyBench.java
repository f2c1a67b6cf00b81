package io.fleetward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetward.SimulatedFleet;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.webhook.ForgeRequest;
import io.fleetward.webhook.Provider;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Latency from a signed GitHub push webhook to the start of the first deploy command, on the
 * packaged daemon ({@code target/quarkus-app/quarkus-run.jar}, built beforehand with
 * {@code mvn -B -q package -DskipTests}) started as a subprocess against the simulated reference
 * fleet, whose source is a local bare repository.
 *
 * <p>The deploy command records the wall clock ({@code date +%s%N}) before it runs the stand-in
 * {@code clan machines update}; latency is that time minus the wall clock taken just before the
 * request is sent. Each push changes one host's folder (rotating over every host) and waits until
 * the fleet is in sync and the daemon idle again, so pushes never queue behind each other. The
 * breakdown comes from the daemon's own log lines (millisecond timestamps). Last, a burst of pushes
 * sent from several threads at once measures how long the answers take when requests queue.
 *
 * <p>Not part of the test suite; run with
 * {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.WebhookLatencyBench}
 * ({@code -Dbench.pushes=200 -Dbench.warmup=10 -Dbench.burst=1000} (0: no burst)
 * {@code -Dbench.jar=target/quarkus-app/quarkus-run.jar}; to look closer,
 * {@code -Dbench.daemon.<key>=<value>} passes {@code -D<key>=<value>} to the daemon, e.g. a DEBUG
 * log category, and {@code -Dbench.log=<file>} keeps a copy of the daemon's log).
 */
public final class WebhookLatencyBench {
    private static final String REPOSITORY = "example/fleet";
    private static final String BRANCH = "main";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*");
    private static final Pattern ACCEPTED = Pattern.compile("webhook github delivery (\\S+): accepted:");
    private static final Pattern FETCHED = Pattern.compile("branch '[^']*' moved \\S+ -> ([0-9a-f]+).* \\((\\d+) ms\\)$");
    private static final Pattern INVENTORY = Pattern.compile("inventory at ([0-9a-f]+): \\d+ hosts");
    private static final Pattern PLANNED = Pattern.compile("plan: deploy (\\S+) at ([0-9a-f]+) ");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BURST_SENDERS = 4;
    /** Bench properties with this prefix are passed on to the daemon without it. */
    private static final String DAEMON_PREFIX = "bench.daemon.";

    private final SimulatedFleet fleet;
    private final Path bare;
    private final Path starts;
    private final Path daemonLog;
    private final String secret = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;

    private WebhookLatencyBench(SimulatedFleet fleet) {
        this.fleet = fleet;
        this.bare = fleet.root().resolve("fleet.git");
        this.starts = fleet.root().resolve("deploy-starts.txt");
        this.daemonLog = fleet.root().resolve("daemon.log");
    }

    /** One measured push: what was sent and when, and what the daemon did about it. */
    private record Push(String host, String revision, String delivery, long sentNanos, long answeredNanos,
                        long startNanos) {
        long latencyNanos() {
            return startNanos - sentNanos;
        }
    }

    /** When the daemon logged each step of one push, in epoch milliseconds; the fetch's own duration in ms. */
    private record Milestones(long accepted, long fetched, long fetchMillis, long inventory, long planned) {
    }

    public static void main(String[] args) throws Exception {
        int pushes = Integer.getInteger("bench.pushes", 200);
        int warmup = Integer.getInteger("bench.warmup", 10);
        int burst = Integer.getInteger("bench.burst", 1000);
        Path jar = PackagedDaemon.jar();
        SimulatedFleet fleet = SimulatedFleet.create();
        try {
            new WebhookLatencyBench(fleet).run(jar, warmup, pushes, burst);
        } finally {
            PackagedDaemon.delete(fleet.root());
        }
    }

    private void run(Path jar, int warmup, int pushes, int burst) throws Exception {
        Path workingRepo = fleet.root().resolve("repo"); // where SimulatedFleet commits
        try (Git upstream = Git.cloneRepository().setURI(workingRepo.toUri().toString()).setDirectory(bare.toFile())
                .setBare(true).call()) {
            // The upstream stands in for a forge, which repacks on its own schedule. Left on, JGit's
            // receive-pack would run a gc of it in this JVM on every push once it holds 50 packs,
            // taking CPU from the daemon and slowing its fetches.
            StoredConfig config = upstream.getRepository().getConfig();
            config.setBoolean("receive", null, "autogc", false);
            config.setInt("gc", null, "auto", 0);
            config.setInt("gc", null, "autopacklimit", 0);
            config.save();
        }
        int port = PackagedDaemon.freePort();
        base = URI.create("http://127.0.0.1:" + port);
        List<String> command = daemonCommand(jar, port);
        System.out.printf("machine: %d CPUs, %s %s %s, Java %s (%s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"));
        System.out.printf("daemon: %s -jar %s (default JVM options), port %d%n", command.get(0), jar, port);
        System.out.printf("source: local bare repository %s (its auto-gc off, as a forge's), reached by the daemon "
                + "as a local path; fleet: demo reference fleet (stand-in tools, local transport)%n", bare);
        System.out.println("settings: webhook coalesce-window 0s (every push nudges at once, as an isolated push does "
                + "under the default 10s window), poll-interval 1h, probe and deploy parallelism at their defaults");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(DAEMON_PREFIX)).sorted()
                .forEach(k -> System.out.printf("extra daemon setting: %s=%s%n", k.substring(DAEMON_PREFIX.length()),
                        System.getProperty(k)));

        Process daemon = new ProcessBuilder(command).directory(fleet.root().toFile()).redirectErrorStream(true)
                .redirectOutput(daemonLog.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // Interrupted (the JVM exits before any finally runs): still stop the daemon and clean up.
        Thread stopOnExit = new Thread(() -> {
            PackagedDaemon.stop(daemon);
            try {
                PackagedDaemon.delete(fleet.root());
            } catch (IOException e) {
                System.err.println("could not delete " + fleet.root() + ": " + e.getMessage());
            }
        }, "stop-fleetward-daemon");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            long boot = System.nanoTime();
            awaitStep("the daemon to answer /q/health/ready", daemon, () -> PackagedDaemon.answers(http, base.resolve("/q/health/ready")));
            double readySeconds = (System.nanoTime() - boot) / 1e9;
            String head = headOf(bare);
            awaitStep("every target in sync", daemon, () -> allInSync(head));
            int targets = targets().size();
            System.out.printf("daemon ready in %.1f s, %d targets in sync at %s after %.1f s%n", readySeconds, targets,
                    head.substring(0, 12), (System.nanoTime() - boot) / 1e9);

            List<String> folders = hostFolders(workingRepo);
            System.out.printf("pushes: %d warm-up (not counted), then %d measured; each changes one host folder, "
                    + "rotating over %d hosts; the next push waits until the fleet is in sync and the daemon idle%n%n",
                    warmup, pushes, folders.size());
            double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            List<Push> measured = new ArrayList<>();
            for (int i = 0; i < warmup + pushes; i++) {
                Push push = push(daemon, workingRepo, folders.get(i % folders.size()), i);
                if (i >= warmup) {
                    measured.add(push);
                }
            }
            double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            report(measured, DaemonLog.read(daemonLog));
            // Other work on the machine shares its CPUs with the daemon and shows in every step.
            System.out.printf("system load average (1 min): %.2f before the pushes, %.2f after%n", loadBefore,
                    loadAfter);
            System.out.printf("daemon's clone: %d pack files after %d fetches that moved the branch%n",
                    packFiles(fleet.data()), warmup + pushes + 1);
            if (burst > 0) {
                burst(burst);
            }
        } catch (Exception | AssertionError e) {
            PackagedDaemon.printLogTail(daemonLog);
            throw e;
        } finally {
            PackagedDaemon.finish(daemon, stopOnExit, daemonLog);
        }
    }

    private List<String> daemonCommand(Path jar, int port) {
        Map<String, String> config = new LinkedHashMap<>(fleet.config());
        config.put("fleetward.source.url", bare.toString());
        config.put("fleetward.webhook.github.secret", secret);
        config.put("fleetward.webhook.repository", REPOSITORY);
        config.put("fleetward.webhook.coalesce-window", "0s");
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.http.host", "127.0.0.1");
        // A full date in the log: the breakdown lines its timestamps up with the bench's wall clock.
        config.put("quarkus.log.console.format", "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%c{1}] %s%e%n");
        // The start of the deploy command: wall clock, host and revision, then the stand-in clan.
        config.put("fleetward.commands.system-deploy",
                "printf '%s %s %s\\n' \"$(date +%s%N)\" {host} \"$FLEETWARD_REV\" >> "
                + CommandTemplate.quote(starts.toString()) + " && clan machines update {host}");
        List<String> command = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(DAEMON_PREFIX)).sorted()
                .forEach(k -> config.put(k.substring(DAEMON_PREFIX.length()), System.getProperty(k)));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private Push push(Process daemon, Path workingRepo, String folder, int index) throws Exception {
        String host = folder.substring(folder.lastIndexOf('/') + 1);
        String before = headOf(bare);
        String path = folder + "/default.nix";
        String revision = fleet.touch(path, host + ": bench push " + index);
        try (Git git = Git.open(workingRepo.toFile())) {
            String ref = "refs/heads/" + BRANCH;
            git.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec(ref + ":" + ref))
                    .call();
        }
        String delivery = UUID.randomUUID().toString();
        byte[] body = payload(before, revision, path, host);
        ForgeRequest signed = ForgeRequest.push(Provider.GITHUB, secret, body, delivery);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/webhooks/github"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
        signed.headers().forEach(request::header);
        long passesBefore = reconcilePasses();
        long sent = epochNanos();
        long sentMono = System.nanoTime();
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long answered = sent + (System.nanoTime() - sentMono);
        if (answer.statusCode() != 202 || !answer.body().contains("accepted")) {
            throw new IllegalStateException("push " + index + " was not accepted: " + answer.statusCode() + " "
                    + answer.body());
        }
        long[] start = new long[1];
        awaitStep("the deploy command of " + host + " at " + revision.substring(0, 12), daemon, () -> {
            start[0] = deployStart(host, revision);
            return start[0] > 0;
        });
        // The webhook's fetch pass and the pass after the deployment: then the daemon is idle.
        awaitStep(host + " in sync at " + revision.substring(0, 12), daemon,
                () -> allInSync(revision) && reconcilePasses() >= passesBefore + 2);
        return new Push(host, revision, delivery, sent, answered, start[0]);
    }

    /**
     * {@code count} signed pushes of revisions the repository does not have (so nothing deploys) from
     * {@value #BURST_SENDERS} threads at once, as a forge delivering a backlog: how long the answers take
     * while requests queue behind each other. Run last: the fetches it asks for follow the measured pushes.
     */
    private void burst(int count) throws Exception {
        String head = headOf(bare);
        List<Callable<Long>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] commit = new byte[20];
            RANDOM.nextBytes(commit);
            ForgeRequest signed = ForgeRequest.push(Provider.GITHUB, secret,
                    payload(head, HexFormat.of().formatHex(commit), "flake.nix", "burst"), UUID.randomUUID().toString());
            sends.add(() -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/webhooks/github"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()));
                signed.headers().forEach(request::header);
                long sent = System.nanoTime();
                HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - sent;
                if (answer.statusCode() != 202 || !answer.body().contains("accepted")) {
                    throw new IllegalStateException("a burst push was not accepted: " + answer.statusCode() + " "
                            + answer.body());
                }
                return took;
            });
        }
        ExecutorService senders = Executors.newFixedThreadPool(BURST_SENDERS);
        long[] answers = new long[count];
        long start = System.nanoTime();
        try {
            List<Future<Long>> results = senders.invokeAll(sends);
            for (int i = 0; i < count; i++) {
                answers[i] = results.get(i).get();
            }
        } finally {
            senders.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nburst: %d signed pushes of unknown revisions from %d threads at once, in %.2f s "
                + "(%.0f requests/s)%n", count, BURST_SENDERS, seconds, count / seconds);
        printRow("HTTP answer (client)", answers);
        double slowest = percentile(answers, 100) / 1e6;
        System.out.printf("goal: slowest answer < 2000 ms: %s (max %.1f ms)%n", slowest < 2000 ? "met" : "NOT met",
                slowest);
    }

    /** The stored GitHub push payload, rewritten for this push. */
    private static byte[] payload(String before, String after, String path, String host) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(ForgeRequest.payload("github-push.json"));
        root.put("before", before).put("after", after);
        ObjectNode repository = (ObjectNode) root.get("repository");
        repository.put("full_name", REPOSITORY).put("name", "fleet");
        ObjectNode commit = (ObjectNode) root.get("commits").get(0);
        commit.put("id", after).put("message", host + ": bench push");
        ArrayNode modified = commit.putArray("modified");
        modified.add(path);
        ((ObjectNode) root.get("head_commit")).put("id", after).put("message", host + ": bench push");
        return JSON.writeValueAsBytes(root);
    }

    private static void report(List<Push> pushes, DaemonLog log) {
        System.out.printf("latency, signed webhook sent -> first deploy command started (%d pushes)%n", pushes.size());
        printRow("total", pushes, Push::latencyNanos);
        printRow("HTTP answer (client)", pushes, p -> p.answeredNanos() - p.sentNanos());
        System.out.println();
        System.out.println("breakdown from the daemon log (timestamps in whole ms, so each step is +-1 ms):");
        Map<Push, Milestones> traced = new LinkedHashMap<>();
        pushes.forEach(p -> log.of(p).ifPresent(m -> traced.put(p, m)));
        if (traced.size() < pushes.size()) {
            System.out.printf("  (%d pushes lack a log line and are left out of the breakdown)%n",
                    pushes.size() - traced.size());
        }
        List<Push> tracedPushes = List.copyOf(traced.keySet());
        Map<String, ToLongFunction<Push>> steps = new LinkedHashMap<>();
        steps.put("sent -> webhook accepted", p -> nanosOf(traced.get(p).accepted()) - p.sentNanos());
        steps.put("accepted -> fetch done", p -> nanosOf(traced.get(p).fetched() - traced.get(p).accepted()));
        steps.put("  of which the fetch itself", p -> nanosOf(traced.get(p).fetchMillis()));
        steps.put("fetch done -> inventory read", p -> nanosOf(traced.get(p).inventory() - traced.get(p).fetched()));
        steps.put("inventory -> plan (drift, re-probe)",
                p -> nanosOf(traced.get(p).planned() - traced.get(p).inventory()));
        steps.put("plan -> deploy command started", p -> p.startNanos() - nanosOf(traced.get(p).planned()));
        steps.forEach((name, step) -> printRow(name, tracedPushes, step));
        System.out.print("  fetch itself, mean by push order:    ");
        int group = Math.max(1, tracedPushes.size() / 4);
        for (int from = 0; from < tracedPushes.size(); from += group) {
            List<Push> slice = tracedPushes.subList(from, Math.min(tracedPushes.size(), from + group));
            System.out.printf(" #%d-%d %.0f ms", from + 1, from + slice.size(),
                    slice.stream().mapToLong(p -> traced.get(p).fetchMillis()).average().orElse(0));
        }
        System.out.println();
        double p99 = percentile(pushes.stream().mapToLong(Push::latencyNanos).toArray(), 99) / 1e6;
        System.out.printf("%ngoal p99 < 300 ms: %s (p99 %.1f ms)%n", p99 < 300 ? "met" : "NOT met", p99);
    }

    private static long nanosOf(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void printRow(String name, List<Push> pushes, ToLongFunction<Push> nanos) {
        printRow(name, pushes.stream().mapToLong(nanos).toArray());
    }

    private static void printRow(String name, long[] values) {
        if (values.length == 0) {
            return;
        }
        System.out.printf("  %-38s min %7.1f  p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f  mean %7.1f ms%n", name,
                Arrays.stream(values).min().orElseThrow() / 1e6,
                percentile(values, 50) / 1e6, percentile(values, 90) / 1e6, percentile(values, 99) / 1e6,
                percentile(values, 100) / 1e6, Arrays.stream(values).average().orElse(0) / 1e6);
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /**
     * The daemon's log lines about each push: the webhook's acceptance names its delivery id; the
     * fetch line names its revision by a 12-digit prefix, the inventory and plan lines by 7 digits.
     */
    private record DaemonLog(Map<String, Long> accepted, Map<String, long[]> fetched, Map<String, Long> inventory,
                             Map<String, Long> planned) {

        static DaemonLog read(Path file) throws IOException {
            DaemonLog log = new DaemonLog(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
            for (String line : Files.readAllLines(file)) {
                Matcher time = LOG_LINE.matcher(line);
                if (!time.matches()) {
                    continue;
                }
                long at = LocalDateTime.parse(time.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant()
                        .toEpochMilli();
                Matcher m;
                if ((m = ACCEPTED.matcher(line)).find()) {
                    log.accepted.putIfAbsent(m.group(1), at);
                } else if ((m = FETCHED.matcher(line)).find()) {
                    log.fetched.putIfAbsent(m.group(1), new long[]{at, Long.parseLong(m.group(2))});
                } else if ((m = INVENTORY.matcher(line)).find()) {
                    log.inventory.putIfAbsent(m.group(1), at);
                } else if ((m = PLANNED.matcher(line)).find() && m.group(1).startsWith("system:")) {
                    log.planned.putIfAbsent(m.group(2), at);
                }
            }
            return log;
        }

        /** The push's milestones, or empty when one of its lines is missing. */
        Optional<Milestones> of(Push push) {
            Long accept = accepted.get(push.delivery());
            long[] fetch = fetched.get(push.revision().substring(0, 12));
            Long read = inventory.get(push.revision().substring(0, 7));
            Long plan = planned.get(push.revision().substring(0, 7));
            if (accept == null || fetch == null || read == null || plan == null) {
                return Optional.empty();
            }
            return Optional.of(new Milestones(accept, fetch[0], fetch[1], read, plan));
        }
    }

    /** The first start line the deploy command wrote for {@code host} at {@code revision}, or 0. */
    private long deployStart(String host, String revision) throws IOException {
        if (!Files.exists(starts)) {
            return 0;
        }
        for (String line : Files.readAllLines(starts)) {
            String[] words = line.split(" ");
            if (words.length == 3 && words[1].equals(host) && words[2].equals(revision)) {
                return Long.parseLong(words[0]);
            }
        }
        return 0;
    }

    private boolean allInSync(String revision) throws IOException, InterruptedException {
        List<JsonNode> targets = targets();
        return !targets.isEmpty() && targets.stream().allMatch(t -> "IN_SYNC".equals(t.path("status").asText())
                && revision.equals(t.path("desiredRevision").asText()));
    }

    private List<JsonNode> targets() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/targets");
        List<JsonNode> targets = new ArrayList<>();
        if (response.statusCode() == 200) {
            JSON.readTree(response.body()).forEach(targets::add);
        }
        return targets;
    }

    /** Reconcile passes finished so far, from the daemon's own timer. */
    private long reconcilePasses() throws IOException, InterruptedException {
        String metrics = get("/q/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("fleetward_reconcile_duration_seconds_count"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Pack files of the git repositories under {@code dir}. */
    private static long packFiles(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> p.toString().endsWith(".pack") && p.getParent().endsWith("objects/pack")).count();
        }
    }

    private static List<String> hostFolders(Path repo) throws IOException {
        List<String> folders = new ArrayList<>();
        for (String platform : List.of("nixos", "darwin")) {
            try (Stream<Path> hosts = Files.list(repo.resolve("modules/machines").resolve(platform))) {
                hosts.filter(Files::isDirectory).map(h -> repo.relativize(h).toString()).sorted().forEach(folders::add);
            }
        }
        return folders;
    }

    private static String headOf(Path bareRepo) throws IOException {
        try (Git git = Git.open(bareRepo.toFile())) {
            return Optional.ofNullable(git.getRepository().resolve("refs/heads/" + BRANCH)).orElseThrow().getName();
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    /** Waits for {@code condition}; a daemon that exits fails the bench at once. */
    private static void awaitStep(String what, Process daemon, Callable<Boolean> condition) {
        PackagedDaemon.awaitStep(what, daemon, STEP_TIMEOUT, Duration.ofMillis(5), condition);
    }
}
