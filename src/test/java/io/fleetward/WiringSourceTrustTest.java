package io.fleetward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.config.PlainConfig;
import io.fleetward.config.SourceConfig;
import io.fleetward.reconcile.SavedDeployedFrom;
import io.fleetward.reconcile.SourceTrust;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import io.fleetward.source.VerifyMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks of the source trust settings: each refusal names the key and the file. */
class WiringSourceTrustTest {
    @TempDir
    Path tmp;

    private GitSource source;

    @BeforeEach
    void source() {
        source = new GitSource(new SourceSettings(tmp.resolve("upstream").toString(), "main", tmp.resolve("clone.git"),
                Duration.ofSeconds(5), Optional.empty(), Optional.empty()));
    }

    @AfterEach
    void close() {
        source.close();
    }

    private SourceTrust trust(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("fleetward.source.url", tmp.resolve("upstream").toString());
        return new SourceWiring().sourceTrust(PlainConfig.mapping(SourceConfig.class, all), source, SavedDeployedFrom.inMemory(),
                Clock.systemUTC());
    }

    @Test
    void defaultsCheckNoSignatureButRefuseForcePushes() {
        SourceTrust trust = trust(Map.of());

        assertThat(trust.verify()).isEqualTo(VerifyMode.NONE);
        assertThat(trust.allowNonFastForward()).isFalse();
    }

    @Test
    void verificationWithoutTrustedKeysStopsStartUp() {
        assertThatThrownBy(() -> trust(Map.of("fleetward.source.verify", "head")))
                .hasMessageStartingWith("fleetward.source.trusted-keys: required when fleetward.source.verify=head");
    }

    @Test
    void aKeyFileThatCannotBeParsedStopsStartUpNamingIt() throws Exception {
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        Path broken = Files.writeString(keys.resolve("ops.allowed_signers"), "ops@example.org ssh-ed25519 bm90IGEga2V5\n");

        assertThatThrownBy(() -> trust(Map.of("fleetward.source.verify", "all",
                "fleetward.source.trusted-keys", keys.toString())))
                .hasMessageStartingWith("fleetward.source.trusted-keys: " + broken + ":1");
    }

    @Test
    void aVerifySinceThatIsNotAFullCommitIdStopsStartUp() {
        assertThatThrownBy(() -> trust(Map.of("fleetward.source.verify-since", "1a2b3c4")))
                .hasMessageStartingWith("fleetward.source.verify-since: expected a full commit id");
    }
}
