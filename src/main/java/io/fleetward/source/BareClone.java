package io.fleetward.source;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * The bare clone on disk: opened once (an existing clone is reused after a restart), used by many
 * threads at once, closed once.
 *
 * <p>Thread safety: JGit's {@link Repository} and its object database are safe to share; only
 * {@code ObjectReader}, {@code RevWalk} and {@code TreeWalk} are not, so every task opens its own.
 * Objects are immutable and a fetch only adds packs (registered atomically), so readers need no
 * lock against a fetch. The read/write lock here only keeps {@link #close()} from closing the
 * repository under a running task: tasks (reads and fetches) share the read lock, opening and
 * closing take the write lock.
 */
final class BareClone implements AutoCloseable {
    /** Work with the repository; must not keep it, nor any reader made from it, after returning. */
    @FunctionalInterface
    interface Task<T> {
        T run(Repository repository) throws IOException;
    }

    /** Reads objects; the reader is closed when the task returns. */
    @FunctionalInterface
    interface ReaderTask<T> {
        T run(ObjectReader reader) throws IOException;
    }

    private final Path dir;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Repository repository;
    private boolean closed;

    BareClone(Path dir) {
        this.dir = dir;
    }

    /**
     * Runs {@code task} with the repository; empty when there is no clone on disk yet (or the
     * task returned null).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    <T> Optional<T> use(Task<T> task) throws IOException {
        if (repository == null) {
            openExisting();
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("source repository " + dir + " is closed");
            }
            Repository repo = repository;
            return repo == null ? Optional.empty() : Optional.ofNullable(task.run(repo));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@link #use} with a fresh object reader: the usual way to read, since readers are not thread-safe. */
    <T> Optional<T> read(ReaderTask<T> task) throws IOException {
        return use(repository -> {
            try (ObjectReader reader = repository.newObjectReader()) {
                return task.run(reader);
            }
        });
    }

    /** Creates an empty bare repository whose HEAD names {@code branch}, unless a clone exists already. */
    void create(String branch) throws IOException {
        lock.writeLock().lock();
        try {
            openExistingLocked();
            if (repository != null || closed) {
                return;
            }
            if (Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IOException(dir + " exists, is not empty and is not a git repository");
                    }
                }
            }
            Files.createDirectories(dir);
            try {
                Git.init().setBare(true).setGitDir(dir.toFile()).setInitialBranch(branch).call().close();
            } catch (GitAPIException e) {
                throw new IOException("cannot create " + dir + ": " + e.getMessage(), e);
            }
            repository = open(dir.toFile());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed && repository != null) {
                repository.close();
            }
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void openExisting() throws IOException {
        lock.writeLock().lock();
        try {
            openExistingLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void openExistingLocked() throws IOException {
        if (repository == null && !closed && RepositoryCache.FileKey.isGitRepository(dir.toFile(), FS.DETECTED)) {
            repository = open(dir.toFile());
        }
    }

    /**
     * Opens the clone with JGit's automatic gc off. JGit would otherwise start a full gc after a
     * fetch once more than 50 packs pile up, on the latency path of every webhook, and delete
     * packs that lock-free readers may be using (measured by the webhook latency benchmark: fetch
     * times grew from about 20 ms to 70 ms over 200 pushes).
     */
    private static Repository open(File gitDir) throws IOException {
        Repository repository = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
        StoredConfig config = repository.getConfig();
        // Both triggers: loose objects (gc.auto) and pack count (gc.autopacklimit).
        boolean changed = false;
        for (String key : new String[] {ConfigConstants.CONFIG_KEY_AUTO, ConfigConstants.CONFIG_KEY_AUTOPACKLIMIT}) {
            if (config.getInt(ConfigConstants.CONFIG_GC_SECTION, key, -1) != 0) {
                config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, key, 0);
                changed = true;
            }
        }
        if (changed) {
            config.save();
        }
        return repository;
    }
}
