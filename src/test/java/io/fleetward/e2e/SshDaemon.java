package io.fleetward.e2e;

import static org.awaitility.Awaitility.await;

import io.fleetward.transport.ssh.OpenSshServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One real OpenSSH server ({@code /usr/sbin/sshd -D -e}) on its own loopback address, with its own
 * host key, config and log in {@code dir}. Stopping it kills the listener and every session it
 * started, like a machine dropping off the network: open connections break too.
 */
final class SshDaemon {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final String name;
    private final String address;
    private final int port;
    private final Path dir;
    private Process process;

    /**
     * @param settings the sshd_config lines after the daemon's own ListenAddress, HostKey and PidFile
     */
    SshDaemon(String name, String address, int port, Path dir, String settings) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("sshd_config"), "ListenAddress " + address + ":" + port + "\n"
                    + "HostKey " + hostKey() + "\n"
                    + "PidFile " + dir.resolve("sshd.pid") + "\n"
                    + settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generateHostKey();
    }

    String name() {
        return name;
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    Path hostKey() {
        return dir.resolve("ssh_host_ed25519_key");
    }

    /** The known_hosts line of the key the daemon presents now: {@code [address]:port ssh-ed25519 AAAA...}. */
    String knownHostsLine() {
        try {
            String[] fields = Files.readString(Path.of(hostKey() + ".pub")).strip().split(" ");
            return "[" + address + "]:" + port + " " + fields[0] + " " + fields[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the daemon without waiting; {@link #awaitReady()} waits for it. A running daemon is left alone. */
    synchronized void launch() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sshd for " + name, e);
        }
    }

    /** Waits until the daemon greets with its SSH banner; fails early, with its log, when it exited. */
    void awaitReady() {
        Process started = process;
        await("sshd of " + name + " on " + address + ":" + port)
                .atMost(READY_WITHIN)
                .pollInterval(Duration.ofMillis(20))
                .failFast("sshd of " + name + " exited", () -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("sshd of " + name + " exited: " + logTail());
                    }
                })
                .until(this::greets);
    }

    /** Launches and waits. */
    void start() {
        launch();
        awaitReady();
    }

    /**
     * Kills the listener and every session process under it, then waits until the port refuses
     * connections. The listener is stopped (SIGSTOP) first so that it cannot fork a session that
     * escapes the kill.
     */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        Process listener = process;
        process = null;
        if (listener.isAlive()) {
            // The shell's own kill: the kill program (procps) is missing from minimal systems.
            ExternalCommand.run(List.of("/bin/sh", "-c", "kill -STOP \"$1\"", "sh", Long.toString(listener.pid())),
                    Map.of(), null);
            List<ProcessHandle> sessions = listener.descendants().toList();
            listener.destroyForcibly();
            sessions.forEach(ProcessHandle::destroyForcibly);
        }
        await("sshd of " + name + " stopped").atMost(READY_WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> !listener.isAlive() && !OpenSshServer.accepts(address, port));
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Replaces the host key by a new one (the old one is kept as {@code .orig}); takes effect at the
     * next start.
     */
    void swapHostKey() {
        try {
            Path original = Path.of(hostKey() + ".orig");
            if (!Files.exists(original)) {
                Files.move(hostKey(), original);
                Files.move(Path.of(hostKey() + ".pub"), Path.of(original + ".pub"));
            }
            Files.deleteIfExists(hostKey());
            Files.deleteIfExists(Path.of(hostKey() + ".pub"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generateHostKey();
    }

    /** Puts back the key {@link #swapHostKey()} replaced; takes effect at the next start. */
    void restoreHostKey() {
        try {
            Path original = Path.of(hostKey() + ".orig");
            if (Files.exists(original)) {
                Files.move(original, hostKey(), StandardCopyOption.REPLACE_EXISTING);
                Files.move(Path.of(original + ".pub"), Path.of(hostKey() + ".pub"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log() {
        return dir.resolve("sshd.log");
    }

    private void generateHostKey() {
        ExternalCommand.require("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", hostKey().toString());
    }

    private boolean greets() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] banner = in.readNBytes(4);
            return new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
