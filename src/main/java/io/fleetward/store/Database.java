package io.fleetward.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

/**
 * fleetward's database: a connection pool on an embedded H2 file or a PostgreSQL server, chosen at
 * run time by the JDBC URL, with the schema migrated when it opens. Errors name the URL with any
 * password masked.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Database.class);
    /**
     * How long a caller waits for a pooled connection before the operation fails: short, so that
     * while the database is down the loop and the API fail fast and say so instead of hanging.
     */
    private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(5);
    /** How long opening a new connection (TCP connect and login) may take. */
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(5);
    /** A connection idle this long is also checked in the background. */
    private static final Duration IDLE_VALIDATION = Duration.ofSeconds(30);
    /** How long checking a connection may take. */
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(3);
    private static final int MIGRATION_CONNECTIONS = 3;

    private final Backend backend;
    private final String redactedUrl;
    private final Redactor redactor;
    private final AgroalDataSource dataSource;

    /**
     * Opens the pool, checks that a connection can be made and migrates the schema.
     *
     * @throws StoreException if the URL is not an H2 or PostgreSQL one, the database cannot be reached
     *     or the migration fails; the message holds the URL with its password masked
     */
    public Database(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, not " + poolSize);
        }
        this.redactor = new Redactor(password);
        this.redactedUrl = redactor.redact(jdbcUrl);
        this.backend = Backend.of(jdbcUrl).orElseThrow(() -> new StoreException(
                "unsupported JDBC URL " + redactedUrl + ": expected jdbc:h2:... or jdbc:postgresql:..."));
        this.dataSource = openPool(jdbcUrl, user, password, poolSize);
        try {
            checkConnection();
            // Flyway holds two connections at once (schema history lock and migration), which a pool of
            // one cannot give: it migrates through a short-lived pool of its own.
            try (AgroalDataSource migrationPool = openPool(jdbcUrl, user, password, MIGRATION_CONNECTIONS)) {
                migrate(migrationPool);
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The embedded H2 database in {@code dataDir}, used when no URL is configured. */
    public static String defaultUrl(Path dataDir) {
        String file = dataDir.toAbsolutePath().normalize().resolve("fleetward").toString();
        if (file.contains(";")) {
            // H2 reads ';' as the start of a setting and has no way to escape it inside the path.
            throw new IllegalArgumentException("the data dir must not contain ';': " + dataDir);
        }
        // WRITE_DELAY=0: a commit is written at once, so a full disk or a crash loses no committed row.
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** {@code "h2"} or {@code "postgresql"}. */
    public String kind() {
        return backend.kind();
    }

    /**
     * Whether the database answers now: one trivial query on a pooled connection.
     *
     * @throws StoreException saying why not (the URL redacted)
     */
    public void check() {
        withConnection("checking the database " + redactedUrl, connection -> {
            try (var statement = connection.createStatement()) {
                statement.setQueryTimeout((int) VALIDATION_TIMEOUT.toSeconds());
                return statement.execute("SELECT 1");
            }
        });
    }

    /**
     * Closes the pool. An embedded H2 database is shut down first, so that its files are closed when
     * this returns (the pool closes its connections in the background).
     */
    @Override
    public void close() {
        if (backend == Backend.H2) {
            try {
                withConnection("shutting down " + redactedUrl, connection -> {
                    try (var statement = connection.createStatement()) {
                        return statement.execute("SHUTDOWN");
                    }
                });
            } catch (StoreException e) {
                LOG.debugf("H2 shutdown before closing: %s", e.getMessage()); // not an admin, or closed already
            }
        }
        dataSource.close();
        LOG.infof("Closed database %s", redactedUrl);
    }

    Backend backend() {
        return backend;
    }

    /** Work done on one pooled connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode.
     *
     * @param what what is being done, for the error message ("listing deployments")
     */
    <T> T withConnection(String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw redactor.failure(what + " failed", e);
        }
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T inTransaction(String what, SqlWork<T> work) {
        return withConnection(what, connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private AgroalDataSource openPool(String jdbcUrl, Optional<String> user, Optional<String> password, int size) {
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(size)
                        .acquisitionTimeout(ACQUISITION_TIMEOUT)
                        .idleValidationTimeout(IDLE_VALIDATION)
                        // A restarted PostgreSQL (or an H2 that closed itself on a full disk) leaves broken
                        // connections in the pool: each is checked when borrowed, and one that failed with a
                        // fatal error is thrown away, so the pool heals as soon as the database is back.
                        .validateOnBorrow(true)
                        .validationTimeout(VALIDATION_TIMEOUT)
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .exceptionSorter(backend == Backend.POSTGRESQL ? new PostgreSQLExceptionSorter()
                                : ExceptionSorter.fatalExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(jdbcUrl)
                                    .connectionProviderClass(backend.driver())
                                    .loginTimeout(LOGIN_TIMEOUT)
                                    .autoCommit(true);
                            user.ifPresent(name -> factory.principal(new NamePrincipal(name)));
                            password.ifPresent(secret -> factory.credential(new SimplePassword(secret)));
                            return factory;
                        }));
        try {
            return AgroalDataSource.from(configuration);
        } catch (SQLException | RuntimeException e) {
            throw redactor.failure("cannot create a connection pool for " + redactedUrl, e);
        }
    }

    private void checkConnection() {
        try (Connection connection = dataSource.getConnection()) {
            LOG.debugf("Connected to %s (%s %s)", redactedUrl,
                    connection.getMetaData().getDatabaseProductName(),
                    connection.getMetaData().getDatabaseProductVersion());
        } catch (SQLException | RuntimeException e) {
            throw redactor.failure("cannot connect to " + redactedUrl, e);
        }
    }

    private void migrate(DataSource migrationPool) {
        try {
            MigrateResult result = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(migrationPool)
                    .resourceProvider(new MigrationScripts())
                    .javaMigrationClassProvider(List::of)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
            LOG.infof("Database %s (%s) ready at schema version %s: %d migration(s) applied now",
                    redactedUrl, backend.kind(), result.targetSchemaVersion != null
                            ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw redactor.failure("migrating the schema of " + redactedUrl + " failed", e);
        }
    }
}
