package io.fleetward.bench;

import io.fleetward.fleet.RevisionFiles;
import io.fleetward.source.FetchResult;
import io.fleetward.source.GitSource;
import io.fleetward.source.RepackResult;
import io.fleetward.source.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Costs of the source on a realistic history: clone, no-op fetch, changed paths (uncached and
 * cached), tree reads and export. Not part of the test suite; run with
 * {@code mvn -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.SourceBench}
 * (sizes: {@code -Dbench.hosts=200 -Dbench.users=40 -Dbench.commits=5000}).
 */
public final class SourceBench {
    private static final int NO_OP_FETCHES = 200;
    private static final int FAR_PAIRS = 200;
    private static final int MOVING_FETCHES = 1_000;

    private SourceBench() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = Integer.getInteger("bench.hosts", 200);
        int users = Integer.getInteger("bench.users", 40);
        int commits = Integer.getInteger("bench.commits", 5000);
        Path work = Files.createTempDirectory("fleetward-source-bench");
        try {
            run(work, hosts, users, commits);
        } finally {
            delete(work);
        }
    }

    private static void run(Path work, int hosts, int users, int commits) throws Exception {
        long start = System.nanoTime();
        Path upstream = FleetHistory.generate(work.resolve("upstream.git"), hosts, users, commits, 42L);
        List<String> revisions = FleetHistory.revisions(upstream);
        System.out.printf("generated %d commits, %d hosts, %d users in %.1f s (upstream %.1f MB)%n",
                revisions.size(), hosts, users, seconds(start), sizeMb(upstream));

        SourceSettings settings = new SourceSettings(upstream.toString(), FleetHistory.BRANCH, work.resolve("clone.git"),
                Duration.ofSeconds(60), Optional.empty(), Optional.empty());
        try (GitSource source = new GitSource(settings)) {
            FetchResult clone = source.fetch();
            System.out.printf("clone: %d ms (clone %.1f MB)%n", clone.took().toMillis(), sizeMb(work.resolve("clone.git")));

            long objectFilesBefore = countFiles(work.resolve("clone.git/objects"));
            for (int i = 0; i < 20; i++) {
                source.fetch();
            }
            double[] noOp = new double[NO_OP_FETCHES];
            for (int i = 0; i < NO_OP_FETCHES; i++) {
                long t = System.nanoTime();
                FetchResult result = source.fetch();
                noOp[i] = millis(t);
                if (result.changed()) {
                    throw new IllegalStateException("a no-op fetch changed the revision");
                }
            }
            System.out.printf("no-op fetch (%d): median %.2f ms, p99 %.2f ms, max %.2f ms; object files %d -> %d%n",
                    NO_OP_FETCHES, percentile(noOp, 50), percentile(noOp, 99), percentile(noOp, 100),
                    objectFilesBefore, countFiles(work.resolve("clone.git/objects")));

            String first = revisions.get(0);
            String head = revisions.get(revisions.size() - 1);
            long t = System.nanoTime();
            Set<String> farthest = source.between(first, head).orElseThrow();
            System.out.printf("changed paths HEAD~%d..HEAD, first call in the JVM: %.2f ms, %d paths%n",
                    revisions.size() - 1, millis(t), farthest.size());

            // Warm the JIT on short pairs that are not measured.
            for (int i = 0; i + 10 < revisions.size() && i < 500; i++) {
                source.between(revisions.get(i), revisions.get(i + 10));
            }
            int pairs = Math.min(FAR_PAIRS, revisions.size() / 2 - 1);
            double[] cold = new double[pairs];
            long paths = 0;
            for (int i = 0; i < pairs; i++) {
                long c = System.nanoTime();
                paths += source.between(revisions.get(i + 1), revisions.get(revisions.size() - 2 - i)).orElseThrow().size();
                cold[i] = millis(c);
            }
            double[] near = new double[pairs];
            long nearPaths = 0;
            int offset = Math.min(1000, revisions.size() / 2);
            for (int i = 0; i < pairs && offset + i + 10 < revisions.size(); i++) {
                long n = System.nanoTime();
                nearPaths += source.between(revisions.get(offset + i), revisions.get(offset + i + 10)).orElseThrow().size();
                near[i] = millis(n);
            }
            System.out.printf("changed paths, %d uncached pairs 10 commits apart (avg %d paths): median %.2f ms, p99 %.2f ms%n",
                    pairs, nearPaths / Math.max(1, pairs), percentile(near, 50), percentile(near, 99));

            double[] warm = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                long w = System.nanoTime();
                source.between(revisions.get(i + 1), revisions.get(revisions.size() - 2 - i));
                warm[i] = millis(w) * 1000;
            }
            System.out.printf("changed paths, %d uncached far-apart pairs (>= %d commits apart, avg %d paths): "
                    + "median %.2f ms, p99 %.2f ms%n", pairs, revisions.size() - 3 - 2 * (pairs - 1),
                    paths / Math.max(1, pairs), percentile(cold, 50), percentile(cold, 99));
            System.out.printf("changed paths, same pairs cached: median %.1f us, p99 %.1f us%n",
                    percentile(warm, 50), percentile(warm, 99));

            double[] reads = new double[100];
            for (int i = 0; i < reads.length; i++) {
                long r = System.nanoTime();
                RevisionFiles files = source.files(revisions.get(revisions.size() - 1 - i));
                for (String host : files.subdirectories("modules/machines/nixos")) {
                    files.files("modules/machines/nixos/" + host);
                }
                files.read("flake.nix");
                reads[i] = millis(r);
            }
            System.out.printf("files(): list every NixOS host folder + read flake.nix: median %.2f ms, p99 %.2f ms%n",
                    percentile(reads, 50), percentile(reads, 99));

            Path checkout = work.resolve("checkout");
            source.export(head, checkout);
            long e = System.nanoTime();
            source.export(revisions.get(revisions.size() - 2), checkout);
            System.out.printf("export (replacing a previous export): %.1f ms, %d files%n", millis(e), countFiles(checkout));

            movingFetches(source, upstream, work.resolve("clone.git"));
        }
    }

    /**
     * 1,000 fetches that each bring one new commit (each adds a pack to the clone), without a repack,
     * then one repack (what {@code SourceRepack} does in the background) and 50 more: fetch times as
     * packs pile up and after they are packed again.
     */
    private static void movingFetches(GitSource source, Path upstream, Path clone) throws Exception {
        double[] piling = new double[MOVING_FETCHES];
        try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(upstream.toFile()).build()) {
            for (int i = 0; i < MOVING_FETCHES; i++) {
                advance(repo, i);
                long t = System.nanoTime();
                source.fetch();
                piling[i] = millis(t);
            }
            int packs = source.packCount();
            long r = System.nanoTime();
            RepackResult repacked = source.repack(java.util.Set.of());
            double repackMs = millis(r);
            double[] after = new double[50];
            for (int i = 0; i < after.length; i++) {
                advance(repo, MOVING_FETCHES + i);
                long t = System.nanoTime();
                source.fetch();
                after[i] = millis(t);
            }
            System.out.printf("moving fetch (one new commit each), fetches 1-50: median %.2f ms, p99 %.2f ms%n",
                    percentile(java.util.Arrays.copyOfRange(piling, 0, 50), 50),
                    percentile(java.util.Arrays.copyOfRange(piling, 0, 50), 99));
            System.out.printf("moving fetch, fetches %d-%d without a repack (%d packs): median %.2f ms, p99 %.2f ms%n",
                    MOVING_FETCHES - 49, MOVING_FETCHES, packs,
                    percentile(java.util.Arrays.copyOfRange(piling, MOVING_FETCHES - 50, MOVING_FETCHES), 50),
                    percentile(java.util.Arrays.copyOfRange(piling, MOVING_FETCHES - 50, MOVING_FETCHES), 99));
            System.out.printf("repack: %d packs -> %d in %.0f ms (clone %.1f MB)%n", repacked.packsBefore(),
                    repacked.packsAfter(), repackMs, sizeMb(clone));
            System.out.printf("moving fetch, 50 fetches after the repack: median %.2f ms, p99 %.2f ms%n",
                    percentile(after, 50), percentile(after, 99));
        }
    }

    /** One commit on the upstream branch that changes flake.lock (a bare repository: objects written directly). */
    private static void advance(org.eclipse.jgit.lib.Repository repo, int n) throws IOException {
        org.eclipse.jgit.lib.ObjectId head = repo.resolve("refs/heads/" + FleetHistory.BRANCH);
        try (org.eclipse.jgit.lib.ObjectInserter inserter = repo.newObjectInserter();
                org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo);
                org.eclipse.jgit.treewalk.TreeWalk tree = new org.eclipse.jgit.treewalk.TreeWalk(repo)) {
            org.eclipse.jgit.revwalk.RevCommit parent = walk.parseCommit(head);
            tree.addTree(parent.getTree());
            org.eclipse.jgit.lib.TreeFormatter root = new org.eclipse.jgit.lib.TreeFormatter();
            boolean replaced = false;
            while (tree.next()) {
                if (tree.getNameString().equals("flake.lock")) {
                    root.append("flake.lock", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, inserter.insert(
                            org.eclipse.jgit.lib.Constants.OBJ_BLOB, ("{ \"moving\": " + n + " }\n").getBytes()));
                    replaced = true;
                } else {
                    root.append(tree.getNameString(), tree.getFileMode(0), tree.getObjectId(0));
                }
            }
            if (!replaced) {
                throw new IllegalStateException("the generated history has no flake.lock at its root");
            }
            org.eclipse.jgit.lib.CommitBuilder commit = new org.eclipse.jgit.lib.CommitBuilder();
            commit.setTreeId(inserter.insert(root));
            commit.setParentId(head);
            org.eclipse.jgit.lib.PersonIdent who = new org.eclipse.jgit.lib.PersonIdent("Bench", "bench@example.org",
                    java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n), java.time.ZoneOffset.UTC);
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("moving " + n + "\n");
            org.eclipse.jgit.lib.ObjectId id = inserter.insert(commit);
            inserter.flush();
            org.eclipse.jgit.lib.RefUpdate update = repo.updateRef("refs/heads/" + FleetHistory.BRANCH);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(head);
            org.eclipse.jgit.lib.RefUpdate.Result result = update.update();
            if (result != org.eclipse.jgit.lib.RefUpdate.Result.FAST_FORWARD) {
                throw new IllegalStateException("moving the upstream branch: " + result);
            }
        }
    }

    private static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).count();
        }
    }

    private static double sizeMb(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            long bytes = 0;
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                bytes += Files.size(p);
            }
            return bytes / 1e6;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
