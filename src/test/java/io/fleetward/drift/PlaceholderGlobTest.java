package io.fleetward.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.source.GitPathPatterns;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlaceholderGlobTest {
    static Stream<Arguments> names() {
        return Stream.of(
                argumentSet("whole segment", "vars/per-machine/{host}/**", "vars/per-machine/web1/ssh/value", "web1"),
                argumentSet("no deeper path: ** needs the folder's contents", "vars/per-machine/{host}/**",
                        "vars/per-machine/web1", null),
                argumentSet("prefix must match", "vars/per-machine/{host}/**", "vars/shared/web1/value", null),
                argumentSet("part of a segment", "sops/secrets/{host}-age.key/**", "sops/secrets/web1-age.key/secret",
                        "web1"),
                argumentSet("name holding the suffix itself", "sops/secrets/{host}-age.key/**",
                        "sops/secrets/a-age.key-age.key/secret", "a-age.key"),
                argumentSet("other secret", "sops/secrets/{host}-age.key/**", "sops/secrets/api-token/secret", null),
                argumentSet("never spans folders", "hosts/{host}/x.nix", "hosts/a/b/x.nix", null),
                argumentSet("wildcards around it", "**/{user}/*.nix", "dotfiles/deep/alice/rc.nix", "alice"),
                argumentSet("dots are literal", "x/{user}.d/**", "x/aliceXd/rc", null));
    }

    @ParameterizedTest
    @MethodSource("names")
    void tellsWhosePathItIs(String glob, String path, String expected) {
        String placeholder = glob.contains("{host}") ? "host" : "user";
        assertEquals(expected, PlaceholderGlob.compile(glob, placeholder, GitPathPatterns.INSTANCE).nameIn(path));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sops/{host}*/**", "sops/x?{host}/**", "a/[ab]{host}/**",
            "a/{host}/{host}/**", "a/{user}/**", "a/{host}/{user}/**"})
    void refusesAWildcardBesideThePlaceholderOrAnotherPlaceholder(String glob) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PlaceholderGlob.compile(glob, "host", GitPathPatterns.INSTANCE));
    }
}
