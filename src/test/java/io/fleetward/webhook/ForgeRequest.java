package io.fleetward.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook request as each forge sends it (headers and body), signed with a secret the way that
 * forge signs. The signature is computed here independently of the code under test.
 */
public record ForgeRequest(Provider provider, Map<String, String> headers, byte[] body) {

    /** A push delivery of {@code body}; {@code delivery} may be null for none. */
    public static ForgeRequest push(Provider provider, String secret, byte[] body, String delivery) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        String hmac = hmacHex(secret, body);
        switch (provider) {
            case GITHUB -> {
                headers.put("X-GitHub-Event", "push");
                // GitHub sends the legacy SHA-1 signature too; it must not matter.
                headers.put("X-Hub-Signature", "sha1=" + hmacHex("HmacSHA1", secret, body));
                headers.put("X-Hub-Signature-256", "sha256=" + hmac);
                putIfPresent(headers, "X-GitHub-Delivery", delivery);
            }
            case GITEA -> {
                // Forgejo sends both families of headers.
                headers.put("X-Forgejo-Event", "push");
                headers.put("X-Gitea-Event", "push");
                headers.put("X-Forgejo-Signature", hmac);
                headers.put("X-Gitea-Signature", hmac);
                headers.put("X-Hub-Signature", "sha1=" + hmacHex("HmacSHA1", secret, body));
                headers.put("X-Hub-Signature-256", "sha256=" + hmac);
                putIfPresent(headers, "X-Forgejo-Delivery", delivery);
                putIfPresent(headers, "X-Gitea-Delivery", delivery);
            }
            case GITLAB -> {
                headers.put("X-Gitlab-Event", "Push Hook");
                headers.put("X-Gitlab-Token", secret);
                putIfPresent(headers, "X-Gitlab-Event-UUID", delivery);
            }
            case GENERIC -> {
                headers.put("X-Signature", "sha256=" + hmac);
                putIfPresent(headers, "X-Delivery", delivery);
            }
        }
        return new ForgeRequest(provider, headers, body);
    }

    /** A stored payload from {@code src/test/resources/webhook/}. */
    public static byte[] payload(String name) {
        try (InputStream in = ForgeRequest.class.getResourceAsStream("/webhook/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String hmacHex(String secret, byte[] body) {
        return hmacHex("HmacSHA256", secret, body);
    }

    private static String hmacHex(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same request with a header set, or removed when {@code value} is null. */
    public ForgeRequest with(String header, String value) {
        Map<String, String> changed = new LinkedHashMap<>(headers);
        if (value == null) {
            changed.remove(header);
        } else {
            changed.put(header, value);
        }
        return new ForgeRequest(provider, changed, body);
    }

    private static void putIfPresent(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }
}
