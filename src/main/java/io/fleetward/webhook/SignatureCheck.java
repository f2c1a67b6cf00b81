package io.fleetward.webhook;

import io.fleetward.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies that a webhook came from someone who knows the shared secret: an HMAC-SHA256 of the raw
 * body, or (GitLab) the secret itself as a token. Every comparison takes the same time whatever the
 * input, and no failure reason contains the secret or the expected value.
 */
final class SignatureCheck {

    private SignatureCheck() {
    }

    /** HMAC-SHA256 of {@code body} keyed with {@code secret} (UTF-8). */
    static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * Checks a hex HMAC-SHA256 signature, upper- or lower-case.
     *
     * @return empty if it matches, else the reason it does not
     */
    static Optional<String> hmacMismatch(String secret, byte[] body, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("signature is not hexadecimal");
        }
        // isEqual does not stop at the first differing byte, so timing tells nothing about the expected value.
        return MessageDigest.isEqual(hmacSha256(secret, body), given) ? Optional.empty()
                : Optional.of("signature does not match the body");
    }

    /**
     * Checks a shared token. Both sides are hashed first so that the comparison also hides the
     * secret's length.
     */
    static boolean sameToken(String secret, String given) {
        return MessageDigest.isEqual(Secrets.sha256(secret), Secrets.sha256(given));
    }
}
