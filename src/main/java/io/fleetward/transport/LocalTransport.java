package io.fleetward.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on the daemon's own machine with {@code /bin/sh -c}. The environment tells the
 * command which host and user it is for ({@code FLEETWARD_HOST}, {@code FLEETWARD_USER}).
 *
 * <p>With a simulation root (demo and tests only) {@code <root>/bin} comes first on PATH and HOME
 * points at {@code <root>/hosts/<host>/home/<user>}, so stand-in tools keep per-host state.
 */
public final class LocalTransport implements Transport {
    private final Optional<Path> simulationRoot;
    private final Map<String, String> extraEnvironment;

    public LocalTransport(Optional<Path> simulationRoot, Map<String, String> extraEnvironment) {
        this.simulationRoot = simulationRoot.map(p -> p.toAbsolutePath().normalize());
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(CommandRequest request) throws TransportException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", request.commandLine());
        if (request.workingDirectory() != null) {
            builder.directory(request.workingDirectory().toFile());
        }
        Map<String, String> env = builder.environment();
        env.putAll(extraEnvironment);
        env.put("FLEETWARD_HOST", request.host());
        if (request.user() != null) {
            env.put("FLEETWARD_USER", request.user());
        } else {
            env.remove("FLEETWARD_USER");
        }
        simulationRoot.ifPresent(root -> simulate(env, root, request));
        env.putAll(request.environment());
        boolean streaming = request.lineSink() != null;
        builder.redirectErrorStream(streaming);
        if (request.stdin() == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }

        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TransportException("cannot start /bin/sh on the controller: " + e.getMessage(), e);
        }
        OutputPump out = new OutputPump(process.getInputStream(), new OutputCapture(request.lineSink()));
        OutputPump err = streaming ? null : new OutputPump(process.getErrorStream(), new OutputCapture(null));
        out.start();
        if (err != null) {
            err.start();
        }
        Thread feeder = request.stdin() == null ? null : feed(process, request.stdin());
        boolean finished;
        try {
            finished = process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        if (!finished) {
            kill(process);
        }
        if (feeder != null) {
            feeder.join(2_000);
        }
        out.join(2_000);
        if (err != null) {
            err.join(2_000);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new CommandResult(finished ? process.exitValue() : -1, out.text(), err == null ? "" : err.text(),
                !finished, took);
    }

    private static void simulate(Map<String, String> env, Path root, CommandRequest request) {
        env.put("FLEETWARD_SIMULATION", root.toString());
        env.put("PATH", root.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        String user = request.user() == null ? "root" : request.user();
        env.put("HOME", root.resolve("hosts").resolve(request.host()).resolve("home").resolve(user).toString());
        env.put("USER", user);
    }

    /**
     * Writes the request's stdin on its own thread, so a command that does not read it cannot
     * block the caller past the timeout; the stream is closed when written (or when the process died).
     */
    private static Thread feed(Process process, Stdin stdin) {
        Thread feeder = new Thread(() -> {
            try (var in = process.getOutputStream()) {
                stdin.writeTo(in);
            } catch (IOException e) {
                // The command exited or closed its input early: its exit status tells what happened.
            }
        }, "fleetward-stdin");
        feeder.setDaemon(true);
        feeder.start();
        return feeder;
    }

    /** Kills the shell and everything it started (a deploy command may have spawned builders). */
    private static void kill(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Drains one stream line by line into a capture. */
    private static final class OutputPump extends Thread {
        private final InputStream in;
        private final OutputCapture capture;

        OutputPump(InputStream in, OutputCapture capture) {
            super("fleetward-output");
            setDaemon(true);
            this.in = in;
            this.capture = capture;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    capture.line(line);
                }
            } catch (IOException e) {
                // The process was killed or closed its output: what was read so far is the result.
            }
        }

        String text() {
            return capture.text();
        }
    }
}
