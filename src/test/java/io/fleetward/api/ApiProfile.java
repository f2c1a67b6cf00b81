package io.fleetward.api;

import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference fleet with two API tokens, and check-in tokens for galena (NixOS) and argentum
 * (darwin, with the standalone user christophersmith). Tokens are random per run, so a token seen
 * in a log or a response can only have come from this run.
 */
public class ApiProfile implements QuarkusTestProfile {
    static final String TOKEN = randomToken();
    static final String SECOND_TOKEN = randomToken();
    static final String GALENA_TOKEN = randomToken();
    static final String ARGENTUM_TOKEN = randomToken();
    static final List<String> ALL_TOKENS = List.of(TOKEN, SECOND_TOKEN, GALENA_TOKEN, ARGENTUM_TOKEN);
    static final SimulatedFleet FLEET = withReportTokens(SimulatedFleet.create());

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.api.token-hashes", ApiTokensTest.hex(TOKEN) + "," + ApiTokensTest.hex(SECOND_TOKEN));
        return config;
    }

    /** Adds {@code report-token-sha256:} to galena's and argentum's overlay entries. */
    private static SimulatedFleet withReportTokens(SimulatedFleet fleet) {
        try {
            String overlay = Files.readString(fleet.root().resolve("repo/fleetward.yaml"));
            overlay = overlay.replace("  galena:\n", "  galena:\n    report-token-sha256: "
                    + ApiTokensTest.hex(GALENA_TOKEN) + "\n");
            overlay = overlay.replace("  argentum:\n", "  argentum:\n    report-token-sha256: "
                    + ApiTokensTest.hex(ARGENTUM_TOKEN) + "\n");
            fleet.commit("fleetward.yaml", overlay, "check-in tokens for galena and argentum");
            return fleet;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
