package io.fleetward.transport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process group on this machine, read from Linux's {@code /proc}. Every command the
 * {@link LocalTransport} starts leads its own group, so the command and everything it started can
 * be found and signalled together, by this fleetward process or, after a crash, by the next one.
 *
 * <p>Only ids above 1 that are not fleetward's own group are accepted: a group id of 0, 1 or a
 * negative one means something else to {@code kill(2)}. Signals go to the whole group at once,
 * through the {@code kill} built into {@code /bin/sh}; the id is passed as an argument, never
 * pasted into the command line.
 */
public final class ProcessGroup {
    private static final Path PROC = Path.of("/proc");
    /** How long {@link #end} waits for the processes to go after SIGKILL. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;

    /** The signals fleetward sends. */
    public enum Signal { TERM, KILL }

    /** How {@link #end} went. */
    public enum Ending {
        /** No process of the group was left to signal. */
        GONE,
        /** Its processes ended after SIGTERM, within the grace period. */
        TERMINATED,
        /** Some outlived the grace period and were killed with SIGKILL. */
        KILLED,
        /** Some were still there after SIGKILL (not ours to signal, or stuck in the kernel). */
        SURVIVED,
        /** None of its processes carried the expected environment entry: nothing was signalled. */
        LEFT_ALONE
    }

    private final long id;

    private ProcessGroup(long id) {
        this.id = id;
    }

    /**
     * The group with that id.
     *
     * @throws IllegalArgumentException when the id is below 2 or is the group fleetward itself runs in
     */
    public static ProcessGroup of(long id) {
        if (id <= 1) {
            throw new IllegalArgumentException("refusing process group " + id + ": only ids above 1 name one group");
        }
        if (groupOf(ProcessHandle.current().pid()).equals(OptionalLong.of(id))) {
            throw new IllegalArgumentException("refusing process group " + id + ": it is fleetward's own");
        }
        return new ProcessGroup(id);
    }

    public long id() {
        return id;
    }

    /** The group process {@code pid} is in, or empty when there is no such process. */
    public static OptionalLong groupOf(long pid) {
        return Stat.of(pid).map(s -> OptionalLong.of(s.group())).orElse(OptionalLong.empty());
    }

    /**
     * The pids of its processes that have not ended. A zombie (ended, not yet reaped by its parent)
     * counts as ended: it runs nothing and holds no file open.
     */
    public List<Long> members() {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                Stat.of(pid).filter(s -> s.group() == id && s.running()).ifPresent(s -> members.add(pid));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the processes in " + PROC + ": " + e.getMessage(), e);
        }
        return members;
    }

    public boolean alive() {
        return !members().isEmpty();
    }

    /**
     * Whether one of its running processes started with {@code variable=value} in its environment.
     * Processes whose environment fleetward may not read do not count.
     */
    public boolean carries(String variable, String value) {
        byte[] entry = (variable + "=" + value).getBytes(StandardCharsets.UTF_8);
        for (long pid : members()) {
            byte[] environment;
            try {
                environment = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            } catch (IOException e) {
                continue; // ended meanwhile, or another user's
            }
            if (holds(environment, entry)) {
                return true;
            }
        }
        return false;
    }

    /** Sends {@code signal} to every process of the group at once; false when none received it. */
    public boolean signal(Signal signal) {
        ProcessBuilder kill = new ProcessBuilder("/bin/sh", "-c", "kill -s \"$1\" -- \"-$2\"", "fleetward-kill",
                signal.name(), Long.toString(id))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = kill.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start /bin/sh to signal process group " + id + ": "
                    + e.getMessage(), e);
        }
        // kill returns at once; an interrupt must not leave the signal unsent, so it is kept for later.
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor() == 0;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends the group: SIGTERM, up to {@code grace} for its processes to end, then SIGKILL and up to
     * a few seconds more.
     *
     * @throws InterruptedException when the calling thread was interrupted while waiting
     */
    public Ending end(Duration grace) throws InterruptedException {
        if (!alive()) {
            return Ending.GONE;
        }
        signal(Signal.TERM);
        if (awaitEnd(grace)) {
            return Ending.TERMINATED;
        }
        signal(Signal.KILL);
        return awaitEnd(AFTER_KILL) ? Ending.KILLED : Ending.SURVIVED;
    }

    /**
     * {@link #end Ends} the group only if one of its running processes carries {@code variable=value}
     * in its environment ({@link #carries}): a group id that now names someone else's processes is
     * {@link Ending#LEFT_ALONE left alone}.
     *
     * @throws InterruptedException when the calling thread was interrupted while waiting
     */
    public Ending endIfCarrying(String variable, String value, Duration grace) throws InterruptedException {
        if (!alive()) {
            return Ending.GONE;
        }
        if (!carries(variable, value)) {
            return Ending.LEFT_ALONE;
        }
        return end(grace);
    }

    private boolean awaitEnd(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (alive()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** Whether NUL-separated {@code environment} holds exactly {@code entry}. */
    private static boolean holds(byte[] environment, byte[] entry) {
        int start = 0;
        for (int i = 0; i <= environment.length; i++) {
            if (i == environment.length || environment[i] == 0) {
                if (i - start == entry.length
                        && Arrays.equals(environment, start, i, entry, 0, entry.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "process group " + id;
    }

    /** What {@code /proc/<pid>/stat} says about a process's state and group. */
    private record Stat(char state, long group) {
        static Optional<Stat> of(long pid) {
            String stat;
            try {
                stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // Gone, or ended while being read (ESRCH): the same as not there.
                return Optional.empty();
            }
            // "<pid> (<command>) <state> <ppid> <pgrp> ...": the command may hold spaces and parentheses.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[2])));
        }

        /** Not a zombie ({@code Z}) or dead ({@code X}). */
        boolean running() {
            return state != 'Z' && state != 'X';
        }
    }
}
