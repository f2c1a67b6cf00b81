package io.fleetward.fleet;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A standard 5-field crontab schedule ({@code minute hour day-of-month month day-of-week}, as in
 * crontab(5) and Argo CD sync windows), parsed and evaluated by cron-utils. Immutable and thread-safe.
 */
public final class CronSchedule {
    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** cron-utils evaluates on a zone without DST; the wall-clock result is placed in the real zone after. */
    private static final ZoneId WALL = ZoneOffset.UTC;

    private final String text;
    private final ExecutionTime times;

    private CronSchedule(String text, Cron cron) {
        this.text = text;
        this.times = ExecutionTime.forCron(cron);
    }

    /**
     * Parses a 5-field expression.
     *
     * @throws IllegalArgumentException with a one-line reason when it is not one
     */
    public static CronSchedule parse(String text) {
        String trimmed = Objects.requireNonNull(text, "text").trim();
        if (trimmed.split("\\s+").length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week)");
        }
        try {
            Cron cron = PARSER.parse(trimmed);
            cron.validate();
            return new CronSchedule(trimmed, cron);
        } catch (RuntimeException e) {
            // cron-utils reports most mistakes as IllegalArgumentException, some as other runtime exceptions.
            String reason = e.getMessage() == null ? "invalid expression" : e.getMessage().lines().findFirst()
                    .orElse("invalid expression");
            throw new IllegalArgumentException(Names.printable(reason));
        }
    }

    /** The expression as written (trimmed). */
    public String text() {
        return text;
    }

    /**
     * The latest start at or before {@code at}, in {@code at}'s zone; empty when there is none. The
     * schedule is read on the wall clock of that zone, as cron does: a start that falls in a DST gap
     * happens when the gap ends, and in a repeated hour only its first occurrence counts.
     */
    public Optional<ZonedDateTime> lastStart(ZonedDateTime at) {
        ZoneId zone = at.getZone();
        // On the wall clock; cron-utils' lastExecution is strictly before its argument, a start exactly at `at` counts.
        ZonedDateTime wall = at.toLocalDateTime().atZone(WALL).plusSeconds(1);
        for (int step = 0; step < 4; step++) {
            Optional<ZonedDateTime> local = times.lastExecution(wall);
            if (local.isEmpty()) {
                return Optional.empty();
            }
            ZonedDateTime start = ZonedDateTime.ofLocal(local.get().toLocalDateTime(), zone, null);
            if (!start.isAfter(at)) {
                return Optional.of(start);
            }
            wall = local.get();
        }
        return Optional.empty();
    }

    /** The first start strictly after {@code at}, in {@code at}'s zone (wall clock, as {@link #lastStart}). */
    public Optional<ZonedDateTime> nextStart(ZonedDateTime at) {
        ZoneId zone = at.getZone();
        ZonedDateTime wall = at.toLocalDateTime().atZone(WALL);
        for (int step = 0; step < 4; step++) {
            Optional<ZonedDateTime> local = times.nextExecution(wall);
            if (local.isEmpty()) {
                return Optional.empty();
            }
            ZonedDateTime start = ZonedDateTime.ofLocal(local.get().toLocalDateTime(), zone, null);
            if (start.isAfter(at)) {
                return Optional.of(start);
            }
            // The second pass through a repeated hour: that start already happened.
            wall = local.get();
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule schedule && schedule.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
