package io.fleetward.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetward.fleet.RevisionFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GitSourceTest {
    private static final String ZERO = "0000000000000000000000000000000000000000";

    @TempDir
    Path tmp;

    private Upstream upstream;
    private GitSource source;

    @BeforeEach
    void setUp() throws Exception {
        upstream = new Upstream(tmp.resolve("upstream"));
        source = new GitSource(settings(upstream.dir.toString(), "main"));
    }

    @AfterEach
    void tearDown() {
        source.close();
        upstream.close();
    }

    private SourceSettings settings(String url, String branch) {
        return new SourceSettings(url, branch, tmp.resolve("clone.git"), Duration.ofSeconds(10),
                Optional.empty(), Optional.empty());
    }

    @Test
    void firstFetchClonesBareRepository() throws Exception {
        String head = upstream.commit("init", Map.of("flake.nix", "{ }"));

        FetchResult result = source.fetch();

        assertEquals(head, result.revision());
        assertNull(result.previousRevision());
        assertTrue(result.changed());
        assertFalse(result.forced());
        assertEquals(Optional.of(head), source.revision());
        assertTrue(Files.isRegularFile(tmp.resolve("clone.git/HEAD")), "bare layout");
        assertFalse(Files.exists(tmp.resolve("clone.git/flake.nix")), "no working tree");
    }

    @Test
    void theCloneNeverRunsJGitsAutomaticGc() throws Exception {
        upstream.commit("init", Map.of("flake.nix", "{ }"));
        source.fetch();

        String config = Files.readString(tmp.resolve("clone.git/config"));
        assertTrue(config.matches("(?s).*\\[gc\\][^\\[]*\\bauto = 0.*"), config);
        assertTrue(config.matches("(?s).*\\[gc\\][^\\[]*\\bautopacklimit = 0.*"), config);
    }

    @Test
    void noOpFetchTransfersNothing() throws Exception {
        String head = upstream.commit("init", Map.of("flake.nix", "{ }"));
        source.fetch();
        List<Path> objectsBefore = listTree(tmp.resolve("clone.git/objects"));

        FetchResult result = source.fetch();

        assertEquals(new FetchResult(head, head, false, false, result.took()), result);
        assertEquals(objectsBefore, listTree(tmp.resolve("clone.git/objects")));
    }

    @Test
    void newCommitIsFetched() throws Exception {
        String first = upstream.commit("init", Map.of("flake.nix", "{ }"));
        source.fetch();
        String second = upstream.commit("more", Map.of("flake.lock", "{}"));

        FetchResult result = source.fetch();

        assertEquals(new FetchResult(second, first, true, false, result.took()), result);
        assertEquals(Optional.of(second), source.revision());
    }

    /** Rewinding to an ancestor and replacing the tip with a sibling are both force-pushes. */
    @ParameterizedTest
    @CsvSource({"rewind", "diverge"})
    void forcePushIsFollowed(String kind) throws Exception {
        String base = upstream.commit("init", Map.of("flake.nix", "{ }"));
        String pushed = upstream.commit("pushed", Map.of("a.nix", "a"));
        source.fetch();
        upstream.resetTo(base);
        String expected = kind.equals("rewind") ? base : upstream.commit("replacement", Map.of("b.nix", "b"));

        FetchResult result = source.fetch();

        assertEquals(new FetchResult(expected, pushed, true, true, result.took()), result);
        assertEquals(Optional.of(expected), source.revision());
    }

    @Test
    void existingCloneIsReusedAfterRestart() throws Exception {
        String head = upstream.commit("init", Map.of("flake.nix", "{ }"));
        source.fetch();
        source.close();

        source = new GitSource(settings(upstream.dir.toString(), "main"));

        assertEquals(Optional.of(head), source.revision());
        FetchResult result = source.fetch();
        assertEquals(head, result.previousRevision());
        assertFalse(result.changed());
    }

    @Test
    void nothingIsKnownBeforeTheFirstFetch() throws Exception {
        String head = upstream.commit("init", Map.of("flake.nix", "{ }"));

        assertEquals(Optional.empty(), source.revision());
        assertEquals(Optional.empty(), source.between(head, head));
        assertEquals(Optional.empty(), source.commit(head));
        assertThrows(IllegalArgumentException.class, () -> source.files(head));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("add", Map.of("modules/home/users/bob/default.nix", "bob"), List.of(),
                        Set.of("modules/home/users/bob/default.nix")),
                Arguments.of("modify", Map.of("modules/machines/nixos/web1/configuration.nix", "v2"), List.of(),
                        Set.of("modules/machines/nixos/web1/configuration.nix")),
                Arguments.of("delete", Map.of(), List.of("modules/nixos/base.nix"),
                        Set.of("modules/nixos/base.nix")),
                Arguments.of("rename", Map.of("modules/nixos/core.nix", "base"), List.of("modules/nixos/base.nix"),
                        Set.of("modules/nixos/base.nix", "modules/nixos/core.nix")),
                Arguments.of("several", Map.of("flake.lock", "{2}", "docs/a.md", "a"), List.of("flake.nix"),
                        Set.of("flake.lock", "docs/a.md", "flake.nix")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changedPathsBetweenRevisions(String name, Map<String, String> writes, List<String> deletes,
            Set<String> expected) throws Exception {
        String from = upstream.commit("init", baseTree());
        String to = upstream.commit(name, writes, deletes.toArray(String[]::new));
        source.fetch();

        assertEquals(Optional.of(expected), source.between(from, to));
        assertEquals(Optional.of(expected), source.between(to, from), "the reverse diff names the same paths");
    }

    @Test
    void identicalTreesHaveNoChangedPaths() throws Exception {
        String first = upstream.commit("init", baseTree());
        String empty = upstream.commit("empty commit", Map.of());
        source.fetch();

        assertEquals(Optional.of(Set.of()), source.between(first, first));
        assertEquals(Optional.of(Set.of()), source.between(first, empty));
    }

    @ParameterizedTest
    @CsvSource({
        "unknown-from, " + ZERO,
        "not-an-id, HEAD",
        "not-an-id, main",
        "abbreviated, abc1234",
    })
    void unknownRevisionsHaveNoChangedPaths(String why, String unknown) throws Exception {
        String head = upstream.commit("init", baseTree());
        source.fetch();

        assertEquals(Optional.empty(), source.between(unknown, head), why);
        assertEquals(Optional.empty(), source.between(head, unknown), why);
        assertEquals(Optional.empty(), source.commit(unknown), why);
    }

    @Test
    void aTreeIdIsNotARevision() throws Exception {
        String head = upstream.commit("init", baseTree());
        source.fetch();
        String tree = upstream.treeOf(head);

        assertEquals(Optional.empty(), source.between(tree, head));
    }

    @Test
    void cachedPairReturnsTheSameSet() throws Exception {
        String from = upstream.commit("init", baseTree());
        String to = upstream.commit("change", Map.of("flake.lock", "{2}"));
        source.fetch();

        Set<String> first = source.between(from, to).orElseThrow();

        assertSame(first, source.between(from, to).orElseThrow());
        assertSame(first, source.between(from.toUpperCase(), to).orElseThrow(), "ids are case-insensitive");
        assertThrows(UnsupportedOperationException.class, () -> first.add("x"));
    }

    @Test
    void filesReadsTheRevisionTree() throws Exception {
        String head = upstream.commit("init", baseTree());
        source.fetch();

        RevisionFiles files = source.files(head);

        assertEquals(head, files.revision());
        assertEquals(List.of("docs", "modules"), files.subdirectories(""));
        assertEquals(List.of("darwin", "nixos"), files.subdirectories("modules/machines"));
        assertEquals(List.of("mac1"), files.subdirectories("/modules/machines/darwin/"));
        assertEquals(List.of("flake.lock", "flake.nix"), files.files(""));
        assertEquals(List.of("configuration.nix", "hardware.nix"), files.files("modules/machines/nixos/web1"));
        assertEquals(Optional.of("v1"), files.read("modules/machines/nixos/web1/configuration.nix"));
    }

    @ParameterizedTest
    @CsvSource({"modules/machines/absent", "flake.nix", "modules/machines/nixos/web1/configuration.nix/x"})
    void missingFoldersAreEmpty(String dir) throws Exception {
        String head = upstream.commit("init", baseTree());
        source.fetch();

        RevisionFiles files = source.files(head);

        assertEquals(List.of(), files.subdirectories(dir));
        assertEquals(List.of(), files.files(dir));
    }

    @ParameterizedTest
    @CsvSource({"absent.nix", "modules", "modules/machines/nixos/web1", "''"})
    void readingWhatIsNotAFileIsEmpty(String path) throws Exception {
        String head = upstream.commit("init", baseTree());
        source.fetch();

        assertEquals(Optional.empty(), source.files(head).read(path));
    }

    @Test
    void filesOfUnknownRevisionIsRefused() throws Exception {
        upstream.commit("init", baseTree());
        source.fetch();

        assertThrows(IllegalArgumentException.class, () -> source.files(ZERO));
    }

    @Test
    void commitDescribesTheRevision() throws Exception {
        String head = upstream.commit("Add web1\n\nLonger body.", baseTree());
        source.fetch();

        CommitInfo info = source.commit(head).orElseThrow();

        assertEquals(head, info.revision());
        assertEquals(head.substring(0, 7), info.shortRevision());
        assertEquals("Add web1", info.subject());
        assertEquals("Ada Admin", info.author());
        assertEquals(Upstream.TIME, info.time());
    }

    @Test
    void exportWritesContentExecutableBitAndSymlinks() throws Exception {
        upstream.commit("init", baseTree());
        upstream.write("bin/deploy.sh", "#!/bin/sh\n");
        upstream.makeExecutable("bin/deploy.sh");
        upstream.symlink("current.nix", "modules/nixos/base.nix");
        String head = upstream.commit("tools", Map.of());
        source.fetch();
        Path checkout = tmp.resolve("checkouts/desired");

        source.export(head, checkout);

        assertEquals("v1", Files.readString(checkout.resolve("modules/machines/nixos/web1/configuration.nix")));
        assertTrue(Files.getPosixFilePermissions(checkout.resolve("bin/deploy.sh"))
                .contains(PosixFilePermission.OWNER_EXECUTE));
        assertFalse(Files.getPosixFilePermissions(checkout.resolve("flake.nix"))
                .contains(PosixFilePermission.OWNER_EXECUTE));
        assertTrue(Files.isSymbolicLink(checkout.resolve("current.nix")));
        assertEquals(Path.of("modules/nixos/base.nix"), Files.readSymbolicLink(checkout.resolve("current.nix")));
        assertEquals("base", Files.readString(checkout.resolve("current.nix")));
        assertFalse(Files.exists(checkout.resolve(".git")));
    }

    @Test
    void reExportReplacesTheFolder() throws Exception {
        String first = upstream.commit("init", baseTree());
        String second = upstream.commit("change", Map.of("flake.nix", "{ v2 }"), "modules/nixos/base.nix");
        source.fetch();
        Path checkout = tmp.resolve("checkouts/desired");
        source.export(first, checkout);
        Files.writeString(checkout.resolve("result"), "left by a build");

        source.export(second, checkout);

        assertEquals("{ v2 }", Files.readString(checkout.resolve("flake.nix")));
        assertFalse(Files.exists(checkout.resolve("modules/nixos/base.nix")), "deleted in the new revision");
        assertFalse(Files.exists(checkout.resolve("result")), "stale files are gone");
        assertEquals(List.of(checkout), listChildren(tmp.resolve("checkouts")), "no staging folders left");
    }

    @Test
    void exportOfUnknownRevisionFails() throws Exception {
        upstream.commit("init", baseTree());
        source.fetch();
        Path checkout = tmp.resolve("checkouts/desired");

        SourceException e = assertThrows(SourceException.class, () -> source.export(ZERO, checkout));

        assertTrue(e.getMessage().contains(ZERO), e.getMessage());
        assertFalse(Files.exists(checkout));
    }

    @Test
    void missingBranchIsReported() throws Exception {
        upstream.commit("init", baseTree());
        source.close();
        source = new GitSource(settings(upstream.dir.toString(), "release"));

        SourceException e = assertThrows(SourceException.class, source::fetch);

        assertEquals("branch 'release' not found at " + upstream.dir, e.getMessage());
    }

    @Test
    void fileUrlsWork() throws Exception {
        String head = upstream.commit("init", baseTree());
        source.close();
        source = new GitSource(settings(upstream.dir.toUri().toString(), "main"));

        assertEquals(head, source.fetch().revision());
    }

    static Stream<Arguments> credentialedUrls() {
        return Stream.of(
                Arguments.of("https://127.0.0.1:1/x.git", Optional.of("tok-8f3a9c2e7d"), List.of("tok-8f3a9c2e7d")),
                Arguments.of("https://bob:pw-5e1d7c@127.0.0.1:1/x.git", Optional.empty(), List.of("pw-5e1d7c", "bob")),
                Arguments.of("https://tok-77aa21@127.0.0.1:1/x.git", Optional.empty(), List.of("tok-77aa21")));
    }

    @ParameterizedTest
    @MethodSource("credentialedUrls")
    void unreachableRemoteErrorHidesCredentials(String url, Optional<String> token, List<String> secrets) {
        source.close();
        source = new GitSource(new SourceSettings(url, "main", tmp.resolve("clone.git"), Duration.ofSeconds(5),
                Optional.of("fleetward"), token));

        SourceException e = assertThrows(SourceException.class, source::fetch);

        assertTrue(e.getMessage().contains("https://127.0.0.1:1/x.git"), e.getMessage());
        assertNull(e.getCause());
        for (String secret : secrets) {
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
    }

    @Test
    void fetchTimeoutStopsASilentServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            source.close();
            source = new GitSource(new SourceSettings("http://127.0.0.1:" + silent.getLocalPort() + "/x.git", "main",
                    tmp.resolve("clone.git"), Duration.ofSeconds(1), Optional.empty(), Optional.empty()));

            SourceException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(SourceException.class, source::fetch));

            assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "https://github.com/org/fleet.git, https://github.com/org/fleet.git",
        "https://x-access-token:ghp_abc@github.com/org/fleet.git, https://github.com/org/fleet.git",
        "https://ghp_abc@github.com/org/fleet.git, https://github.com/org/fleet.git",
        "https://u:p@ss@host:8443/fleet, https://host:8443/fleet",
        "ssh://git@git.example.org:2222/fleet.git, ssh://git.example.org:2222/fleet.git",
        "git@github.com:org/fleet.git, github.com:org/fleet.git",
        "file:///srv/git/fleet.git, file:///srv/git/fleet.git",
        "/srv/git/fleet.git, /srv/git/fleet.git",
        "../fleet, ../fleet",
    })
    void displayUrlHasNoUserInfo(String url, String expected) {
        assertEquals(expected, new GitSource(settings(url, "main")).displayUrl());
    }

    @Test
    void settingsDoNotPrintTheToken() {
        SourceSettings settings = new SourceSettings("https://u:pw-1@h/x", "main", tmp, Duration.ofSeconds(1),
                Optional.empty(), Optional.of("tok-secret-1"));

        assertFalse(settings.toString().contains("tok-secret-1"), settings.toString());
        assertFalse(settings.toString().contains("pw-1"), settings.toString());
    }

    @Test
    void readsRunWhileFetching() throws Exception {
        String first = upstream.commit("init", baseTree());
        source.fetch();
        AtomicBoolean fetching = new AtomicBoolean(true);
        CountDownLatch reading = new CountDownLatch(4);
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> reads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reads.add(readers.submit(() -> {
                    do {
                        String tip = source.revision().orElseThrow();
                        assertTrue(source.between(first, tip).isPresent());
                        assertEquals(Optional.of("v1"),
                                source.files(first).read("modules/machines/nixos/web1/configuration.nix"));
                        reading.countDown();
                    } while (fetching.get());
                    return null;
                }));
            }
            // Every reader has read once and keeps reading until the last fetch is done.
            assertTrue(reading.await(30, TimeUnit.SECONDS), "the readers started");
            for (int i = 0; i < 20; i++) {
                upstream.commit("c" + i, Map.of("flake.lock", "{" + i + "}"));
                assertTrue(source.fetch().changed());
            }
            fetching.set(false);
            for (Future<Void> read : reads) {
                read.get(30, TimeUnit.SECONDS); // a read that failed fails the test here
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void closedSourceRefusesReads() throws Exception {
        String head = upstream.commit("init", baseTree());
        source.fetch();

        source.close();

        assertThrows(IllegalStateException.class, () -> source.between(head, head));
        assertThrows(IllegalStateException.class, () -> source.files(head));
    }

    private static Map<String, String> baseTree() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("flake.nix", "{ }");
        files.put("flake.lock", "{}");
        files.put("docs/README.md", "docs");
        files.put("modules/nixos/base.nix", "base");
        files.put("modules/machines/nixos/web1/configuration.nix", "v1");
        files.put("modules/machines/nixos/web1/hardware.nix", "hw");
        files.put("modules/machines/nixos/db1/configuration.nix", "db");
        files.put("modules/machines/darwin/mac1/configuration.nix", "mac");
        files.put("modules/home/users/alice/default.nix", "alice");
        return files;
    }

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.sorted().toList();
        }
    }

    private static List<Path> listChildren(Path dir) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.sorted().toList();
        }
    }

    /** A non-bare upstream repository on branch main, committed to with JGit porcelain. */
    private static final class Upstream implements AutoCloseable {
        static final java.time.Instant TIME = java.time.Instant.parse("2025-03-01T10:00:00Z");
        private static final PersonIdent ADA = new PersonIdent("Ada Admin", "ada@example.org", TIME,
                java.time.ZoneOffset.UTC);

        final Path dir;
        private final Git git;

        Upstream(Path dir) throws GitAPIException {
            this.dir = dir;
            this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        }

        void write(String path, String content) throws IOException {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }

        void makeExecutable(String path) throws IOException {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve(path));
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(dir.resolve(path), perms);
        }

        void symlink(String path, String target) throws IOException {
            Files.createSymbolicLink(dir.resolve(path), Path.of(target));
        }

        /** Writes, deletes, stages everything and commits; returns the commit id. */
        String commit(String message, Map<String, String> writes, String... deletes) throws Exception {
            for (Map.Entry<String, String> write : writes.entrySet()) {
                write(write.getKey(), write.getValue());
            }
            for (String delete : deletes) {
                Files.delete(dir.resolve(delete));
            }
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            RevCommit commit = git.commit().setMessage(message).setAuthor(ADA).setCommitter(ADA)
                    .setAllowEmpty(true).setSign(false).call();
            return commit.name();
        }

        void resetTo(String revision) throws GitAPIException {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(revision).call();
        }

        String treeOf(String revision) throws IOException {
            try (var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
                String tree = walk.parseCommit(git.getRepository().resolve(revision)).getTree().name();
                assertNotEquals(revision, tree);
                return tree;
            }
        }

        @Override
        public void close() {
            git.close();
        }
    }
}
