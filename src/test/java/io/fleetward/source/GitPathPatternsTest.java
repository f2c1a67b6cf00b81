package io.fleetward.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Impact globs follow git's gitignore semantics: each row is checked against the real {@code git
 * check-ignore} with the patterns as a {@code .gitignore}, and against the expected answer.
 */
class GitPathPatternsTest {

    @TempDir
    Path repository;

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = ';', value = {
            // Today's rows (the hand-written glob's), where git agrees.
            "**/*.md;          README.md;                 true",
            "**/*.md;          docs/a/b/guide.md;         true",
            "**/*.md;          notes.mdx;                 false",
            "**/*.md;          md/flake.nix;              false",
            "docs/**;          docs/a.nix;                true",
            "docs/**;          docs/a/b/c.nix;            true",
            "docs/**;          docsy/a.nix;               false",
            "docs/**;          modules/docs/a.nix;        false",
            ".github/**;       .github/workflows/ci.yml;  true",
            ".github/**;       xgithub/ci.yml;            false",
            "modules/*.nix;    modules/a.nix;             true",
            "modules/*.nix;    modules/sub/a.nix;         false",
            "modules/**/x.nix; modules/x.nix;             true",
            "modules/**/x.nix; modules/a/b/x.nix;         true",
            "modules/**/x.nix; modules/a/b/y.nix;         false",
            "file?.nix;        file1.nix;                 true",
            "file?.nix;        file/.nix;                 false",
            "flake.lock;       flake.lock;                true",
            "flake.lock;       flakeXlock;                false",
            // Where git differs from the hand-written glob.
            "flake.lock;       sub/flake.lock;            true",
            "*.md;             docs/deep/guide.md;        true",
            "/flake.lock;      sub/flake.lock;            false",
            "/flake.lock;      flake.lock;                true",
            "a**b;             a/c/b;                     false",
            "(a)+[b].nix;      (a)+b.nix;                 true",
            "(a)+[b].nix;      (a)+[b].nix;               false",
            "file[0-9].nix;    file7.nix;                 true",
            "file[!0-9].nix;   file7.nix;                 false",
            "docs/;            docs/a/b.nix;              true",
            "docs;             modules/docs/a.nix;        true",
            "vars/per-machine/*/**; vars/per-machine/web1; false",
            // A list is one .gitignore: the last match decides, '!' takes a path back.
            "docs/**|!docs/hosts.nix; docs/hosts.nix;     false",
            "docs/**|!docs/hosts.nix; docs/guide.nix;     true",
            "!docs/hosts.nix|docs/**; docs/hosts.nix;     true",
            "*.md|!README.md;  docs/README.md;            false",
            "#comment|bun.lock; '#comment';               false",
            "#comment|bun.lock; web/bun.lock;             true",
    })
    void matchesAsGitIgnores(String patterns, String path, boolean expected) throws Exception {
        List<String> lines = Arrays.asList(patterns.split("\\|"));

        assertThat(gitIgnores(lines, path)).as("git check-ignore").isEqualTo(expected);
        assertThat(GitPathPatterns.INSTANCE.compile(lines).matches(path)).isEqualTo(expected);
    }

    /** What the real git says: {@code git check-ignore --no-index} with {@code lines} as .gitignore. */
    private boolean gitIgnores(List<String> lines, String path) throws IOException, InterruptedException {
        if (!Files.exists(repository.resolve(".git"))) {
            run("git", "init", "-q", repository.toString());
        }
        Files.write(repository.resolve(".gitignore"), lines);
        Process git = new ProcessBuilder("git", "-C", repository.toString(), "check-ignore", "--no-index", "-q", "--",
                path).redirectErrorStream(true).start();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int exit = git.exitValue();
        assertThat(exit).as(new String(git.getInputStream().readAllBytes())).isIn(0, 1);
        return exit == 0;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    }
}
