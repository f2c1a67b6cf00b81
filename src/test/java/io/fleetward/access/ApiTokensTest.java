package io.fleetward.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.FleetProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiTokensTest {
    /** printf %s secret-one | sha256sum */
    static final String SECRET_ONE = "ea77193cc4e6f18656f3130e296203880c4b9b3772afc855211b82fdd46e9185";

    @TempDir
    Path dir;

    @Test
    void aTokenIsAcceptedByItsHashInEitherCase() {
        String hash = FleetProfile.sha256Hex("secret-one");
        assertThat(ApiTokens.of(List.of(hash), Optional.empty()).accepts("secret-one")).isTrue();
        assertThat(ApiTokens.of(List.of(" " + hash.toUpperCase() + " "), Optional.empty()).accepts("secret-one")).isTrue();
        assertThat(ApiTokens.of(List.of(hash), Optional.empty()).accepts("secret-two")).isFalse();
        assertThat(ApiTokens.of(List.of(), Optional.empty()).configured()).isFalse();
    }

    @Test
    void theDigestIsSha256OfTheUtf8Token() {
        assertThat(FleetProfile.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void theFileHoldsOneHashPerLineWithComments() throws IOException {
        Path file = dir.resolve("hashes");
        Files.writeString(file, "# deploy bot\n" + FleetProfile.sha256Hex("bot") + "\n\n   \n" + FleetProfile.sha256Hex("ci") + "  # ci, rotated 2026-11\n");
        ApiTokens tokens = ApiTokens.of(List.of(FleetProfile.sha256Hex("admin")), Optional.of(file));
        assertThat(tokens.accepts("bot")).isTrue();
        assertThat(tokens.accepts("ci")).isTrue();
        assertThat(tokens.accepts("admin")).isTrue();
        assertThat(tokens.accepts("# deploy bot")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "my-raw-token            | fleetward.api.token-hashes: entry 2",
            "abc123                  | fleetward.api.token-hashes: entry 2",
            "'                     ' | fleetward.api.token-hashes: entry 2"})
    void aMalformedHashFailsNamingTheKeyButNotTheValue(String bad, String where) {
        assertThatThrownBy(() -> ApiTokens.of(List.of(FleetProfile.sha256Hex("ok"), bad), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(where)
                .hasMessageContaining("64 hex digits")
                .satisfies(e -> {
                    if (!bad.isBlank()) {
                        assertThat(e.getMessage()).doesNotContain(bad.strip());
                    }
                });
    }

    @Test
    void aMalformedLineOfTheFileFailsNamingFileAndLine() throws IOException {
        Path file = dir.resolve("hashes");
        Files.writeString(file, "# ok\n" + FleetProfile.sha256Hex("one") + "\nsuper-secret-token\n");
        assertThatThrownBy(() -> ApiTokens.of(List.of(), Optional.of(file)))
                .hasMessageStartingWith("fleetward.api.token-hashes-file: " + file + " line 3:")
                .hasMessageNotContaining("super-secret-token");
    }

    @Test
    void aMissingFileFailsNamingTheKey() {
        assertThatThrownBy(() -> ApiTokens.of(List.of(), Optional.of(dir.resolve("missing"))))
                .hasMessageStartingWith("fleetward.api.token-hashes-file: cannot read");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "secret-one, " + SECRET_ONE + ", true",
            "secret-two, " + SECRET_ONE + ", false",
            "secret-one, null, false",
            "secret-one, not-a-hash, false"})
    void aHostTokenMatchesItsHash(String token, String hash, boolean expected) {
        assertThat(ApiTokens.matches(token, hash)).isEqualTo(expected);
    }
}
