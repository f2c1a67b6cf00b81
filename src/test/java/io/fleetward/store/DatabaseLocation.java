package io.fleetward.store;

import java.util.Optional;

/** Where a test database is and how to log in; {@link #open()} again reopens the same data. */
public record DatabaseLocation(String url, Optional<String> user, Optional<String> password) {

    public Database open() {
        return new Database(url, user, password, 4);
    }
}
