package io.fleetward.source;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jboss.logging.Logger;

/**
 * Writes one tree into a fresh sibling folder of the destination, then swaps it into place, so
 * the destination never holds a mix of two revisions nor files left over from an older one.
 *
 * <p>The tree comes from a remote repository and is not trusted: paths with {@code .}, {@code ..}
 * or {@code .git} segments are refused, files are created with {@code CREATE_NEW} and folders one
 * by one, so nothing is ever written through a symbolic link (e.g. a link {@code a -> /etc} followed
 * by a file {@code a/passwd} in a crafted tree).
 */
final class TreeExport {
    private static final Logger LOG = Logger.getLogger(TreeExport.class);

    private final ObjectReader reader;
    private final Path root;
    private final boolean posix;
    private final Set<String> createdDirs = new HashSet<>();

    private TreeExport(ObjectReader reader, Path root) throws IOException {
        this.reader = reader;
        this.root = root;
        this.posix = Files.getFileStore(root).supportsFileAttributeView("posix");
        createdDirs.add("");
    }

    /** Replaces {@code dir} with the files of {@code tree}. */
    static void replace(ObjectReader reader, ObjectId tree, Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new IOException("cannot export into the file system root");
        }
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        Path staging = Files.createDirectory(parent.resolve("." + name + ".export-" + UUID.randomUUID()));
        try {
            new TreeExport(reader, staging).write(tree);
            swap(staging, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    private void write(ObjectId tree) throws IOException {
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                String path = walk.getPathString();
                checkSafe(path);
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    writeFile(path, walk.getObjectId(0), mode == FileMode.EXECUTABLE_FILE);
                } else if (mode == FileMode.SYMLINK) {
                    ensureDir(parentOf(path));
                    String linkTarget = new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                    Files.createSymbolicLink(root.resolve(path), Path.of(linkTarget));
                } else if (mode == FileMode.GITLINK) {
                    // A submodule checks out as an empty folder, as with git itself.
                    ensureDir(path);
                }
            }
        }
    }

    private void writeFile(String path, ObjectId blob, boolean executable) throws IOException {
        ensureDir(parentOf(path));
        Path file = root.resolve(path);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            reader.open(blob).copyTo(out);
        }
        if (executable && posix) {
            // Like git: execute wherever the umask left read.
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OWNER_READ)) {
                perms.add(PosixFilePermission.OWNER_EXECUTE);
            }
            if (perms.contains(PosixFilePermission.GROUP_READ)) {
                perms.add(PosixFilePermission.GROUP_EXECUTE);
            }
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
            }
            Files.setPosixFilePermissions(file, perms);
        }
    }

    /** Creates {@code dir} and its parents; fails when something other than a folder made here is in the way. */
    private void ensureDir(String dir) throws IOException {
        if (createdDirs.contains(dir)) {
            return;
        }
        ensureDir(parentOf(dir));
        Files.createDirectory(root.resolve(dir));
        createdDirs.add(dir);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static void checkSafe(String path) throws IOException {
        for (String segment : path.split("/", -1)) {
            String lower = segment.toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || lower.equals(".") || lower.equals("..") || lower.equals(".git")) {
                throw new IOException("refusing unsafe path in tree: " + path);
            }
        }
    }

    private static void swap(Path staging, Path target) throws IOException {
        if (!Files.exists(target, NOFOLLOW_LINKS)) {
            Files.move(staging, target, ATOMIC_MOVE);
            return;
        }
        // Two renames: a folder cannot be renamed over a non-empty one. The destination is
        // missing only between them, never half-written.
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(target, old, ATOMIC_MOVE);
        try {
            Files.move(staging, target, ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(old, target, ATOMIC_MOVE);
            throw e;
        }
        deleteQuietly(old);
    }

    private static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException e) {
            LOG.warnf("could not delete %s (left behind, harmless): %s", dir, e.getMessage());
        }
    }

    /** Deletes a tree without following links; makes read-only folders (e.g. copied from the Nix store) writable first. */
    private static void delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!Files.isWritable(d) && Files.getFileStore(d).supportsFileAttributeView("posix")) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d, NOFOLLOW_LINKS);
                    perms.add(PosixFilePermission.OWNER_WRITE);
                    perms.add(PosixFilePermission.OWNER_EXECUTE);
                    Files.setPosixFilePermissions(d, perms);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
