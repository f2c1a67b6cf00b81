package io.fleetward.store;

import java.nio.file.Path;
import java.util.Optional;

/** The two database engines every store test runs against. */
enum Engine {
    H2 {
        @Override
        DatabaseLocation freshDatabase(Path scratch) {
            return new DatabaseLocation(Database.defaultUrl(scratch.resolve("data")), Optional.empty(),
                    Optional.empty());
        }
    },
    POSTGRESQL {
        @Override
        DatabaseLocation freshDatabase(Path scratch) {
            return PostgresServer.get().createDatabase();
        }
    };

    /** A new, empty database; opening its location again reopens the same data. */
    abstract DatabaseLocation freshDatabase(Path scratch);
}
