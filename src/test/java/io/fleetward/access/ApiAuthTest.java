package io.fleetward.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.FleetProfile;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision alone; ApiEndpointsAuthTest shows it on every endpoint of a running daemon. */
class ApiAuthTest {
    private static final ApiTokens ONE_TOKEN = ApiTokens.of(List.of(FleetProfile.sha256Hex("good")), Optional.empty());
    private static final ApiTokens NO_TOKENS = ApiTokens.of(List.of(), Optional.empty());

    static Stream<Arguments> decisions() {
        return Stream.of(
                // tokens, read-requires-token, mutating, Authorization header, expected status (0: allowed), reason
                Arguments.of(ONE_TOKEN, false, false, null, 0, null),
                Arguments.of(ONE_TOKEN, false, true, null, 401, "missing bearer token (Authorization: Bearer <token>)"),
                Arguments.of(ONE_TOKEN, false, true, "Bearer good", 0, null),
                Arguments.of(ONE_TOKEN, false, true, "bearer good", 0, null),
                Arguments.of(ONE_TOKEN, false, true, "Bearer bad", 401, "invalid bearer token"),
                Arguments.of(ONE_TOKEN, false, true, "Bearer ", 401, "malformed Authorization header: expected Bearer <token>"),
                Arguments.of(ONE_TOKEN, false, true, "Basic Z29vZDo=", 401, "malformed Authorization header: expected Bearer <token>"),
                Arguments.of(ONE_TOKEN, false, true, "Bearergood", 401, "malformed Authorization header: expected Bearer <token>"),
                Arguments.of(ONE_TOKEN, true, false, null, 401, "missing bearer token (Authorization: Bearer <token>)"),
                Arguments.of(ONE_TOKEN, true, false, "Bearer good", 0, null),
                Arguments.of(NO_TOKENS, false, false, null, 0, null),
                Arguments.of(NO_TOKENS, false, true, "Bearer good", 403, ApiAuth.NO_TOKENS),
                Arguments.of(NO_TOKENS, true, false, null, 403, ApiAuth.NO_TOKENS));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decides(ApiTokens tokens, boolean readRequiresToken, boolean mutating, String header, int status,
                 String reason) {
        Optional<ApiAuth.Refusal> refusal = new ApiAuth(tokens, readRequiresToken).check(mutating, header);
        if (status == 0) {
            assertThat(refusal).isEmpty();
        } else {
            assertThat(refusal).contains(new ApiAuth.Refusal(status, reason));
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"Bearer abc, abc", "BEARER  abc , abc", "Bearer a\tb, null",
            "Token abc, null", "null, null"})
    void readsTheBearerToken(String header, String token) {
        assertThat(ApiAuth.bearer(header)).isEqualTo(Optional.ofNullable(token));
    }
}
