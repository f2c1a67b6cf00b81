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
import java.util.function.Consumer;

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
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));

        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TransportException("cannot start /bin/sh on the controller: " + e.getMessage(), e);
        }
        OutputPump out = new OutputPump(process.getInputStream(), request.lineSink());
        OutputPump err = streaming ? null : new OutputPump(process.getErrorStream(), null);
        out.start();
        if (err != null) {
            err.start();
        }
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

    /** Kills the shell and everything it started (a deploy command may have spawned builders). */
    private static void kill(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Drains one stream, keeping at most {@link CommandResult#CAPTURE_LIMIT} characters and feeding a sink. */
    private static final class OutputPump extends Thread {
        private final InputStream in;
        private final Consumer<String> sink;
        private final StringBuilder captured = new StringBuilder();

        OutputPump(InputStream in, Consumer<String> sink) {
            super("fleetward-output");
            setDaemon(true);
            this.in = in;
            this.sink = sink;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (sink != null) {
                        sink.accept(line);
                    }
                    synchronized (captured) {
                        if (captured.length() < CommandResult.CAPTURE_LIMIT) {
                            captured.append(line, 0, Math.min(line.length(),
                                    CommandResult.CAPTURE_LIMIT - captured.length())).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its output: what was read so far is the result.
            }
        }

        String text() {
            synchronized (captured) {
                return captured.toString();
            }
        }
    }
}
