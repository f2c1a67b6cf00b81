package io.fleetward.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the benchmarks that run the packaged daemon as a process of its own share. */
final class PackagedDaemon {
    private PackagedDaemon() {
    }

    /** The packaged daemon ({@code -Dbench.jar=...}, else the build's), which must exist. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the daemon first with "
                    + "`mvn -B -q package -DskipTests`");
        }
        return jar;
    }

    /** Waits for {@code condition}, polling every {@code poll}; a daemon that exits fails the bench at once. */
    static void awaitStep(String what, Process daemon, Duration atMost, Duration poll, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(poll).until(() -> {
                if (!daemon.isAlive()) {
                    throw new IllegalStateException("the daemon exited with " + daemon.exitValue());
                }
                return condition.call();
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("timed out after " + atMost.toSeconds() + " s waiting for " + what, e);
        }
    }

    /** Stops the daemon (SIGTERM, then SIGKILL) and whatever it still runs. */
    /** After a failed run: the last 40 lines of the daemon's log, to see why. */
    static void printLogTail(Path log) throws IOException {
        System.out.println("--- last lines of the daemon log ---");
        List<String> lines = Files.readAllLines(log);
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
    }

    /** Ends a run: stops the daemon, drops its shutdown hook, and keeps its log where {@code -Dbench.log} says. */
    static void finish(Process daemon, Thread stopOnExit, Path log) throws IOException {
        stop(daemon);
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
        String keep = System.getProperty("bench.log");
        if (keep != null) {
            Files.copy(log, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void stop(Process daemon) {
        List<ProcessHandle> children = daemon.descendants().toList();
        daemon.destroy();
        try {
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            daemon.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Whether {@code uri} answers 200 (false while the daemon is not listening yet). */
    static boolean answers(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Deletes {@code dir} and everything in it. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
