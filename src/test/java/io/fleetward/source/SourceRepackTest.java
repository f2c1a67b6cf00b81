package io.fleetward.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background repacks of the clone, on real repositories: packs pile up with fetches and go back to one. */
class SourceRepackTest {

    @TempDir
    Path tmp;
    private Git upstream;
    private GitSource source;
    private final ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    private Instant now = Instant.parse("2026-11-29T12:00:00Z");
    private final java.time.Clock clock = new java.time.Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private int counter;

    @BeforeEach
    void setUp() throws Exception {
        upstream = Git.init().setDirectory(tmp.resolve("upstream").toFile()).setInitialBranch("main").call();
        source = new GitSource(new SourceSettings(tmp.resolve("upstream").toString(), "main",
                tmp.resolve("clone.git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
    }

    @AfterEach
    void tearDown() {
        source.close();
        upstream.close();
        unused.shutdownNow();
    }

    private RevCommit commit() throws Exception {
        counter++;
        Files.writeString(tmp.resolve("upstream/flake.nix"), "{ n = " + counter + "; }\n");
        Files.createDirectories(tmp.resolve("upstream/modules/machines/nixos/web" + counter));
        Files.writeString(tmp.resolve("upstream/modules/machines/nixos/web" + counter + "/default.nix"), "{ }\n");
        upstream.add().addFilepattern(".").call();
        return upstream.commit().setMessage("change " + counter).setAuthor("t", "t@example.org")
                .setCommitter("t", "t@example.org").call();
    }

    private SourceRepack repack(Set<String> ledger) {
        return new SourceRepack(source, () -> ledger, Duration.ofHours(24), 50, clock, unused);
    }

    @Test
    void fiftyFetchesThatBringObjectsAreRepackedIntoOnePackKeepingEveryRevision() throws Exception {
        for (int i = 0; i < 55; i++) {
            commit();
            source.fetch();
        }
        String head = source.revision().orElseThrow();
        assertThat(source.packCount()).isGreaterThanOrEqualTo(50);

        repack(Set.of()).check();

        assertThat(source.packCount()).isEqualTo(1);
        assertThat(source.commit(head)).isPresent();
        assertThat(source.files(head).read("modules/machines/nixos/web1/default.nix")).contains("{ }\n");
    }

    @Test
    void belowThePackLimitNothingHappensUntilTheIntervalHasPassed() throws Exception {
        for (int i = 0; i < 3; i++) {
            commit();
            source.fetch();
        }
        int packs = source.packCount();
        SourceRepack repack = repack(Set.of());

        repack.check();
        assertThat(source.packCount()).isEqualTo(packs);

        now = now.plus(Duration.ofHours(24));
        repack.check();
        assertThat(source.packCount()).isEqualTo(1);
    }

    @Test
    void aCommitTheLedgerNamesSurvivesAForcePushAndARepackThatPrunesTheUnreachable() throws Exception {
        RevCommit base = commit();
        RevCommit deployed = commit();
        RevCommit dropped = commit();
        source.fetch();
        upstream.reset().setMode(ResetCommand.ResetType.HARD).setRef(base.name()).call();
        commit();
        assertThat(source.fetch().forced()).isTrue();
        try (var repository = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(tmp.resolve("clone.git").toFile()).build()) {
            StoredConfig config = repository.getConfig();
            config.setString("gc", null, "pruneExpire", "now");
            config.save();
        }

        RepackResult result = source.repack(Set.of(deployed.name()));

        assertThat(result.kept()).isEqualTo(1);
        // JGit packs what only other refs (the keep ref) reach apart from what branches reach.
        assertThat(result.packsAfter()).isEqualTo(2);
        assertThat(source.commit(deployed.name())).as("named by the ledger").isPresent();
        assertThat(source.commit(dropped.name())).as("unreachable and not named").isEmpty();

        // A revision the ledger no longer names loses its keep ref at the next repack.
        assertThat(source.repack(Set.of()).kept()).isZero();
        assertThat(source.commit(deployed.name())).as("pruned once nothing names it").isEmpty();
    }

    @Test
    void readersGoOnWhileTheCloneIsRepacked() throws Exception {
        for (int i = 0; i < 20; i++) {
            commit();
            source.fetch();
        }
        String head = source.revision().orElseThrow();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    if (source.files(head).read("flake.nix").isEmpty()) {
                        throw new AssertionError("flake.nix unreadable");
                    }
                    reads.incrementAndGet();
                } catch (Throwable e) {
                    failure.set(e);
                    return;
                }
            }
        });
        reader.start();
        try {
            source.repack(Set.of());
        } finally {
            done.set(true);
            reader.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(source.packCount()).isEqualTo(1);
    }
}
