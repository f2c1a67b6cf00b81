package io.fleetward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.Secrets;
import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * How the daemon answers while many clients follow the log of a running deployment: latency of
 * {@code GET /api/v1/targets}, {@code /q/health/ready} and {@code /q/metrics} with no follower, then
 * with {@code bench.followers} (200) clients following a deployment held running and silent (the
 * stand-in's {@code deploy-hold}), each on its own connection. The packaged daemon ({@code
 * target/quarkus-app/quarkus-run.jar}, built beforehand with {@code mvn -B -q package -DskipTests})
 * runs as a subprocess on the simulated reference fleet, with {@code fleetward.api.max-log-followers}
 * raised to the follower count (unless {@code -Dbench.cap=N}; 0 leaves it unset, for a daemon built
 * before the key existed), so that every follower follows.
 *
 * <p>Not part of the test suite; run with
 * {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.LogFollowerBench}
 * ({@code -Dbench.followers=200 -Dbench.requests=200 -Dbench.jar=target/quarkus-app/quarkus-run.jar}).
 */
public final class LogFollowerBench {
    private static final String HOST = "blackphos";
    private static final List<String> ENDPOINTS = List.of("/api/v1/targets", "/q/health/ready", "/q/metrics");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    /** A request without an answer this long counts as unanswered. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** A phase stops after this many unanswered requests. */
    private static final int GIVE_UP = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatedFleet fleet;
    private final String token = FleetProfile.randomToken();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;

    private LogFollowerBench(SimulatedFleet fleet) {
        this.fleet = fleet;
    }

    public static void main(String[] args) throws Exception {
        int followers = Integer.getInteger("bench.followers", 200);
        int cap = Integer.getInteger("bench.cap", followers);
        int requests = Integer.getInteger("bench.requests", 200);
        Path jar = PackagedDaemon.jar();
        SimulatedFleet fleet = SimulatedFleet.create();
        try {
            new LogFollowerBench(fleet).run(jar, followers, cap, requests);
        } finally {
            PackagedDaemon.delete(fleet.root());
        }
    }

    private void run(Path jar, int followers, int cap, int requests) throws Exception {
        int port = PackagedDaemon.freePort();
        base = URI.create("http://127.0.0.1:" + port);
        Map<String, String> config = new LinkedHashMap<>(fleet.config());
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("fleetward.api.token-hashes", HexFormat.of().formatHex(Secrets.sha256(token)));
        if (cap > 0) {
            config.put("fleetward.api.max-log-followers", String.valueOf(cap));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        System.out.printf("machine: %d CPUs, %s %s, Java %s; daemon: %s (default JVM options), port %d%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), jar, port);
        System.out.printf("followers: %d, fleetward.api.max-log-followers=%s; %d requests per endpoint and phase, "
                + "one at a time, after as many not counted (warm-up)%n%n", followers, cap > 0 ? cap : "(not set)",
                requests);

        Path log = fleet.root().resolve("daemon.log");
        Process daemon = new ProcessBuilder(command).directory(fleet.root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        List<BufferedReader> following = new ArrayList<>();
        try {
            awaitStep("the daemon to answer /q/health/ready", daemon, () -> PackagedDaemon.answers(http, base.resolve("/q/health/ready")));
            awaitStep("every target in sync", daemon, this::allInSync);
            measure(requests); // warm-up, not counted
            Map<String, long[]> idle = measure(requests);
            String threadsIdle = liveThreads();

            fleet.holdDeploys(HOST, true);
            send(HttpRequest.newBuilder(base.resolve("/api/v1/targets/system:" + HOST + "/sync"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
            long[] id = new long[1];
            awaitStep("the deployment of " + HOST + " to run", daemon, () -> {
                JsonNode last = JSON.readTree(get("/api/v1/deployments?limit=1&target=system:" + HOST).body()).get(0);
                id[0] = last.get("id").asLong();
                return "RUNNING".equals(last.get("outcome").asText());
            });
            int refused = 0;
            long openStart = System.nanoTime();
            for (int i = 0; i < followers; i++) {
                HttpResponse<InputStream> response = send(HttpRequest.newBuilder(
                        base.resolve("/api/v1/deployments/" + id[0] + "/log")), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 200) {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                    lines.readLine(); // the log's first line: it follows
                    following.add(lines);
                } else {
                    response.body().close();
                    refused++;
                }
            }
            System.out.printf("%d followers of deployment %d opened in %.2f s (%d refused with 429); the log is silent "
                    + "while they follow%n%n", following.size(), id[0], (System.nanoTime() - openStart) / 1e9, refused);
            Map<String, long[]> crowded = measure(requests);
            String threadsCrowded = liveThreads();

            System.out.printf("%-18s | %-45s | %-45s%n", "endpoint", "no follower: p50 / p90 / p99 / max ms",
                    following.size() + " followers: p50 / p90 / p99 / max ms");
            for (String endpoint : ENDPOINTS) {
                System.out.printf("%-18s | %-45s | %-45s%n", endpoint, summary(idle.get(endpoint)),
                        summary(crowded.get(endpoint)));
            }
            System.out.printf("%ndaemon live threads (jvm_threads_live_threads): %s with no follower, %s with %d%n",
                    threadsIdle, threadsCrowded, following.size());

            fleet.holdDeploys(HOST, false);
            long endStart = System.nanoTime();
            int ended = 0;
            for (BufferedReader lines : following) {
                String last = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    last = line;
                }
                if (last != null && last.startsWith("# outcome: SUCCEEDED")) {
                    ended++;
                }
            }
            System.out.printf("released: %d of %d followers read the log to its end (# outcome: SUCCEEDED) "
                    + "within %.2f s%n", ended, following.size(), (System.nanoTime() - endStart) / 1e9);
        } finally {
            for (BufferedReader lines : following) {
                lines.close();
            }
            PackagedDaemon.stop(daemon);
        }
    }

    /**
     * {@code requests} GETs of each endpoint, one at a time, in rounds; nanoseconds per request, or -1
     * for one that got no answer within {@link #REQUEST_TIMEOUT}. After {@link #GIVE_UP} such, the
     * phase ends: the daemon is starved.
     */
    private Map<String, long[]> measure(int requests) throws IOException, InterruptedException {
        Map<String, long[]> took = new LinkedHashMap<>();
        ENDPOINTS.forEach(endpoint -> took.put(endpoint, new long[0]));
        int timeouts = 0;
        for (int i = 0; i < requests && timeouts < GIVE_UP; i++) {
            for (String endpoint : ENDPOINTS) {
                long start = System.nanoTime();
                long nanos;
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(endpoint))
                            .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                    nanos = System.nanoTime() - start;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(endpoint + " answered " + response.statusCode());
                    }
                } catch (HttpTimeoutException e) {
                    nanos = -1;
                    timeouts++;
                }
                long[] times = took.get(endpoint);
                times = Arrays.copyOf(times, times.length + 1);
                times[times.length - 1] = nanos;
                took.put(endpoint, times);
            }
        }
        return took;
    }

    private static String summary(long[] nanos) {
        long[] sorted = Arrays.stream(nanos).filter(n -> n >= 0).sorted().toArray();
        long unanswered = nanos.length - sorted.length;
        if (sorted.length == 0) {
            return "no answer (" + unanswered + " timed out after " + REQUEST_TIMEOUT.toSeconds() + " s)";
        }
        return String.format("%.1f / %.1f / %.1f / %.1f", percentile(sorted, 50) / 1e6, percentile(sorted, 90) / 1e6,
                percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6)
                + (unanswered == 0 ? "" : " (" + unanswered + " timed out)");
    }

    private static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private String liveThreads() throws IOException, InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).timeout(REQUEST_TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(l -> l.startsWith("jvm_threads_live_threads"))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("?");
        } catch (HttpTimeoutException e) {
            return "(no answer)";
        }
    }

    private boolean allInSync() throws IOException, InterruptedException {
        JsonNode targets = JSON.readTree(get("/api/v1/targets").body());
        if (targets.isEmpty()) {
            return false;
        }
        for (JsonNode target : targets) {
            if (!"IN_SYNC".equals(target.get("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), body);
    }

    /** Waits for {@code condition}; a daemon that exits fails the bench at once. */
    private static void awaitStep(String what, Process daemon, Callable<Boolean> condition) {
        PackagedDaemon.awaitStep(what, daemon, STEP_TIMEOUT, Duration.ofMillis(50), condition);
    }
}
