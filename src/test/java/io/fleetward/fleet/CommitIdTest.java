package io.fleetward.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommitIdTest {
    private static final String SHA1 = "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f";
    private static final String SHA256 = "9c1185a5c5e9fc54612808977ee8f548b2258d31" + "0123456789abcdef01234567";

    static Stream<Arguments> commitIds() {
        return Stream.of(
                argumentSet("SHA-1", SHA1, SHA1, "3f2a1c0", true),
                argumentSet("SHA-256", SHA256, SHA256, "9c1185a", false),
                argumentSet("upper case is normalised", SHA1.toUpperCase(), SHA1, "3f2a1c0", true),
                argumentSet("mixed case is normalised", "3F2a1C0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4F", SHA1, "3f2a1c0",
                        true),
                argumentSet("all zeros (a deleted ref in a push)", "0".repeat(40), "0".repeat(40), "0000000", true));
    }

    @ParameterizedTest
    @MethodSource("commitIds")
    void parsesFullIds(String text, String hex, String abbreviated, boolean sha1) {
        CommitId id = CommitId.parse(text).orElseThrow();

        assertThat(id.hex()).isEqualTo(hex);
        assertThat(id.toString()).isEqualTo(hex);
        assertThat(CommitId.of(text)).isEqualTo(id);
        assertThat(id.abbreviated()).isEqualTo(abbreviated);
        assertThat(CommitId.abbreviate(text)).isEqualTo(abbreviated);
        assertThat(id.isSha1()).isEqualTo(sha1);
    }

    static Stream<Arguments> notCommitIds() {
        return Stream.of(
                argumentSet("null", (Object) null),
                argumentSet("empty", ""),
                argumentSet("39 digits", SHA1.substring(1)),
                argumentSet("41 digits", SHA1 + "a"),
                argumentSet("63 digits", SHA256.substring(1)),
                argumentSet("65 digits", SHA256 + "a"),
                argumentSet("between the two lengths", SHA1 + "abcd"),
                argumentSet("abbreviated", "3f2a1c0"),
                argumentSet("non-hex letter", "g" + SHA1.substring(1)),
                argumentSet("trailing newline", SHA1 + "\n"),
                argumentSet("newline inside", SHA1.substring(0, 20) + "\n" + SHA1.substring(21)),
                argumentSet("surrounding space", " " + SHA1.substring(1)),
                argumentSet("'dirty' (a build of an uncommitted tree)", "dirty"),
                argumentSet("'<id>-dirty'", SHA1 + "-dirty"),
                argumentSet("'abc-dirty'", "abc-dirty"),
                argumentSet("a ref, not an id", "refs/heads/main"),
                argumentSet("full-width digits", "３" + SHA1.substring(1)));
    }

    @ParameterizedTest
    @MethodSource("notCommitIds")
    void refusesAnythingElse(String text) {
        assertThat(CommitId.parse(text)).isEmpty();
        assertThatThrownBy(() -> CommitId.of(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a commit id")
                .hasMessageContaining("40 or 64 hex digits")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @MethodSource("notCommitIds")
    void theRecordItselfHoldsOnlyCommitIds(String text) {
        assertThatThrownBy(() -> new CommitId(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRecordHoldsTheLowerCaseSpellingOnly() {
        assertThatThrownBy(() -> new CommitId(SHA1.toUpperCase())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
    }

    static Stream<Arguments> abbreviations() {
        return Stream.of(
                argumentSet("no revision", null, "(none)"),
                argumentSet("'dirty' is shown quoted, never as an id", "dirty", "\"dirty\""),
                argumentSet("'<id>-dirty' is shown whole", "abc-dirty", "\"abc-dirty\""),
                argumentSet("an abbreviation is not mistaken for an id", "3f2a1c0", "\"3f2a1c0\""),
                argumentSet("a newline is escaped", "abc\ndef", "\"abc\\x0adef\""));
    }

    @ParameterizedTest
    @MethodSource("abbreviations")
    void abbreviatesForLogLines(String revision, String shown) {
        assertThat(CommitId.abbreviate(revision)).isEqualTo(shown);
    }
}
