package io.fleetward.fleet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link RevisionFiles} over a map, for tests. Folder names are kept raw (not split on '/'), so a
 * test can present names that a real tree would never hold.
 */
final class InMemoryRevisionFiles implements RevisionFiles {
    private final Map<String, String> files = new TreeMap<>();
    private final Map<String, SortedSet<String>> folders = new HashMap<>();
    private final Map<String, SortedSet<String>> fileNames = new HashMap<>();

    /** Adds a file and its parent folders. */
    InMemoryRevisionFiles file(String path, String text) {
        files.put(path, text);
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        fileNames.computeIfAbsent(dir, d -> new TreeSet<>()).add(path.substring(slash + 1));
        registerFolders(dir);
        return this;
    }

    /** Adds folder {@code name} (taken literally, whatever it contains) under {@code dir}. */
    InMemoryRevisionFiles folder(String dir, String name) {
        folders.computeIfAbsent(dir, d -> new TreeSet<>()).add(name);
        registerFolders(dir);
        return this;
    }

    private void registerFolders(String dir) {
        while (!dir.isEmpty()) {
            int slash = dir.lastIndexOf('/');
            String parent = slash < 0 ? "" : dir.substring(0, slash);
            folders.computeIfAbsent(parent, d -> new TreeSet<>()).add(dir.substring(slash + 1));
            dir = parent;
        }
    }

    @Override
    public String revision() {
        return "0123456789abcdef0123456789abcdef01234567";
    }

    @Override
    public List<String> subdirectories(String dir) {
        return List.copyOf(folders.getOrDefault(dir, new TreeSet<>()));
    }

    @Override
    public List<String> files(String dir) {
        return List.copyOf(fileNames.getOrDefault(dir, new TreeSet<>()));
    }

    @Override
    public Optional<String> read(String path) {
        return Optional.ofNullable(files.get(path));
    }
}
