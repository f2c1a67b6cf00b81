package io.fleetward.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The one folder ({@code fleetward.ssh.key-dir}) that per-host {@code ssh-identity} and
 * {@code ssh-known-hosts} paths of {@code fleetward.yaml} may point into. The overlay comes from the
 * repository, so whoever can push could otherwise point the daemon at any file it can read.
 *
 * <p>A path is confined when its real location, with {@code ..} and every symbolic link resolved (a
 * link to a file outside counts as outside), lies under the folder's own real location. A file that
 * does not exist yet is judged by its deepest existing ancestor. Without a folder every per-host path
 * is refused.
 */
public final class KeyDirectory {

    /** No folder configured: per-host key paths are refused. */
    public static final KeyDirectory NONE = new KeyDirectory(Optional.empty());

    private final Optional<Path> real;

    private KeyDirectory(Optional<Path> real) {
        this.real = real;
    }

    /**
     * The folder {@code dir}, resolved once now.
     *
     * @throws IllegalArgumentException when it is not an existing folder
     */
    public static KeyDirectory of(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Path real = dir.toAbsolutePath().toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException(dir + " is not a folder");
            }
            return new KeyDirectory(Optional.of(real));
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + " does not exist or cannot be read");
        }
    }

    /** The configured folder, resolved; empty when none is. */
    public Optional<Path> path() {
        return real;
    }

    /**
     * The real location of {@code path} when it lies in this folder.
     *
     * @param path an absolute, normalized path from the overlay
     * @return the resolved path, or empty with {@code rejection} telling why not
     */
    Confined confine(Path path) {
        if (real.isEmpty()) {
            return Confined.refused("per-host key paths need fleetward.ssh.key-dir (unset)");
        }
        if (Files.isSymbolicLink(path) && !Files.exists(path)) {
            // Where a dangling link points can change once its target is created: never trusted.
            return Confined.refused(path + " is a dangling symbolic link");
        }
        Path resolved;
        try {
            resolved = resolve(path);
        } catch (IOException e) {
            return Confined.refused("cannot resolve " + path);
        }
        if (!resolved.startsWith(real.get()) || resolved.equals(real.get())) {
            return Confined.refused(path + " is outside fleetward.ssh.key-dir " + real.get()
                    + (resolved.equals(path) ? "" : " (it resolves to " + resolved + ")"));
        }
        return new Confined(Optional.of(resolved), null);
    }

    /** The real path of the deepest existing ancestor of {@code path}, plus the rest of it. */
    private static Path resolve(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    }

    @Override
    public String toString() {
        return real.map(Path::toString).orElse("(unset)");
    }

    /** The outcome of {@link #confine}: a resolved path, or the reason it was refused. */
    record Confined(Optional<Path> path, String rejection) {
        static Confined refused(String reason) {
            return new Confined(Optional.empty(), reason);
        }
    }
}
