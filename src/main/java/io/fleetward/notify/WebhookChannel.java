package io.fleetward.notify;

import io.fleetward.reconcile.FleetEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JSON POST of the event ({@link EventText#json}). With a secret, the body is signed:
 * {@code X-Fleetward-Signature: sha256=<hex HMAC-SHA256 of the raw body>}, as GitHub signs its
 * webhooks, so a receiver checks it the same way.
 */
final class WebhookChannel implements Channel {
    static final String SIGNATURE_HEADER = "X-Fleetward-Signature";
    static final String EVENT_HEADER = "X-Fleetward-Event";

    private final URI url;
    private final Optional<SecretKeySpec> key;

    WebhookChannel(URI url, Optional<String> secret) {
        this.url = url;
        this.key = secret.map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    @Override
    public Optional<HttpCall> call(FleetEvent event) {
        byte[] body = EventText.json(event);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(EVENT_HEADER, event.kind().id());
        key.ifPresent(k -> headers.put(SIGNATURE_HEADER, "sha256=" + hmac(k, body)));
        return Optional.of(new HttpCall(url, headers, body));
    }

    private static String hmac(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
