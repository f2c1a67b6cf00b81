package io.fleetward.transport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs commands on the daemon's own machine with {@code /bin/sh -c}. The environment tells the
 * command which host and user it is for ({@code FLEETWARD_HOST}, {@code FLEETWARD_USER}).
 *
 * <p>Each command runs in a process group (and session) of its own, started through util-linux's
 * {@code setsid}: a timeout or an interrupt kills the whole group, children that lost their parent
 * included, and the request's listener learns the group id so that a later fleetward process can
 * end a command that outlived a crash ({@link ProcessGroup}). The JVM's child is never a group
 * leader, so {@code setsid} makes it one in place, without forking: the group id is the pid of the
 * started process. Without {@code setsid} on PATH commands run in fleetward's own group and no
 * group is reported (a warning says so once).
 *
 * <p>With a simulation root (demo and tests only) {@code <root>/bin} comes first on PATH and HOME
 * points at {@code <root>/hosts/<host>/home/<user>}, so stand-in tools keep per-host state.
 */
public final class LocalTransport implements Transport {
    private static final Logger LOG = Logger.getLogger(LocalTransport.class);

    private final Optional<Path> simulationRoot;
    private final Map<String, String> extraEnvironment;
    private final Optional<Path> setsid;

    public LocalTransport(Optional<Path> simulationRoot, Map<String, String> extraEnvironment) {
        this.simulationRoot = simulationRoot.map(p -> p.toAbsolutePath().normalize());
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        this.setsid = onPath("setsid", System.getenv("PATH"));
        if (setsid.isEmpty()) {
            LOG.warn("setsid (util-linux) is not on PATH: local commands run in fleetward's process group, so a"
                    + " deploy command that outlives a crash of fleetward is not found and ended at the next start");
        }
    }

    /** The first executable {@code name} in the folders of {@code path}. */
    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(CommandRequest request) throws TransportException, InterruptedException {
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(path -> argv.add(path.toString()));
        argv.addAll(List.of("/bin/sh", "-c", request.commandLine()));
        ProcessBuilder builder = new ProcessBuilder(argv);
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
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }

        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TransportException("cannot start /bin/sh on the controller: " + e.getMessage(), e);
        }
        OptionalLong group = setsid.isPresent() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        OutputPump out = new OutputPump(process.getInputStream(), new OutputCapture(request.lineSink()));
        OutputPump err = streaming ? null : new OutputPump(process.getErrorStream(), new OutputCapture(null));
        out.start();
        if (err != null) {
            err.start();
        }
        Thread feeder = request.stdin() == null ? null : feed(process, request.stdin());
        if (group.isPresent() && request.processGroupStarted() != null) {
            try {
                request.processGroupStarted().accept(group.getAsLong());
            } catch (RuntimeException e) {
                kill(process, group);
                throw new TransportException("stopped the command right after its start: " + e.getMessage(), e);
            }
        }
        boolean finished;
        try {
            finished = process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process, group);
            throw e;
        }
        if (!finished) {
            kill(process, group);
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

    /**
     * Kills the shell and everything it started (a deploy command may have spawned builders): its
     * whole process group at once, which also reaches children whose parent already ended, and
     * whatever descends from the shell still (a child may have left the group).
     */
    private static void kill(Process process, OptionalLong group) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        if (group.isPresent()) {
            ProcessGroup.of(group.getAsLong()).signal(ProcessGroup.Signal.KILL);
        }
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
