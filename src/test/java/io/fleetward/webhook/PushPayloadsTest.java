package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PushPayloadsTest {

    private final PushPayloads payloads = new PushPayloads();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Provider.class)
    void readsEachProvidersRecordedPush(Provider provider) throws PayloadException {
        PushEvent push = payloads.parse(provider, ForgeRequest.payload(provider.id() + "-push.json"));

        PushEvent expected = switch (provider) {
            case GITHUB -> new PushEvent(List.of("Example/Fleet", "https://github.com/Example/Fleet.git",
                    "git@github.com:Example/Fleet.git", "https://github.com/Example/Fleet"), "refs/heads/main",
                    "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
            case GITEA -> new PushEvent(List.of("example/fleet", "https://forge.example.org/example/fleet.git",
                    "ssh://git@forge.example.org:2222/example/fleet.git", "https://forge.example.org/example/fleet"),
                    "refs/heads/main", "bffeb74224043ba2feb48d137756c8a9331c449a");
            case GITLAB -> new PushEvent(List.of("infra/example/fleet",
                    "https://gitlab.example.org/infra/example/fleet.git",
                    "git@gitlab.example.org:infra/example/fleet.git", "https://gitlab.example.org/infra/example/fleet"),
                    "refs/heads/main", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
            case GENERIC -> new PushEvent(List.of("example/fleet"), "refs/heads/main",
                    "5c2d6e3b0f7a4e1d8c9b2a3f4e5d6c7b8a9f0e1d");
        };
        assertThat(push).isEqualTo(expected);
        assertThat(push.deletion()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "github  | not JSON                 | {\"ref\": \"refs/heads/main\"                         | body is not valid JSON",
        "github  | an array                 | [1, 2]                                               | body is not a JSON object",
        "github  | empty                    | ''                                                   | body is not a JSON object",
        "github  | no repository            | {\"ref\": \"refs/heads/main\", \"after\": \"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"} | payload has no repository.full_name",
        "gitlab  | no project               | {\"ref\": \"refs/heads/main\", \"after\": \"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"} | payload has no project.path_with_namespace",
        "generic | not JSON                 | {\"ref\":                                             | body is not valid JSON",
        "generic | an array                 | []                                                   | body is not a JSON object",
        "generic | ref empty                | {\"ref\": \"\"}                                        | ref must be a non-empty string",
        "generic | after a number            | {\"after\": 12}                                       | after must be a non-empty string",
        "generic | after not a commit       | {\"repository\": \"example/fleet\", \"ref\": \"refs/heads/main\", \"after\": \"main\"} | after must be a 40 or 64 digit hex commit id",
        "generic | ref not text             | {\"repository\": \"example/fleet\", \"ref\": 7, \"after\": \"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"} | ref must be a non-empty string",
        "generic | repository not text      | {\"repository\": {\"name\": \"fleet\"}, \"ref\": \"refs/heads/main\", \"after\": \"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"} | repository must be a non-empty string",
    })
    void refusesPayloadsThatAreNotAPush(String provider, String name, String body, String message) {
        assertThatThrownBy(() -> payloads.parse(Provider.byId(provider).orElseThrow(),
                body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "0000000000000000000000000000000000000000, true",
        "0000000000000000000000000000000000000000000000000000000000000000, true",
        "0D1A26E67D8F5EAF1F6BA5C57FC3C7D91AC0FD1C, false",
    })
    void recognisesDeletionsAndLowerCasesTheCommit(String after, boolean deletion) throws PayloadException {
        PushEvent push = payloads.parse(Provider.GENERIC, ("{\"repository\": \"example/fleet\", \"ref\": "
                + "\"refs/heads/main\", \"after\": \"" + after + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(push.deletion()).isEqualTo(deletion);
        assertThat(push.after()).contains(after.toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest(name = "body {0}")
    @CsvSource(delimiter = '|', value = {"''", "'  \n'", "{}", "{\"note\": \"nightly\"}"})
    void aGenericBodyThatNamesNothingIsAPushOfNothingInParticular(String body) throws PayloadException {
        PushEvent push = payloads.parse(Provider.GENERIC, body.getBytes(StandardCharsets.UTF_8));

        assertThat(push).isEqualTo(new PushEvent(List.of(), Optional.empty(), Optional.empty()));
        assertThat(push.deletion()).isFalse();
    }

    @Test
    void aGenericBodyKeepsTheFieldsItNames() throws PayloadException {
        PushEvent push = payloads.parse(Provider.GENERIC, "{\"ref\": \"refs/heads/main\"}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(push).isEqualTo(new PushEvent(List.of(), Optional.of("refs/heads/main"), Optional.empty()));
    }
}
