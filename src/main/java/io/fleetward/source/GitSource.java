package io.fleetward.source;

import io.fleetward.drift.ChangedPaths;
import io.fleetward.fleet.RevisionFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.jboss.logging.Logger;

/**
 * The desired-state repository: a bare clone of one branch, fetched on demand and read straight
 * from the object database (no working tree). The only class family that imports JGit.
 *
 * <p>Threads: {@link #fetch()} calls are serialized; reads ({@link #files}, {@link #between},
 * {@link #commit}, {@link #export}) may run at any time, also during a fetch, because each opens
 * its own object reader and only ever names commits by full id (see {@link BareClone}).
 * Revisions are full 40-hex commit ids; anything else is an unknown revision.
 */
public final class GitSource implements ChangedPaths, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GitSource.class);
    private static final int CHANGED_PATH_PAIRS = 4096;
    private static final String DEFAULT_HTTPS_USER = "x-access-token";

    private final SourceSettings settings;
    private final String remote;
    private final String trackedRef;
    private final Redaction redaction;
    private final BareClone clone;
    /** Set for ssh:// and scp-like URLs when SSH settings are given; null otherwise. */
    private final GitSsh ssh;
    private final ChangedPathCache changedPaths = new ChangedPathCache(CHANGED_PATH_PAIRS);
    private final ReentrantLock fetching = new ReentrantLock();
    /** Two exports into the same folder must not interleave their renames. */
    private final ReentrantLock exporting = new ReentrantLock();

    public GitSource(SourceSettings settings) {
        this.settings = settings;
        this.remote = absoluteIfLocalPath(settings.url());
        this.trackedRef = "refs/heads/" + settings.branch();
        if (!Repository.isValidRefName(trackedRef)) {
            throw new IllegalArgumentException("invalid branch name '" + settings.branch() + "'");
        }
        this.redaction = new Redaction(settings.url(), settings.httpsToken());
        this.clone = new BareClone(settings.repoDir());
        this.ssh = settings.ssh().isPresent() && isSsh(remote) ? new GitSsh(settings.ssh().get()) : null;
    }

    /**
     * Brings the tracked branch up to date: clones (bare, into the repository folder) on the first
     * call, fetches afterwards. A fetch that finds nothing new transfers no objects. Force-pushes are
     * followed and reported.
     */
    public FetchResult fetch() throws SourceException {
        fetching.lock();
        try {
            long start = System.nanoTime();
            clone.create(settings.branch());
            FetchResult result = clone.use(repository -> fetchInto(repository, start))
                    .orElseThrow(() -> new IOException("repository " + settings.repoDir() + " is missing"));
            log(result);
            return result;
        } catch (IOException e) {
            String refused = ssh == null ? null : ssh.takeRefusal();
            if (refused != null) {
                // JGit only says the key "did not validate": name the host, file and fingerprint instead.
                throw new SourceException(redaction.scrub("fetch of branch '" + settings.branch() + "' from "
                        + displayUrl() + " failed: " + refused));
            }
            throw failure("fetch of branch '" + settings.branch() + "' from " + displayUrl() + " failed", e);
        } finally {
            fetching.unlock();
        }
    }

    /** The last fetched tip of the tracked branch (also from a clone left by an earlier run). */
    public Optional<String> revision() {
        try {
            return clone.use(this::tip);
        } catch (IOException e) {
            throw new UncheckedIOException(redaction.scrub(e.getMessage()), e);
        }
    }

    /**
     * A read-only view of {@code revision}'s files, straight from the object database.
     *
     * @throws IllegalArgumentException when the revision is not a commit in the clone
     */
    public RevisionFiles files(String revision) {
        ObjectId tree = readQuietly(reader -> {
            RevCommit commit = commit(reader, revision);
            return commit == null ? null : commit.getTree().copy();
        }).orElseThrow(() -> new IllegalArgumentException("unknown revision " + revision));
        return new CommitFiles(clone, ObjectId.fromString(revision).name(), tree);
    }

    /**
     * Paths of files added, modified or deleted from {@code from} to {@code to} (a rename shows
     * both names); empty set for two revisions with the same tree. Cached per pair: a cached pair
     * always returns the same unmodifiable set instance.
     */
    @Override
    public Optional<Set<String>> between(String from, String to) {
        Optional<ObjectId> fromId = commitId(from);
        Optional<ObjectId> toId = commitId(to);
        if (fromId.isEmpty() || toId.isEmpty()) {
            return Optional.empty();
        }
        Set<String> cached = changedPaths.get(fromId.get(), toId.get());
        if (cached != null) {
            return Optional.of(cached);
        }
        return readQuietly(reader -> diff(reader, fromId.get(), toId.get()))
                .map(paths -> changedPaths.putIfAbsent(fromId.get(), toId.get(), paths));
    }

    /**
     * Replaces {@code dir} with a clean copy of {@code revision}'s files (contents, executable bit,
     * symbolic links), written into a sibling folder first and then renamed into place.
     */
    public void export(String revision, Path dir) throws SourceException {
        exporting.lock();
        try {
            Optional<Boolean> written = clone.read(reader -> {
                RevCommit commit = commit(reader, revision);
                if (commit == null) {
                    return false;
                }
                TreeExport.replace(reader, commit.getTree(), dir);
                return true;
            });
            if (!written.orElse(false)) {
                throw new SourceException("cannot export unknown revision " + revision);
            }
            LOG.debugf("exported %s into %s", revision, dir);
        } catch (IOException e) {
            throw failure("export of " + revision + " into " + dir + " failed", e);
        } finally {
            exporting.unlock();
        }
    }

    /**
     * Writes {@code revision}'s files to {@code out} as a tar stream ({@link TreeTar}), straight from
     * the object database: nothing is exported to disk first.
     *
     * @throws SourceException when the revision is unknown
     * @throws IOException     when writing fails (e.g. the receiving side went away), or the tree is refused
     */
    public void archive(String revision, java.io.OutputStream out) throws SourceException, IOException {
        Optional<Boolean> written = clone.read(reader -> {
            RevCommit commit = commit(reader, revision);
            if (commit == null) {
                return false;
            }
            TreeTar.write(reader, commit.getTree(), out);
            return true;
        });
        if (!written.orElse(false)) {
            throw new SourceException("cannot archive unknown revision " + revision);
        }
        LOG.debugf("streamed %s as a tar", revision);
    }

    /**
     * Repacks the clone into one pack (JGit's {@code GC}, {@code setAuto(false)}), keeping every commit
     * of {@code keep} (the revisions the ledger names) even when no branch reaches it any more: each
     * gets a ref {@code refs/fleetward/keep/<id>} first, and keep refs of revisions no longer named are
     * dropped. Unreachable objects are pruned after git's {@code gc.pruneExpire} (two weeks unless
     * configured). Runs while fetches wait (one writer of the object database at a time) and readers go
     * on under the clone's read lock: JGit writes the new pack before it deletes the old ones.
     *
     * @return the pack count before and after, and the revisions kept
     */
    public RepackResult repack(Set<String> keep) throws SourceException {
        fetching.lock();
        try {
            long start = System.nanoTime();
            Optional<RepackResult> result = clone.use(repository -> {
                int before = packCount(repository);
                int kept = KeepRefs.update(repository, keep);
                org.eclipse.jgit.internal.storage.file.GC gc = new org.eclipse.jgit.internal.storage.file.GC(
                        (org.eclipse.jgit.internal.storage.file.FileRepository) repository);
                gc.setAuto(false);
                // The replaced packs go at once (git's default keeps them an hour for readers in other
                // processes; this clone has none, and JGit's readers rescan when a pack disappears).
                gc.setPackExpireAgeMillis(0);
                try {
                    gc.gc().join();
                } catch (java.text.ParseException | org.eclipse.jgit.api.errors.GitAPIException e) {
                    throw new IOException(e.getMessage(), e);
                }
                return new RepackResult(before, packCount(repository), kept,
                        java.time.Duration.ofNanos(System.nanoTime() - start));
            });
            return result.orElseThrow(() -> new IOException("repository " + settings.repoDir() + " is missing"));
        } catch (IOException | RuntimeException e) {
            throw failure("repack of " + settings.repoDir() + " failed", e instanceof IOException io ? io
                    : new IOException(e.getMessage(), e));
        } finally {
            fetching.unlock();
        }
    }

    /** Packs in the clone now (0 without a clone): each fetch that brings objects adds one. */
    public int packCount() {
        try {
            return clone.use(repository -> packCount(repository)).orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int packCount(Repository repository) throws IOException {
        Path packs = repository.getDirectory().toPath().resolve("objects/pack");
        if (!java.nio.file.Files.isDirectory(packs)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(packs)) {
            return (int) files.filter(file -> file.getFileName().toString().endsWith(".pack")).count();
        }
    }

    /**
     * The files in {@code dir} (an {@linkplain #export export} of {@code revision}) that are new or differ
     * from the revision's tree, sorted: what a deploy command wrote into the checkout (clan writes
     * generated vars and sops files into the flake). Symbolic links and folders are not compared.
     */
    public java.util.List<String> changedFiles(String revision, Path dir) throws SourceException {
        try {
            Optional<java.util.Map<String, ObjectId>> tree = clone.read(reader -> {
                RevCommit commit = commit(reader, revision);
                if (commit == null) {
                    return null;
                }
                java.util.Map<String, ObjectId> blobs = new java.util.HashMap<>();
                try (TreeWalk walk = new TreeWalk(reader)) {
                    walk.addTree(commit.getTree());
                    walk.setRecursive(true);
                    while (walk.next()) {
                        blobs.put(walk.getPathString(), walk.getObjectId(0));
                    }
                }
                return blobs;
            });
            if (tree.isEmpty()) {
                throw new SourceException("cannot compare with unknown revision " + revision);
            }
            java.util.List<String> changed = new java.util.ArrayList<>();
            org.eclipse.jgit.lib.ObjectInserter.Formatter hasher = new org.eclipse.jgit.lib.ObjectInserter.Formatter();
            Path root = dir.toAbsolutePath().normalize();
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(f -> java.nio.file.Files.isRegularFile(f,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS))::iterator) {
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    ObjectId expected = tree.get().get(relative);
                    if (expected == null || !expected.equals(hasher.idFor(org.eclipse.jgit.lib.Constants.OBJ_BLOB,
                            java.nio.file.Files.readAllBytes(file)))) {
                        changed.add(relative);
                    }
                }
            }
            java.util.Collections.sort(changed);
            return changed;
        } catch (IOException | UncheckedIOException e) {
            throw failure("comparing " + dir + " with " + revision + " failed", e instanceof IOException io ? io
                    : ((UncheckedIOException) e).getCause());
        }
    }

    /** Subject, author and time of {@code revision}; empty when it is not a commit in the clone. */
    public Optional<CommitInfo> commit(String revision) {
        return readQuietly(reader -> {
            RevCommit commit = commit(reader, revision);
            if (commit == null) {
                return null;
            }
            return new CommitInfo(commit.name(), reader.abbreviate(commit, 7).name(), commit.getShortMessage(),
                    commit.getAuthorIdent().getName(), commit.getCommitterIdent().getWhenAsInstant());
        });
    }

    /**
     * Whether {@code head} descends from {@code ancestor} (or is it): true for a fast-forward from
     * {@code ancestor}, false for a history rewritten before it or an unrelated one; empty when either
     * is not a commit in the clone.
     */
    public Optional<Boolean> descends(String head, String ancestor) {
        Optional<ObjectId> headId = commitId(head);
        Optional<ObjectId> ancestorId = commitId(ancestor);
        if (headId.isEmpty() || ancestorId.isEmpty()) {
            return Optional.empty();
        }
        return readQuietly(reader -> {
            try (RevWalk walk = new RevWalk(reader)) {
                RevCommit from = walk.parseCommit(ancestorId.get());
                RevCommit to = walk.parseCommit(headId.get());
                return walk.isMergedInto(from, to);
            } catch (MissingObjectException | IncorrectObjectTypeException e) {
                return null;
            }
        });
    }

    /** Runs {@code task} with the repository, for the signature checks; an I/O error is unexpected here. */
    <T> T withRepository(BareClone.Task<T> task) {
        try {
            return clone.use(task).orElseThrow(() -> new IllegalStateException("no clone of the source yet"));
        } catch (IOException e) {
            throw new UncheckedIOException(redaction.scrub(e.getMessage()), e);
        }
    }

    /** The URL without user-info or credentials: safe for logs and the API. */
    public String displayUrl() {
        return redaction.displayUrl();
    }

    public String branch() {
        return settings.branch();
    }

    /** Releases the repository; waits for running reads and fetches. Later calls fail. */
    @Override
    public void close() {
        clone.close();
        if (ssh != null) {
            ssh.close();
        }
    }

    private FetchResult fetchInto(Repository repository, long start) throws IOException {
        String previous = tip(repository);
        TrackingRefUpdate update;
        try (Git git = Git.wrap(repository)) {
            FetchCommand command = git.fetch()
                    .setRemote(remote)
                    .setRefSpecs(new RefSpec("+" + trackedRef + ":" + trackedRef))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setRemoveDeletedRefs(false)
                    .setTimeout(timeoutSeconds(settings.fetchTimeout()));
            if (settings.httpsToken().isPresent() && isHttp(remote)) {
                command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(
                        settings.httpsUser().filter(u -> !u.isBlank()).orElse(DEFAULT_HTTPS_USER),
                        settings.httpsToken().get()));
            }
            if (ssh != null) {
                command.setTransportConfigCallback(transport -> {
                    if (transport instanceof SshTransport sshTransport) {
                        sshTransport.setSshSessionFactory(ssh.factory());
                    }
                });
            }
            update = command.call().getTrackingRefUpdate(trackedRef);
        } catch (GitAPIException | JGitInternalException e) {
            if (isMissingBranch(e)) {
                throw new BranchMissing();
            }
            throw new IOException(e.getMessage(), e);
        }
        if (update != null && !isApplied(update.getResult())) {
            throw new IOException("could not update " + trackedRef + ": " + update.getResult());
        }
        String current = tip(repository);
        if (current == null) {
            throw new BranchMissing();
        }
        boolean changed = !current.equals(previous);
        boolean forced = changed && previous != null && update != null
                && update.getResult() == RefUpdate.Result.FORCED;
        return new FetchResult(current, previous, changed, forced, Duration.ofNanos(System.nanoTime() - start));
    }

    private void log(FetchResult result) {
        if (!result.changed()) {
            LOG.debugf("source %s branch '%s' unchanged at %s (%d ms)", displayUrl(), branch(),
                    shortId(result.revision()), result.took().toMillis());
        } else if (result.previousRevision() == null) {
            LOG.infof("source %s branch '%s' cloned at %s (%d ms)", displayUrl(), branch(),
                    shortId(result.revision()), result.took().toMillis());
        } else {
            LOG.infof("source %s branch '%s' moved %s -> %s%s (%d ms)", displayUrl(), branch(),
                    shortId(result.previousRevision()), shortId(result.revision()),
                    result.forced() ? " by a force-push" : "", result.took().toMillis());
        }
    }

    private Set<String> diff(ObjectReader reader, ObjectId from, ObjectId to) throws IOException {
        RevCommit fromCommit = commit(reader, from);
        RevCommit toCommit = commit(reader, to);
        if (fromCommit == null || toCommit == null) {
            return null;
        }
        Set<String> paths = new HashSet<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            // ANY_DIFF skips subtrees with equal ids, so the cost follows the change, not the repository size.
            walk.setFilter(TreeFilter.ANY_DIFF);
            walk.setRecursive(true);
            walk.addTree(fromCommit.getTree());
            walk.addTree(toCommit.getTree());
            while (walk.next()) {
                paths.add(walk.getPathString());
            }
        }
        return Set.copyOf(paths);
    }

    private static RevCommit commit(ObjectReader reader, String revision) throws IOException {
        Optional<ObjectId> id = commitId(revision);
        return id.isEmpty() ? null : commit(reader, id.get());
    }

    private static RevCommit commit(ObjectReader reader, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(reader)) {
            return walk.parseCommit(id);
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            return null;
        }
    }

    private static Optional<ObjectId> commitId(String revision) {
        return revision != null && ObjectId.isId(revision) ? Optional.of(ObjectId.fromString(revision)) : Optional.empty();
    }

    private String tip(Repository repository) throws IOException {
        Ref ref = repository.exactRef(trackedRef);
        return ref == null || ref.getObjectId() == null ? null : ref.getObjectId().name();
    }

    /** Reads for methods that cannot throw checked exceptions: an I/O error on the local clone is unexpected. */
    private <T> Optional<T> readQuietly(BareClone.ReaderTask<T> task) {
        try {
            return clone.read(task);
        } catch (IOException e) {
            throw new UncheckedIOException(redaction.scrub(e.getMessage()), e);
        }
    }

    private boolean isMissingBranch(Exception e) {
        String missing = MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec, trackedRef);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (missing.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@link SourceException} whose message carries the reasons of the whole cause chain, with
     * credentials removed. The cause itself is not attached: its message could hold them.
     */
    private SourceException failure(String what, Exception e) {
        if (e instanceof BranchMissing) {
            return new SourceException("branch '" + settings.branch() + "' not found at " + displayUrl());
        }
        StringBuilder reasons = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && (last == null || !last.contains(message))) {
                reasons.append(": ").append(message);
                last = message;
            }
        }
        return new SourceException(redaction.scrub(what + reasons));
    }

    private static boolean isApplied(RefUpdate.Result result) {
        return switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> true;
            default -> false;
        };
    }

    private static int timeoutSeconds(Duration timeout) {
        long seconds = (timeout.toMillis() + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    private static boolean isHttp(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
    }

    /** {@code ssh://}, {@code git+ssh://} and scp-like {@code [user@]host:path} URLs. */
    private static boolean isSsh(String url) {
        try {
            URIish uri = new URIish(url);
            String scheme = uri.getScheme();
            return scheme == null ? uri.getHost() != null
                    : scheme.equals("ssh") || scheme.equals("git+ssh") || scheme.equals("ssh+git");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** JGit resolves a relative local path against the clone's folder, not the working directory. */
    private static String absoluteIfLocalPath(String url) {
        try {
            URIish uri = new URIish(url);
            if (uri.getScheme() == null && uri.getHost() == null) {
                return Path.of(url).toAbsolutePath().normalize().toString();
            }
        } catch (java.net.URISyntaxException | java.nio.file.InvalidPathException e) {
            // Not a path: leave it for JGit to report.
        }
        return url;
    }

    private static String shortId(String revision) {
        return revision.substring(0, Math.min(12, revision.length()));
    }

    /** Signals "the remote has no such branch" out of the fetch task; turned into the documented message. */
    private static final class BranchMissing extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
