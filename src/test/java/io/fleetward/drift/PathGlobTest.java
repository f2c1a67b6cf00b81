package io.fleetward.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathGlobTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "**/*.md,        README.md,                true",
            "**/*.md,        docs/a/b/guide.md,        true",
            "**/*.md,        notes.mdx,                false",
            "**/*.md,        md/flake.nix,             false",
            "docs/**,        docs/a.nix,               true",
            "docs/**,        docs/a/b/c.nix,           true",
            "docs/**,        docsy/a.nix,              false",
            "docs/**,        modules/docs/a.nix,       false",
            ".github/**,     .github/workflows/ci.yml, true",
            ".github/**,     xgithub/ci.yml,           false",
            "modules/*.nix,  modules/a.nix,            true",
            "modules/*.nix,  modules/sub/a.nix,        false",
            "modules/**/x.nix, modules/x.nix,          true",
            "modules/**/x.nix, modules/a/b/x.nix,      true",
            "modules/**/x.nix, modules/a/b/y.nix,      false",
            "a**b,           a/c/b,                    true",
            "file?.nix,      file1.nix,                true",
            "file?.nix,      file/.nix,                false",
            "flake.lock,     flake.lock,               true",
            "flake.lock,     flakeXlock,               false",
            "(a)+[b].nix,    (a)+[b].nix,              true",
    })
    void matchesPathsSegmentAware(String glob, String path, boolean expected) {
        assertEquals(expected, PathGlob.compile(glob).matches(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void refusesEmptyGlobs(String glob) {
        assertThrows(IllegalArgumentException.class, () -> PathGlob.compile(glob));
    }
}
