package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrackedRepositoryTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "Example/Fleet,                                        example/fleet",
        "https://github.com/Example/Fleet,                     example/fleet",
        "https://github.com/Example/Fleet.git,                 example/fleet",
        "https://github.com/Example/Fleet/,                    example/fleet",
        "https://x-access-token:tok@github.com/example/fleet,  example/fleet",
        "http://forge.example.org:3000/example/fleet.git,      example/fleet",
        "ssh://git@github.com/example/fleet.git,               example/fleet",
        "ssh://git@forge.example.org:2222/example/fleet.git,   example/fleet",
        "git@github.com:example/fleet.git,                     example/fleet",
        "github.com:example/fleet,                             example/fleet",
        "git@gitlab.example.org:infra/example/fleet.git,       infra/example/fleet",
        "https://gitlab.example.org/infra/example/fleet.git,   infra/example/fleet",
        "https://github.com/example/fleet.git?ref=main,        example/fleet",
        "/srv/git/example/fleet.git,                           srv/git/example/fleet",
    })
    void reducesNamesAndUrlsToTheForgePath(String nameOrUrl, String path) {
        assertThat(TrackedRepository.pathOf(nameOrUrl)).contains(path);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fleet", "https://github.com/fleet.git", "https://github.com/", "git@github.com:fleet.git",
        "example/../fleet", "example//fleet", "ex ample/fleet", "", "example/fleet\n/x"})
    void hasNoPathForNamesWithoutOwnerAndName(String nameOrUrl) {
        assertThat(TrackedRepository.pathOf(nameOrUrl)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "same name, other case          | example/fleet | https://github.com/Example/Fleet.git | Example/Fleet  | true",
        "clone URL only                 | example/fleet | ''                                   | git@github.com:EXAMPLE/fleet.git | true",
        "other owner                    | example/fleet | ''                                   | other/fleet    | false",
        "other name                     | example/fleet | ''                                   | example/fleet-staging | false",
        "same name, subgroup            | example/fleet | ''                                   | infra/example/fleet | false",
        "derived from the source URL    | ''            | ssh://git@forge.example.org:2222/example/fleet.git | https://forge.example.org/example/fleet.git | true",
        "configured wins over the URL   | infra/fleet   | https://github.com/example/fleet.git | example/fleet  | false",
    })
    void matchesPayloadNamesCaseInsensitively(String name, String configured, String sourceUrl, String payload,
                                               boolean matches) {
        TrackedRepository tracked = TrackedRepository.of(Optional.of(configured).filter(c -> !c.isEmpty()), sourceUrl);
        assertThat(tracked.matches(List.of(payload))).isEqualTo(matches);
    }

    @Test
    void anyOfThePayloadsNamesMayMatch() {
        TrackedRepository tracked = TrackedRepository.of(Optional.empty(), "git@github.com:example/fleet.git");
        assertThat(tracked.matches(List.of("other/name", "https://github.com/example/fleet.git"))).isTrue();
        assertThat(tracked.matches(List.of())).isFalse();
        assertThat(tracked).hasToString("example/fleet");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fleet", "example/", "https://github.com/example/fleet", "example/fle et", "../fleet"})
    void refusesAConfiguredRepositoryThatIsNotOwnerSlashName(String configured) {
        assertThatThrownBy(() -> TrackedRepository.of(Optional.of(configured), "git@github.com:example/fleet.git"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fleetward.webhook.repository: expected owner/name");
    }

    @Test
    void refusesASourceUrlWithoutOwnerAndNameWhenNothingIsConfigured() {
        assertThatThrownBy(() -> TrackedRepository.of(Optional.empty(), "https://git.example.org/fleet.git"))
                .hasMessageStartingWith("fleetward.webhook.repository: not set");
    }

    @Test
    void anUnresolvedRepositoryMatchesNothing() {
        assertThat(TrackedRepository.unresolved().matches(List.of("example/fleet", ""))).isFalse();
    }
}
