package io.fleetward.transport.ssh;

import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.OutputCapture;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.sshd.client.channel.ChannelExec;
import org.jboss.logging.Logger;

/**
 * Runs commands on fleet machines over SSH (Apache MINA SSHD client). The remote side runs the
 * command line with the login user's shell, as {@code ssh host 'line'} does; command lines are
 * POSIX shell, so login shells must be POSIX-compatible (sh, bash, zsh, ...).
 *
 * <ul>
 *   <li>Destinations are {@code [user@]host[:port]} (default user {@code root}, port 22), read with the
 *       {@link SshAddress.Parser} the transport is built with; a request without destination goes to
 *       its host name.</li>
 *   <li>Authentication: public key only, from the request's identity file or the global one.</li>
 *   <li>Host keys: checked against the request's known_hosts file or the global one
 *       ({@link KnownHosts}); unknown keys are refused, or recorded under {@link HostKeyPolicy#ACCEPT_NEW};
 *       changed keys are always refused. Nothing is run on a refused host.</li>
 *   <li>Sessions are pooled per (destination, identity, known_hosts) and closed when idle; each
 *       command is one exec channel. A pooled session that cannot open a channel any more is
 *       replaced once; a command that has started is never run again. A request for a
 *       {@linkplain CommandRequest#freshConnection() fresh connection} gets a session of its own, closed
 *       after it.</li>
 *   <li>{@code workingDirectory} is a directory on the remote machine; {@code environment} is
 *       exported by the remote shell before the command line runs.</li>
 * </ul>
 * Nothing under {@code ~/.ssh} is read: no ssh config, no default keys, no default known_hosts.
 */
public final class SshTransport implements Transport, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SshTransport.class);
    private static final String DEFAULT_USER = "root";
    private static final int DEFAULT_PORT = 22;
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    private final SshSettings settings;
    private final SshAddress.Parser addresses;
    private final SessionPool pool;
    private final ExecutorService stdinWriters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fleetward-ssh-stdin");
        t.setDaemon(true);
        return t;
    });

    /** @param addresses reads a request's destination text (the inventory's target-host rules) */
    public SshTransport(SshSettings settings, SshMetrics metrics, SshAddress.Parser addresses) {
        BouncyCastle.register();
        this.settings = Objects.requireNonNull(settings, "settings");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.pool = new SessionPool(settings, Objects.requireNonNull(metrics, "metrics"));
    }

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public CommandResult run(CommandRequest request) throws TransportException, InterruptedException {
        SshDestination destination = destination(request);
        RemoteRun run = RemoteRun.next();
        String line = run.wrap(remoteCommandLine(request));
        long start = System.nanoTime();
        SessionPool.Pooled pooled = request.freshConnection() ? pool.acquireUnpooled(destination)
                : pool.acquire(destination);
        ChannelExec channel;
        Streams streams = new Streams(request);
        try {
            channel = openChannel(pooled, line, streams);
        } catch (IOException e) {
            if (pooled.fresh() || request.freshConnection()) {
                pool.broken(pooled);
                throw new TransportException("cannot start a command on " + destination + ": " + SessionPool.reason(e), e);
            }
            // The pooled session died since its last use (peer restarted, network dropped) or the
            // server refused one more channel on it: nothing ran, so one try on a new session is safe.
            pool.broken(pooled);
            LOG.infof("ssh session to %s could not open a channel (%s); reopened", destination,
                    SessionPool.reason(e));
            pooled = pool.acquire(destination);
            try {
                channel = openChannel(pooled, line, streams);
            } catch (IOException again) {
                pool.broken(pooled);
                throw new TransportException("cannot start a command on " + destination + ": "
                        + SessionPool.reason(again), again);
            }
        }
        try {
            return await(channel, request, streams, destination, start, pooled, run);
        } finally {
            pool.release(pooled);
        }
    }

    /** Pooled sessions open now. */
    public int openSessions() {
        return pool.openSessions();
    }

    /** SSH sessions opened since this transport started; with pooling, far fewer than commands run. */
    public long sessionsOpened() {
        return pool.sessionsOpened();
    }

    /** Closes every session and stops the SSH client. */
    @Override
    public void close() {
        stdinWriters.shutdownNow();
        pool.close();
    }

    /**
     * The line the remote shell runs: {@code export NAME='value'} lines for the environment, then
     * {@code cd -- 'dir' || exit 1} for the working directory, then the command line itself. Each
     * prefix is its own line so that the command line may hold several statements.
     */
    static String remoteCommandLine(CommandRequest request) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(request.environment()).entrySet()) {
            if (!ENVIRONMENT_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("environment variable name must match [A-Z_][A-Z0-9_]*");
            }
            line.append("export ").append(e.getKey()).append('=').append(CommandTemplate.quote(e.getValue()))
                    .append('\n');
        }
        if (request.workingDirectory() != null) {
            line.append("cd -- ").append(CommandTemplate.quote(request.workingDirectory().toString()))
                    .append(" || exit 1\n");
        }
        return line.append(request.commandLine()).toString();
    }

    private SshDestination destination(CommandRequest request) throws TransportException {
        SshAddress target;
        try {
            target = addresses.parse(request.destination() != null ? request.destination() : request.host());
        } catch (IllegalArgumentException e) {
            throw new TransportException("SSH destination of " + request.host() + " is invalid: " + e.getMessage());
        }
        Path identity = request.identity() != null ? request.identity() : settings.identity()
                .orElseThrow(() -> new TransportException("no SSH identity configured (fleetward.ssh.identity)"));
        Path knownHosts = request.knownHosts() != null ? request.knownHosts() : settings.knownHosts();
        return new SshDestination(target.user() == null ? DEFAULT_USER : target.user(), target.host(),
                target.port() == 0 ? DEFAULT_PORT : target.port(), identity.toAbsolutePath().normalize(),
                knownHosts.toAbsolutePath().normalize());
    }

    /** Opens an exec channel; the remote side must confirm it within the connect timeout (a dead peer is found fast). */
    private ChannelExec openChannel(SessionPool.Pooled pooled, String line, Streams streams) throws IOException {
        ChannelExec channel = pooled.session().createExecChannel(line);
        channel.setOut(streams.out);
        channel.setErr(streams.err);
        try {
            if (!channel.open().verify(settings.connectTimeout()).isOpened()) {
                throw new IOException("the channel was not opened");
            }
        } catch (IOException | RuntimeException e) {
            channel.close(true);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return channel;
    }

    private CommandResult await(ChannelExec channel, CommandRequest request, Streams streams,
                                SshDestination destination, long start, SessionPool.Pooled pooled, RemoteRun run)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        channel.addCloseFutureListener(f -> closed.countDown());
        OutputStream remoteIn = channel.getInvertedIn();
        if (request.stdin() == null) {
            closeQuietly(remoteIn);
        } else {
            stdinWriters.execute(() -> {
                try (remoteIn) {
                    request.stdin().writeTo(remoteIn);
                } catch (IOException | RuntimeException e) {
                    // The command exited or closed its input early: its exit status tells what happened.
                    LOG.debugf("stdin of a command on %s not fully written: %s", destination, e.toString());
                }
            });
        }
        boolean finished;
        try {
            finished = closed.await(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            channel.close(true);
            LOG.infof("command on %s interrupted; its channel was closed", destination);
            throw e;
        }
        if (!finished) {
            String ended = endOnHost(pooled, run, destination);
            channel.close(true);
            LOG.infof("command on %s timed out after %d s; %s; its channel was closed", destination,
                    request.timeout().toSeconds(), ended);
        }
        streams.finish();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int exitCode = finished ? exitCode(channel) : -1;
        return new CommandResult(exitCode, streams.stdout(), streams.stderr(), !finished, took);
    }

    /**
     * Ends a timed-out command on the host over a second channel of the same session ({@link RemoteRun}):
     * SIGTERM to its process group, SIGKILL after the grace period. Says what happened, for the log.
     */
    private String endOnHost(SessionPool.Pooled pooled, RemoteRun run, SshDestination destination)
            throws InterruptedException {
        OutputCapture said = new OutputCapture(null);
        LineOutputStream out = new LineOutputStream(said);
        ChannelExec kill = null;
        try {
            kill = pooled.session().createExecChannel(run.killLine());
            kill.setOut(out);
            kill.setErr(OutputStream.nullOutputStream());
            if (!kill.open().verify(settings.connectTimeout()).isOpened()) {
                return "it could not be ended on the host (no channel)";
            }
            closeQuietly(kill.getInvertedIn());
            CountDownLatch closed = new CountDownLatch(1);
            kill.addCloseFutureListener(f -> closed.countDown());
            long limit = settings.connectTimeout().toMillis() + RemoteRun.GRACE_TENTHS * 100L + 5_000;
            if (!closed.await(limit, TimeUnit.MILLISECONDS)) {
                return "ending it on the host timed out";
            }
            out.finish();
            String text = said.text();
            if (text.contains("gone")) {
                return "it had ended on the host";
            }
            String what = text.contains("group") ? "its process group" : "its shell (it leads no group of its own)";
            return text.contains("killed") ? what + " outlived SIGTERM and was killed on the host"
                    : what + " was ended on the host with SIGTERM";
        } catch (IOException | RuntimeException e) {
            LOG.debugf("ending a command on %s failed: %s", destination, e.toString());
            return "it could not be ended on the host (" + SessionPool.reason(e) + ")";
        } finally {
            if (kill != null) {
                kill.close(true);
            }
        }
    }

    /** The exit status; a command killed by a signal gets 128 + its number, as shells report it. */
    private static int exitCode(ChannelExec channel) {
        Integer status = channel.getExitStatus();
        if (status != null) {
            return status;
        }
        String signal = channel.getExitSignal();
        return signal == null ? -1 : 128 + signalNumber(signal);
    }

    private static int signalNumber(String name) {
        return switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "ABRT" -> 6;
            case "KILL" -> 9;
            case "SEGV" -> 11;
            case "PIPE" -> 13;
            case "ALRM" -> 14;
            case "TERM" -> 15;
            default -> 127;
        };
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // The channel is already gone: the command sees end-of-file either way.
        }
    }

    /** Where a command's output goes: separate captures, or one merged capture feeding the line sink. */
    private static final class Streams {
        private final OutputCapture stdout;
        private final OutputCapture stderr;
        final LineOutputStream out;
        final LineOutputStream err;

        Streams(CommandRequest request) {
            this.stdout = new OutputCapture(request.lineSink());
            this.stderr = request.lineSink() != null ? stdout : new OutputCapture(null);
            this.out = new LineOutputStream(stdout);
            this.err = new LineOutputStream(stderr);
        }

        void finish() {
            out.finish();
            err.finish();
        }

        String stdout() {
            return stdout.text();
        }

        String stderr() {
            return stderr == stdout ? "" : stderr.text();
        }
    }
}
