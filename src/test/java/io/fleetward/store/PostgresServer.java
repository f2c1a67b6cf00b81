package io.fleetward.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 server for tests, started once per JVM from {@code /usr/local/bin} and stopped
 * by a shutdown hook. Each {@link #createDatabase()} gives a new empty database on it.
 *
 * <p>Host connections need the superuser's password (scram-sha-256), so tests of wrong credentials
 * meet a real authentication failure. {@code initdb} refuses root, so as root the cluster belongs to
 * {@code nobody}. With {@code FLEETWARD_TEST_PG_URL} set (a JDBC URL of a database the test user may
 * run {@code CREATE DATABASE} from; {@code FLEETWARD_TEST_PG_USER}/{@code _PASSWORD} give credentials),
 * that server is used instead and nothing is started; it must ask for passwords too, and the test
 * databases it gets are left for its owner to drop.
 */
public final class PostgresServer {

    private static final Path BIN = Path.of("/usr/local/bin");
    private static final String SUPERUSER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer instance;

    private final String host;
    private final int port;
    private final Optional<String> user;
    private final Optional<String> password;
    private final String adminUrl;
    /** The cluster this JVM started, or null for an external server. */
    private final Cluster cluster;

    /** A cluster started by this JVM: where it lives and how it is started again. */
    private record Cluster(Path root, Path data, boolean asRoot, int port) {
        void start() throws IOException {
            // Durability is pointless for throwaway test data; skipping fsync keeps CREATE DATABASE fast.
            run(root, asRoot, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    root.resolve("server.log").toString(), "-o", "-p " + port + " -k " + root
                            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                            + " -c full_page_writes=off", "-w", "-t", "60", "start");
        }

        void stop() throws IOException {
            run(root, asRoot, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        }
    }

    private PostgresServer(String host, int port, Optional<String> user, Optional<String> password, String adminUrl,
                           Cluster cluster) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminUrl = adminUrl;
        this.cluster = cluster;
    }

    /**
     * A server of its own, for a test that stops and starts it (a store outage): never the shared one.
     * Stopped by a shutdown hook like the shared one.
     */
    public static PostgresServer dedicated() {
        return start();
    }

    /** Stops the server (fast shutdown: connections are cut), as an outage would. */
    public void stop() {
        try {
            requireCluster().stop();
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Starts the stopped server again on the same port, with its data. */
    public void restart() {
        try {
            requireCluster().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private Cluster requireCluster() {
        if (cluster == null) {
            throw new IllegalStateException("an external server (FLEETWARD_TEST_PG_URL) is not stopped by tests");
        }
        return cluster;
    }

    /** The shared server, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = Optional.ofNullable(System.getenv("FLEETWARD_TEST_PG_URL"))
                    .filter(url -> !url.isBlank())
                    .map(PostgresServer::external)
                    .orElseGet(PostgresServer::start);
        }
        return instance;
    }

    /** A new, empty database, owned by the test user. */
    public DatabaseLocation createDatabase() {
        String name = "fleetward_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection admin = connect(adminUrl); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + host + ":" + port, e);
        }
        return new DatabaseLocation("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
    }

    /** The server's address with a database name, for tests that build their own URLs. */
    String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Optional<String> user() {
        return user;
    }

    Optional<String> password() {
        return password;
    }

    private Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        user.ifPresent(name -> properties.setProperty("user", name));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        return new org.postgresql.Driver().connect(url, properties);
    }

    private static PostgresServer external(String adminUrl) {
        Properties parsed = org.postgresql.Driver.parseURL(adminUrl, new Properties());
        if (parsed == null) {
            throw new IllegalStateException("FLEETWARD_TEST_PG_URL is not a jdbc:postgresql:// URL");
        }
        return new PostgresServer(parsed.getProperty("PGHOST"), Integer.parseInt(parsed.getProperty("PGPORT")),
                Optional.ofNullable(System.getenv("FLEETWARD_TEST_PG_USER")),
                Optional.ofNullable(System.getenv("FLEETWARD_TEST_PG_PASSWORD")), adminUrl, null);
    }

    private static PostgresServer start() {
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(BIN.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL 15 is needed for these tests but " + BIN.resolve(tool)
                        + " is missing: install it (Debian: postgresql-15, then link initdb, pg_ctl and postgres"
                        + " from /usr/lib/postgresql/15/bin) or set FLEETWARD_TEST_PG_URL to a server");
            }
        }
        try {
            return startCluster();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static PostgresServer startCluster() throws IOException {
        // Our own folder under /tmp: initdb runs as nobody when we are root, and a JUnit @TempDir is 700 root.
        Path root = Files.createTempDirectory(Path.of("/tmp"), "fleetward-pg-");
        Path data = root.resolve("data");
        Path passwordFile = root.resolve("password");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        if (asRoot) {
            handToNobody(root);
        }
        int port = freePort();
        run(root, asRoot, BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--no-locale", "--no-sync");
        Cluster cluster = new Cluster(root, data, asRoot, port);
        cluster.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, data, asRoot), "postgres-test-stop"));
        String host = "127.0.0.1";
        return new PostgresServer(host, port, Optional.of(SUPERUSER), Optional.of(password),
                "jdbc:postgresql://" + host + ":" + port + "/postgres", cluster);
    }

    private static void handToNobody(Path root) throws IOException {
        UserPrincipal nobody = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Files.getFileAttributeView(path, PosixFileAttributeView.class).setOwner(nobody);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Path root, Path data, boolean asRoot) {
        try {
            run(root, asRoot, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException | IllegalStateException e) {
            System.err.println("could not stop the test PostgreSQL in " + root + ": " + e.getMessage());
        }
    }

    /** Runs a PostgreSQL tool (as nobody when we are root); its output goes to a log in {@code root}. */
    private static void run(Path root, boolean asRoot, String... command) throws IOException {
        List<String> line = new ArrayList<>();
        if (asRoot) {
            line.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        line.addAll(List.of(command));
        Path log = Files.createTempFile("fleetward-pg-command-", ".log");
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean exited = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            if (!exited || process.exitValue() != 0) {
                String output = Files.readString(log);
                String serverLog = Files.exists(root.resolve("server.log")) ? Files.readString(root.resolve("server.log")) : "";
                throw new IllegalStateException(String.join(" ", command) + (exited ? " failed" : " timed out")
                        + ":\n" + output + serverLog);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
