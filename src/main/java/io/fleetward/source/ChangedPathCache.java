package io.fleetward.source;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The changed paths of recently asked revision pairs, least recently used evicted first. Once a
 * pair is cached, every caller gets the same {@code Set} instance, so callers may memoize on it.
 */
final class ChangedPathCache {
    private record Pair(ObjectId from, ObjectId to) {
    }

    private final Map<Pair, Set<String>> entries;

    ChangedPathCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Pair, Set<String>> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Set<String> get(ObjectId from, ObjectId to) {
        return entries.get(new Pair(from, to));
    }

    /** Caches {@code paths} unless another thread cached the pair first; returns whichever set is cached. */
    synchronized Set<String> putIfAbsent(ObjectId from, ObjectId to, Set<String> paths) {
        return entries.computeIfAbsent(new Pair(from, to), pair -> paths);
    }
}
