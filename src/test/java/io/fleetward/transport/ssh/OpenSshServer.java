package io.fleetward.transport.ssh;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server for tests: {@code /usr/sbin/sshd -D -e} on one loopback address and a free
 * port, with its own host keys, an authorized_keys file of its own and its log in a file. Logins are
 * root with public keys only. Stop it (or use try-with-resources): it is a separate process.
 */
public final class OpenSshServer implements AutoCloseable {
    private static final Path ROOT_BASHRC = Path.of("/root/.bashrc");
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private final Path dir;
    private final String address;
    private final int port;
    private final List<String> hostKeyTypes;
    private final List<String> extraConfig;
    private Process process;

    private OpenSshServer(Path dir, String address, int port, List<String> hostKeyTypes, List<String> extraConfig) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.hostKeyTypes = hostKeyTypes;
        this.extraConfig = extraConfig;
    }

    /**
     * Starts sshd on {@code address} with one host key per type ({@code ed25519}, {@code ecdsa}, {@code rsa}).
     *
     * @param extraConfig more sshd_config lines (e.g. {@code MaxStartups 200})
     */
    public static OpenSshServer start(Path dir, String address, List<String> hostKeyTypes, List<String> extraConfig)
            throws IOException {
        Files.createDirectories(dir);
        // sshd refuses to start without its privilege separation folder.
        Files.createDirectories(Path.of("/run/sshd"));
        OpenSshServer server = new OpenSshServer(dir, address, freePort(address), List.copyOf(hostKeyTypes),
                List.copyOf(extraConfig));
        for (String type : hostKeyTypes) {
            keygen(type, server.hostKey(type));
        }
        Files.writeString(dir.resolve("authorized_keys"), "");
        server.writeConfig();
        server.launch();
        return server;
    }

    /** sshd with one ed25519 host key. */
    public static OpenSshServer start(Path dir, String address) throws IOException {
        return start(dir, address, List.of("ed25519"), List.of());
    }

    /** Generates an unencrypted key pair ({@code file} and {@code file.pub}) of {@code type}. */
    public static Path keygen(String type, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".pub"));
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test", "-f",
                file.toString()));
        if (type.equals("rsa")) {
            command.addAll(List.of("-b", "2048"));
        }
        exec(command);
        return file;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** {@code root@address:port}. */
    public String destination() {
        return "root@" + address + ":" + port;
    }

    /** Lets {@code publicKeyFile}'s key log in as root. */
    public void authorize(Path publicKeyFile) throws IOException {
        Files.writeString(dir.resolve("authorized_keys"), Files.readString(publicKeyFile), StandardOpenOption.APPEND);
    }

    /** known_hosts lines ({@code [address]:port type key}) for the current host keys. */
    public List<String> knownHostsLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String type : hostKeyTypes) {
            String[] pub = Files.readString(Path.of(hostKey(type) + ".pub")).trim().split("\\s+");
            lines.add("[" + address + "]:" + port + " " + pub[0] + " " + pub[1]);
        }
        return lines;
    }

    /** Appends {@link #knownHostsLines()} to {@code file}. */
    public void writeKnownHosts(Path file) throws IOException {
        Files.write(file, knownHostsLines(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** SHA256 fingerprint of the host key of {@code type}, as ssh-keygen prints it. */
    public String fingerprint(String type) throws IOException {
        return exec(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey(type) + ".pub")).split("\\s+")[1];
    }

    /** Logins sshd accepted so far (one per SSH session). */
    public long acceptedLogins() throws IOException {
        return Files.readAllLines(log(), StandardCharsets.UTF_8).stream().filter(l -> l.contains("Accepted publickey"))
                .count();
    }

    public Path log() {
        return dir.resolve("sshd.log");
    }

    /** Stops sshd and every connection it serves (established sessions break). */
    public void stop() {
        if (process == null) {
            return;
        }
        // Each connection is a child process that outlives the listener: end them too.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops and starts again on the same address and port. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** New host keys (as after a reinstall), then a restart. */
    public void swapHostKeys() throws IOException {
        stop();
        for (String type : hostKeyTypes) {
            keygen(type, hostKey(type));
        }
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private Path hostKey(String type) {
        return dir.resolve("ssh_host_" + type + "_key");
    }

    private void writeConfig() throws IOException {
        List<String> config = new ArrayList<>(List.of(
                "Port " + port,
                "ListenAddress " + address,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "StrictModes no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "LogLevel INFO"));
        for (String type : hostKeyTypes) {
            config.add("HostKey " + hostKey(type));
        }
        config.addAll(extraConfig);
        Files.write(dir.resolve("sshd_config"), config);
    }

    /**
     * Starts sshd in a mount namespace of its own in which root's {@code ~/.bashrc} is empty: on the
     * build machines it runs {@code pyenv init} for every command (0.2 s of CPU), which a fleet host
     * does not; commands still go through root's login shell. Without {@code unshare}, sshd starts as is.
     */
    private void launch() throws IOException {
        String config = dir.resolve("sshd_config").toString();
        List<String> command = Files.exists(ROOT_BASHRC) && Files.isExecutable(UNSHARE)
                ? List.of(UNSHARE.toString(), "-m", "--propagation", "private", "/bin/sh", "-c",
                        "mount --bind /dev/null " + ROOT_BASHRC + " 2>/dev/null; exec /usr/sbin/sshd -D -e -f \"$1\"",
                        "sh", config)
                : List.of("/usr/sbin/sshd", "-D", "-e", "-f", config);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        Process started = process;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(log()));
            }
            return accepts(address, port);
        });
    }

    /** Whether something accepts TCP connections at {@code address:port} now. */
    public static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    private static String exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(command + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
