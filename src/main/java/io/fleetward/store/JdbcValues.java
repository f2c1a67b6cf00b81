package io.fleetward.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Reads and writes the values whose JDBC mapping H2 and PostgreSQL share only in one form: instants
 * as {@code TIMESTAMP WITH TIME ZONE} through {@link OffsetDateTime}, nullable integers, and free text.
 */
final class JdbcValues {

    private JdbcValues() {
    }

    /**
     * Both engines keep microseconds; truncating here (instead of letting each engine round) makes the
     * value read back exactly the value stored.
     */
    static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(stored(instant), ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    /**
     * Writes free text that comes from commands (log tails, failure reasons). PostgreSQL rejects the
     * NUL character in text, and one stray NUL in a deploy log must not lose the whole record, so it
     * is stored as U+FFFD, the replacement character.
     */
    static void setText(PreparedStatement statement, int index, String text) throws SQLException {
        statement.setString(index, text == null ? null : text.replace('\0', '\uFFFD'));
    }

    static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }
}
