package io.fleetward.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.TargetState;
import io.fleetward.reconcile.TargetStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseTest {

    private static final String SECRET = "Xq7-hunter2-s3cret";
    private static final Instant T0 = Instant.parse("2025-05-01T10:15:30.123456Z");

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void kindFollowsTheUrl(Engine engine) {
        try (Database db = engine.freshDatabase(scratch).open()) {
            assertEquals(engine.name().toLowerCase(java.util.Locale.ROOT), db.kind());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void reopeningKeepsTheDataAndMigratesOnlyOnce(Engine engine) throws SQLException {
        DatabaseLocation location = engine.freshDatabase(scratch);
        TargetId target = TargetId.system("alpha");
        long id;
        try (Database db = location.open()) {
            id = new DeploymentStore(db).begin(target, "rev1", "timer", T0, "logs/1.log");
            new StatusStore(db).save(new TargetState(target, TargetStatus.DEPLOYING, "deploying rev1", "rev1", null,
                    null, null, null, false, T0));
        }
        for (int restart = 1; restart <= 2; restart++) {
            try (Database db = location.open()) {
                assertEquals(Optional.of("rev1"), new DeploymentStore(db).find(id).map(DeploymentRecord::revision));
                assertEquals(List.of(target), new StatusStore(db).loadAll().stream().map(TargetState::target).toList());
                assertEquals(MigrationScripts.NAMES.size(), appliedMigrations(db), "after restart " + restart);
            }
        }
    }

    @Test
    void everyScriptInTheMigrationFolderIsListed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", MigrationScripts.LOCATION))) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(onDisk, MigrationScripts.NAMES.stream().sorted().toList());
        }
    }

    @Test
    void defaultUrlIsAnAbsoluteH2FileThatStaysOpenUntilClosed() {
        String url = Database.defaultUrl(Path.of("data"));
        assertEquals("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("fleetward")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", url);
        assertThrows(IllegalArgumentException.class, () -> Database.defaultUrl(Path.of("/tmp/a;b")));
    }

    @Test
    void anH2DatabaseIsCreatedWithItsDataDir() {
        Path dataDir = scratch.resolve("not/yet/there");
        try (Database db = new Database(Database.defaultUrl(dataDir), Optional.empty(), Optional.empty(), 1)) {
            assertEquals("h2", db.kind());
        }
        assertTrue(Files.exists(dataDir.resolve("fleetward.mv.db")));
    }

    /** Each case: a way to fail opening a database, with {@link #SECRET} somewhere in what was given. */
    static Stream<Arguments> failures() {
        Function<Path, DatabaseLocation> wrongPostgresPassword = scratch -> new DatabaseLocation(
                PostgresServer.get().url("postgres"), PostgresServer.get().user(), Optional.of(SECRET));
        Function<Path, DatabaseLocation> postgresPasswordInUrl = scratch -> new DatabaseLocation(
                PostgresServer.get().url("postgres") + "?user=postgres&password=" + SECRET,
                Optional.empty(), Optional.empty());
        Function<Path, DatabaseLocation> unreachablePostgres = scratch -> new DatabaseLocation(
                "jdbc:postgresql://127.0.0.1:" + closedPort() + "/fleetward?password=" + SECRET,
                Optional.of("fleetward"), Optional.of(SECRET));
        Function<Path, DatabaseLocation> wrongH2Password = scratch -> {
            String url = "jdbc:h2:file:" + scratch.resolve("guarded");
            new Database(url, Optional.of("sa"), Optional.of("the-right-one"), 1).close();
            return new DatabaseLocation(url, Optional.of("sa"), Optional.of(SECRET));
        };
        Function<Path, DatabaseLocation> badH2Setting = scratch -> new DatabaseLocation(
                "jdbc:h2:file:" + scratch.resolve("bad") + ";PASSWORD=" + SECRET + ";NO_SUCH_SETTING=1",
                Optional.empty(), Optional.empty());
        Function<Path, DatabaseLocation> unsupportedUrl = scratch -> new DatabaseLocation(
                "jdbc:mysql://admin:" + SECRET + "@db.example/fleet", Optional.of("admin"), Optional.empty());
        return Stream.of(
                arguments("wrong PostgreSQL password", wrongPostgresPassword, "cannot connect to jdbc:postgresql://127.0.0.1"),
                arguments("PostgreSQL password in the URL", postgresPasswordInUrl, "password=***"),
                arguments("unreachable PostgreSQL", unreachablePostgres, "/fleetward?password=***"),
                arguments("wrong H2 password", wrongH2Password, "cannot connect to jdbc:h2:file:"),
                arguments("bad H2 setting", badH2Setting, "PASSWORD=***"),
                arguments("unsupported URL", unsupportedUrl, "jdbc:mysql://admin:***@db.example/fleet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aFailureNamesTheUrlButNeverThePassword(String name, Function<Path, DatabaseLocation> failing,
            String expectedInMessage) {
        DatabaseLocation location = failing.apply(scratch);
        StoreException failure = assertThrows(StoreException.class, location::open);
        assertTrue(failure.getMessage().contains(expectedInMessage), failure.getMessage());
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(SECRET), trace.toString());
    }

    @Test
    void noLogLineShowsThePasswordOfTheUrl() {
        PostgresServer server = PostgresServer.get();
        String password = server.password().orElse(SECRET);
        String url = server.createDatabase().url() + "?password=" + password;
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                        : new SimpleFormatter().formatMessage(record);
                lines.add(record.getLoggerName() + " " + message + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try (Database db = new Database(url, server.user(), Optional.empty(), 2)) {
            new LedgerStore(db);
        } finally {
            root.removeHandler(capture);
        }

        assertTrue(lines.stream().anyMatch(line -> line.contains("ready at schema version")), lines::toString);
        assertTrue(lines.stream().noneMatch(line -> line.contains(password)), lines::toString);
    }

    @Test
    void aPoolNeedsAtLeastOneConnection() {
        assertThrows(IllegalArgumentException.class,
                () -> new Database(Database.defaultUrl(scratch), Optional.empty(), Optional.empty(), 0));
    }

    private static int appliedMigrations(Database db) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
