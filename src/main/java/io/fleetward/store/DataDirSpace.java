package io.fleetward.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The free space of the data dir (clone, checkouts, logs and the embedded database): when it runs
 * low, writes start to fail, so it is watched before that happens.
 *
 * @param dir     the data dir
 * @param minFree below this many usable bytes the space is low
 */
public record DataDirSpace(Path dir, long minFree) {

    /** Usable bytes on the data dir's file system, or empty when it cannot be read. */
    public OptionalLong usable() {
        try {
            return OptionalLong.of(Files.getFileStore(dir).getUsableSpace());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Why the space is low ("12 MiB free in /var/lib/fleetward, below 64 MiB"), or null when it is not. */
    public String shortage() {
        OptionalLong usable = usable();
        if (usable.isEmpty()) {
            return "cannot read the free space of " + dir;
        }
        return usable.getAsLong() < minFree ? mib(usable.getAsLong()) + " free in " + dir + ", below " + mib(minFree)
                : null;
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }
}
