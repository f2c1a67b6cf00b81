package io.fleetward.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StorePathTest {
    private static final String SYSTEM = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-web1-25.05";

    static Stream<Arguments> paths() {
        return Stream.of(
                argumentSet("system generation", SYSTEM, "0123456789abcdfghijklmnpqrsvwxyz-nixos-system-web1-25.05"),
                argumentSet("home generation", "/nix/store/abc-home-manager-generation", "abc-home-manager-generation"),
                argumentSet("every character Nix allows in a name is shown as is", "/nix/store/a+b._?=-C9", "a+b._?=-C9"),
                argumentSet("trailing slashes are not a segment", "/nix/store/abc-foo//", "abc-foo"),
                argumentSet("outside the store (a simulated machine)", "/tmp/sim/galena/system-3", "system-3"),
                argumentSet("one segment", "/a", "a"),
                argumentSet("upper case", "/NIX/STORE/ABC-FOO", "ABC-FOO"),
                argumentSet("a quote is escaped", "/nix/store/abc-\"x\"", "\"abc-\\\"x\\\"\""),
                argumentSet("shell characters are quoted", "/nix/store/$(reboot);x", "\"$(reboot);x\""),
                argumentSet("'dirty' as a name is just a name", "/nix/store/dirty", "dirty"),
                argumentSet("'abc-dirty' as a name is just a name", "/nix/store/abc-dirty", "abc-dirty"),
                argumentSet("no name at all: the path is shown", "//", "\"//\""),
                argumentSet("longest accepted", "/" + "a".repeat(1023), "a".repeat(1023)),
                argumentSet("a long odd name is escaped and cut", "/" + "$".repeat(1023), "\"" + "$".repeat(80) + "...\""));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void namesTheLastSegment(String text, String name) {
        StorePath path = StorePath.parse(text).orElseThrow();

        assertThat(path.path()).isEqualTo(text);
        assertThat(path.toString()).isEqualTo(text);
        assertThat(StorePath.isValid(text)).isTrue();
        assertThat(path.name()).isEqualTo(name);
        assertThat(StorePath.nameOf(text)).isEqualTo(name);
    }

    static Stream<Arguments> notPaths() {
        return Stream.of(
                argumentSet("null", null, "(none)"),
                argumentSet("empty", "", "\"\""),
                argumentSet("root alone", "/", "\"/\""),
                argumentSet("relative", "nix/store/abc-foo", "\"nix/store/abc-foo\""),
                argumentSet("'dirty'", "dirty", "\"dirty\""),
                argumentSet("'abc-dirty'", "abc-dirty", "\"abc-dirty\""),
                argumentSet("space", "/nix/store/dd dd", "\"/nix/store/dd dd\""),
                argumentSet("trailing newline (unstripped readlink output)", "/nix/store/abc-foo\n",
                        "\"/nix/store/abc-foo\\x0a\""),
                argumentSet("a newline hiding another line", "/evil\n/nix/store/good-name",
                        "\"/evil\\x0a/nix/store/good-name\""),
                argumentSet("tab", "/nix/store/a\tb", "\"/nix/store/a\\x09b\""),
                argumentSet("DEL", "/nix/store/a\u007fb", "\"/nix/store/a\\x7fb\""),
                argumentSet("non-ASCII", "/nix/store/caf\u00e9", "\"/nix/store/caf\u00e9\""),
                argumentSet("one character too long", "/" + "a".repeat(1024), "\"/" + "a".repeat(79) + "...\""));
    }

    @ParameterizedTest
    @MethodSource("notPaths")
    void refusesAnythingElse(String text, String shown) {
        assertThat(StorePath.isValid(text)).isFalse();
        assertThat(StorePath.parse(text)).isEmpty();
        assertThatThrownBy(() -> new StorePath(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a store path").hasMessageNotContaining("\n");
        assertThat(StorePath.nameOf(text)).as("not a store path: shown whole and escaped, never shortened")
                .isEqualTo(shown);
    }
}
