package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.config.WebhookConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a provider's secret comes from, and how a bad secret file stops start-up. */
class WebhookSecretTest {

    @TempDir
    Path dir;

    private static WebhookConfig.ProviderSecret settings(String secret, Path file) {
        return new WebhookConfig.ProviderSecret() {
            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Optional<Path> secretFile() {
                return Optional.ofNullable(file);
            }
        };
    }

    @Test
    void theFilesFirstLineWinsOverTheSecret() throws IOException {
        Path file = Files.writeString(dir.resolve("github.secret"), "  from-the-file  \nsecond line\n");

        assertThat(WebhookWiring.secret(Provider.GITHUB, settings("from-config", file))).contains("from-the-file");
    }

    @Test
    void theSecretIsUsedWithoutAFile() {
        assertThat(WebhookWiring.secret(Provider.GITEA, settings("from-config", null))).contains("from-config");
    }

    @Test
    void noSecretDisablesTheProvider() {
        assertThat(WebhookWiring.secret(Provider.GITLAB, settings(null, null))).isEmpty();
        assertThat(WebhookWiring.secret(Provider.GITLAB, settings("   ", null))).isEmpty();
    }

    @Test
    void anUnreadableFileFailsNamingTheKey() {
        Path missing = dir.resolve("missing.secret");

        assertThatThrownBy(() -> WebhookWiring.secret(Provider.GITLAB, settings("from-config", missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fleetward.webhook.gitlab.secret-file: cannot read " + missing);
    }

    @Test
    void anEmptyFileFailsNamingTheKey() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.secret"), "\n");

        assertThatThrownBy(() -> WebhookWiring.secret(Provider.GENERIC, settings(null, empty)))
                .hasMessage("fleetward.webhook.generic.secret-file: the first line of " + empty + " is empty");
    }
}
