package io.fleetward.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes one tree as a POSIX tar stream straight from the object database (a {@link TreeWalk}, no
 * checkout on disk), by commons-compress's {@link TarArchiveOutputStream}: pax headers for long names
 * and large sizes, the way {@code tar -xf -} on a deployer host reads it. Files keep their executable
 * bit (0755, else 0644), symbolic links stay links, a submodule is an empty folder (as git checks it
 * out); ownership and times are left to the extracting side (times zero: a checkout's carry no meaning).
 *
 * <p>The tree comes from a remote repository and is not trusted, and the extracting side follows
 * whatever it finds: a path with an empty, {@code .}, {@code ..} or {@code .git} segment, a path seen
 * twice, or a path below one written as a symbolic link (a link {@code a -> /etc} and then
 * {@code a/passwd}) ends the stream with an error instead.
 */
final class TreeTar {

    private final ObjectReader reader;
    private final Set<String> written = new HashSet<>();
    private final Set<String> links = new HashSet<>();

    private TreeTar(ObjectReader reader) {
        this.reader = reader;
    }

    /** Writes every entry of {@code tree} (git's order, so the same tree gives the same stream), then the end marker. */
    static void write(ObjectReader reader, ObjectId tree, OutputStream out) throws IOException {
        new TreeTar(reader).writeAll(tree, out);
    }

    private void writeAll(ObjectId tree, OutputStream out) throws IOException {
        // Not closed: closing would close the caller's stream; finish() writes the end marker.
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                String path = walk.getPathString();
                checkSafe(path);
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.TREE) {
                    entry(tar, directory(path));
                    walk.enterSubtree();
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    ObjectLoader blob = reader.open(walk.getObjectId(0), org.eclipse.jgit.lib.Constants.OBJ_BLOB);
                    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL, true);
                    entry.setMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                    entry.setSize(blob.getSize());
                    entry(tar, entry);
                    blob.copyTo(tar);
                    tar.closeArchiveEntry();
                } else if (mode == FileMode.SYMLINK) {
                    String target = new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
                    entry.setLinkName(target);
                    entry.setMode(0120777);
                    entry(tar, entry);
                    links.add(path);
                } else if (mode == FileMode.GITLINK) {
                    entry(tar, directory(path));
                }
            }
        }
        tar.finish();
        tar.flush();
    }

    private static TarArchiveEntry directory(String path) {
        TarArchiveEntry entry = new TarArchiveEntry(path + "/", TarConstants.LF_DIR, true);
        entry.setMode(040755);
        return entry;
    }

    /** Adds the header of {@code entry} (times zero, owner left to the extractor); a file's content follows. */
    private void entry(TarArchiveOutputStream tar, TarArchiveEntry entry) throws IOException {
        String path = entry.getName().endsWith("/") ? entry.getName().substring(0, entry.getName().length() - 1)
                : entry.getName();
        if (!written.add(path)) {
            throw new IOException("refusing a tree that holds " + path + " twice");
        }
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (links.contains(path.substring(0, slash))) {
                throw new IOException("refusing " + path + ": below a symbolic link in the same tree");
            }
        }
        entry.setModTime(0);
        entry.setUserId(0);
        entry.setGroupId(0);
        tar.putArchiveEntry(entry);
        if (!entry.isFile()) {
            tar.closeArchiveEntry();
        }
    }

    private static void checkSafe(String path) throws IOException {
        for (String segment : path.split("/", -1)) {
            String lower = segment.toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || lower.equals(".") || lower.equals("..") || lower.equals(".git")) {
                throw new IOException("refusing unsafe path in tree: " + path);
            }
        }
    }
}
