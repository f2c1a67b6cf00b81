package io.fleetward.store;

import java.sql.Driver;
import java.util.Arrays;
import java.util.Optional;

/**
 * The database engines fleetward runs on, recognised by JDBC URL prefix. Each names its driver
 * class directly, so connections never depend on {@code DriverManager} or on which class loader
 * registered which driver.
 */
enum Backend {
    H2("h2", "jdbc:h2:", org.h2.Driver.class),
    POSTGRESQL("postgresql", "jdbc:postgresql:", org.postgresql.Driver.class);

    private final String kind;
    private final String urlPrefix;
    private final Class<? extends Driver> driver;

    Backend(String kind, String urlPrefix, Class<? extends Driver> driver) {
        this.kind = kind;
        this.urlPrefix = urlPrefix;
        this.driver = driver;
    }

    static Optional<Backend> of(String jdbcUrl) {
        return Arrays.stream(values()).filter(b -> jdbcUrl.startsWith(b.urlPrefix)).findFirst();
    }

    String kind() {
        return kind;
    }

    Class<? extends Driver> driver() {
        return driver;
    }
}
