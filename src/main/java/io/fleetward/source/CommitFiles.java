package io.fleetward.source;

import io.fleetward.fleet.RevisionFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/** {@link RevisionFiles} of one commit, read with a fresh {@link ObjectReader} per call (so any thread may use it). */
final class CommitFiles implements RevisionFiles {
    private final BareClone clone;
    private final String revision;
    private final ObjectId rootTree;

    CommitFiles(BareClone clone, String revision, ObjectId rootTree) {
        this.clone = clone;
        this.revision = revision;
        this.rootTree = rootTree;
    }

    @Override
    public String revision() {
        return revision;
    }

    @Override
    public List<String> subdirectories(String dir) {
        return entries(dir, mode -> mode == FileMode.TREE);
    }

    /** Regular files, executables and symbolic links; not sub-folders nor submodules. */
    @Override
    public List<String> files(String dir) {
        return entries(dir, mode -> mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE
                || mode == FileMode.SYMLINK);
    }

    /** Only regular and executable files are read; a symbolic link or folder at {@code path} reads as absent. */
    @Override
    public Optional<String> read(String path) {
        String normalized = normalize(path);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        return withReader(reader -> {
            try (TreeWalk walk = TreeWalk.forPath(reader, normalized, rootTree)) {
                if (walk == null) {
                    return null;
                }
                FileMode mode = walk.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    return null;
                }
                return new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            }
        });
    }

    private List<String> entries(String dir, Predicate<FileMode> wanted) {
        String normalized = normalize(dir);
        return withReader(reader -> {
            ObjectId tree = normalized.isEmpty() ? rootTree : subtree(reader, normalized);
            if (tree == null) {
                return null;
            }
            List<String> names = new ArrayList<>();
            try (TreeWalk walk = new TreeWalk(reader)) {
                walk.addTree(tree);
                while (walk.next()) {
                    if (wanted.test(walk.getFileMode(0))) {
                        names.add(walk.getNameString());
                    }
                }
            }
            // Git orders a folder as if its name ended in '/', which is not plain name order.
            names.sort(null);
            return List.copyOf(names);
        }).orElse(List.of());
    }

    private ObjectId subtree(ObjectReader reader, String dir) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, dir, rootTree)) {
            return walk != null && walk.getFileMode(0) == FileMode.TREE ? walk.getObjectId(0) : null;
        }
    }

    private <T> Optional<T> withReader(BareClone.ReaderTask<T> task) {
        try {
            return clone.read(task);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read revision " + revision + ": " + e.getMessage(), e);
        }
    }

    /** "a/b/", "/a/b" and "a//b" all name "a/b"; "" and "/" name the root. */
    private static String normalize(String path) {
        return String.join("/", Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    }
}
