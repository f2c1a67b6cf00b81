package io.fleetward.evaluate;

import io.fleetward.source.GitSource;
import io.fleetward.source.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One checkout per revision that evaluations run in, shared by the evaluations of that revision:
 * exported once, deleted once no evaluation uses it and a newer revision was exported. One lock
 * guards the table (held while a revision is exported: evaluations of it wait for the export).
 */
final class RevisionCheckouts {
    private static final Logger LOG = Logger.getLogger(RevisionCheckouts.class);

    private final GitSource source;
    private final Path root;
    private final ReentrantLock lock = new ReentrantLock();
    /** Revision -> evaluations using its checkout now; insertion order is export order. */
    private final Map<String, Integer> users = new HashMap<>();
    private String newest;

    RevisionCheckouts(GitSource source, Path root) {
        this.source = source;
        this.root = root;
    }

    /** The checkout of {@code revision}, exported if needed; give it back with {@link #release}. */
    Path acquire(String revision) throws SourceException {
        lock.lock();
        try {
            Path dir = root.resolve(revision);
            if (!users.containsKey(revision)) {
                source.export(revision, dir);
                users.put(revision, 0);
                newest = revision;
                deleteUnused();
            }
            users.merge(revision, 1, Integer::sum);
            return dir;
        } finally {
            lock.unlock();
        }
    }

    void release(String revision) {
        lock.lock();
        try {
            users.computeIfPresent(revision, (r, n) -> n - 1);
            deleteUnused();
        } finally {
            lock.unlock();
        }
    }

    private void deleteUnused() {
        for (Iterator<Map.Entry<String, Integer>> it = users.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> entry = it.next();
            if (entry.getValue() == 0 && !entry.getKey().equals(newest)) {
                it.remove();
                delete(root.resolve(entry.getKey()));
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete %s (left behind, harmless): %s", dir, e.getMessage());
        }
    }
}
