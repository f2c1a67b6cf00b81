package io.fleetward.access;

import java.util.Optional;

/**
 * Who may call the API: mutating requests always need a configured bearer token, read requests only
 * when {@code fleetward.api.read-requires-token} is set. With no token configured every mutating
 * request is refused (a safe default: an unconfigured daemon cannot be steered from the network).
 * Host check-ins carry their own per-host tokens and are not decided here.
 */
public final class ApiAuth {
    public static final String NO_TOKENS = "no API tokens are configured (fleetward.api.token-hashes)";

    private final ApiTokens tokens;
    private final boolean readRequiresToken;

    public ApiAuth(ApiTokens tokens, boolean readRequiresToken) {
        this.tokens = tokens;
        this.readRequiresToken = readRequiresToken;
    }

    /**
     * Why a request is refused: 401 for a missing or wrong token (the client may retry with another),
     * 403 when no token could ever be right. The reason never contains the token.
     *
     * @param status 401 or 403
     */
    public record Refusal(int status, String reason) {
    }

    /**
     * Decides one request.
     *
     * @param mutating      whether the request changes something (every method but GET, HEAD and OPTIONS)
     * @param authorization the {@code Authorization} header, or null
     * @return empty when the request may go on
     */
    public Optional<Refusal> check(boolean mutating, String authorization) {
        if (!mutating && !readRequiresToken) {
            return Optional.empty();
        }
        if (!tokens.configured()) {
            return Optional.of(new Refusal(403, NO_TOKENS));
        }
        Optional<String> token = bearer(authorization);
        if (token.isEmpty()) {
            return Optional.of(new Refusal(401, authorization == null
                    ? "missing bearer token (Authorization: Bearer <token>)"
                    : "malformed Authorization header: expected Bearer <token>"));
        }
        return tokens.accepts(token.get()) ? Optional.empty() : Optional.of(new Refusal(401, "invalid bearer token"));
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), if that is what it is. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f) ? Optional.empty()
                : Optional.of(token);
    }
}
