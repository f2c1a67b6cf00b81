package io.fleetward.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The webhook senders fleetward understands: how each proves it knows the shared secret, which
 * header carries its delivery id and which its event name. Gitea and Forgejo share one endpoint.
 */
public enum Provider {
    /** {@code X-Hub-Signature-256: sha256=<hex>}; events in {@code X-GitHub-Event}. */
    GITHUB(List.of("X-GitHub-Delivery"), List.of("X-GitHub-Event"), "push", Optional.of("ping")) {
        @Override
        Optional<String> authenticationFailure(String secret, Headers headers, byte[] body) {
            Optional<String> signature = headers.get("X-Hub-Signature-256");
            if (signature.isEmpty()) {
                return Optional.of(headers.get("X-Hub-Signature").isPresent() ? SHA1_REFUSED
                        : "missing X-Hub-Signature-256 header");
            }
            return prefixedMismatch("X-Hub-Signature-256", secret, body, signature.get());
        }
    },
    /** Gitea ({@code X-Gitea-*}) and Forgejo ({@code X-Forgejo-*}): bare hex HMAC-SHA256. */
    GITEA(List.of("X-Forgejo-Delivery", "X-Gitea-Delivery"), List.of("X-Forgejo-Event", "X-Gitea-Event"), "push",
            Optional.empty()) {
        @Override
        Optional<String> authenticationFailure(String secret, Headers headers, byte[] body) {
            List<String> signatures = List.of("X-Forgejo-Signature", "X-Gitea-Signature").stream()
                    .flatMap(name -> headers.get(name).stream()).toList();
            if (signatures.isEmpty()) {
                return Optional.of("missing X-Gitea-Signature or X-Forgejo-Signature header");
            }
            // Forgejo sends both headers; every signature sent must hold.
            for (String signature : signatures) {
                if (startsWithIgnoreCase(signature, "sha1=")) {
                    return Optional.of(SHA1_REFUSED);
                }
                String hex = startsWithIgnoreCase(signature, "sha256=") ? signature.substring(7) : signature;
                Optional<String> mismatch = SignatureCheck.hmacMismatch(secret, body, hex);
                if (mismatch.isPresent()) {
                    return mismatch;
                }
            }
            return Optional.empty();
        }
    },
    /** GitLab sends the shared secret itself in {@code X-Gitlab-Token}. */
    GITLAB(List.of("X-Gitlab-Event-UUID"), List.of("X-Gitlab-Event"), "Push Hook", Optional.empty()) {
        @Override
        Optional<String> authenticationFailure(String secret, Headers headers, byte[] body) {
            Optional<String> token = headers.get("X-Gitlab-Token");
            if (token.isEmpty()) {
                return Optional.of("missing X-Gitlab-Token header");
            }
            return SignatureCheck.sameToken(secret, token.get()) ? Optional.empty()
                    : Optional.of("X-Gitlab-Token does not match");
        }
    },
    /**
     * Any other sender (a CI job, a script): {@code X-Signature: sha256=<hex>}, delivery id in
     * {@code X-Delivery}, and every request is a push (see {@link PushPayloads}).
     */
    GENERIC(List.of("X-Delivery"), List.of(), "push", Optional.empty()) {
        @Override
        Optional<String> authenticationFailure(String secret, Headers headers, byte[] body) {
            return headers.get("X-Signature")
                    .map(signature -> prefixedMismatch("X-Signature", secret, body, signature))
                    .orElseGet(() -> Optional.of("missing X-Signature header"));
        }
    };

    static final String SHA1_REFUSED = "SHA-1 signatures are not accepted: configure the webhook to sign with SHA-256";

    private final List<String> deliveryHeaders;
    private final List<String> eventHeaders;
    private final String pushEvent;
    private final Optional<String> pingEvent;

    Provider(List<String> deliveryHeaders, List<String> eventHeaders, String pushEvent, Optional<String> pingEvent) {
        this.deliveryHeaders = deliveryHeaders;
        this.eventHeaders = eventHeaders;
        this.pushEvent = pushEvent;
        this.pingEvent = pingEvent;
    }

    /** The provider whose endpoint is {@code /webhooks/<id>}. */
    public static Optional<Provider> byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
    }

    /** Lower-case name: the URL path segment, the config key segment and the metric label. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks the request's signature or token against {@code secret}, before anything reads the body.
     *
     * @return empty if authentic, else why not (never the secret or the expected signature)
     */
    abstract Optional<String> authenticationFailure(String secret, Headers headers, byte[] body);

    /** Headers that may carry the delivery id, in the order they are read. */
    List<String> deliveryHeaders() {
        return deliveryHeaders;
    }

    /** What the request says it is, by its event header. */
    Event event(Headers headers) {
        if (eventHeaders.isEmpty()) {
            return new Event(EventKind.PUSH, pushEvent);
        }
        Optional<String> name = eventHeaders.stream().flatMap(h -> headers.get(h).stream()).findFirst();
        if (name.isEmpty()) {
            return new Event(EventKind.MISSING, String.join(" or ", eventHeaders));
        }
        EventKind kind = name.get().equals(pushEvent) ? EventKind.PUSH
                : pingEvent.filter(name.get()::equals).isPresent() ? EventKind.PING : EventKind.OTHER;
        return new Event(kind, name.get());
    }

    /** What kind of request a webhook is. */
    enum EventKind { PUSH, PING, OTHER, MISSING }

    /**
     * An event and its name as sent; for {@link EventKind#MISSING} the name of the header that was expected.
     */
    record Event(EventKind kind, String name) {
    }

    private static Optional<String> prefixedMismatch(String header, String secret, byte[] body, String signature) {
        if (startsWithIgnoreCase(signature, "sha1=")) {
            return Optional.of(SHA1_REFUSED);
        }
        if (!startsWithIgnoreCase(signature, "sha256=")) {
            return Optional.of(header + " must be sha256=<hex>");
        }
        return SignatureCheck.hmacMismatch(secret, body, signature.substring("sha256=".length()));
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
