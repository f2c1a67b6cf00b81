package io.fleetward.webhook;

import io.fleetward.fleet.Names;
import jakarta.ws.rs.core.Response.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The webhook receivers: checks one request step by step and answers it; an accepted push only
 * nudges the reconcile loop (through {@link PushTrigger}), which fetches the desired state itself.
 *
 * <p>The steps, each of which may end the request:
 * <ol>
 * <li>provider: unknown 404; without a secret disabled, 404 {@code webhook provider X is disabled}</li>
 * <li>body: read with a bound; larger than max-body 413 (a too large Content-Length is refused unread)</li>
 * <li>authenticity: signature or token checked on the raw bytes before anything parses them; 401,
 * SHA-1 signatures included</li>
 * <li>delivery id: a malformed one 400</li>
 * <li>event: ping 200; an event that is not a push 202 ignored; no event header 400</li>
 * <li>payload: not the provider's push JSON 400</li>
 * <li>redelivery: a delivery id seen before 202 duplicate</li>
 * <li>relevance: another repository, a tag, another branch or a deleted branch 202 ignored (a generic
 * request is checked only on the fields it has: an empty body or {@code {}} is "fetch now")</li>
 * <li>the revision already fetched 202 current; otherwise the loop is nudged, 202 accepted</li>
 * </ol>
 * Each decision is counted ({@code fleetward_webhook_requests_total}) and logged once with its reason.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Webhooks.class);
    /** Printable ASCII, as the column holds: forges send UUIDs or numbers. */
    private static final Pattern DELIVERY_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String KNOWN = Arrays.stream(Provider.values()).map(Provider::id)
            .collect(Collectors.joining(", "));

    private final WebhookSettings settings;
    private final TrackedRepository repository;
    private final Deliveries deliveries;
    private final PushTrigger trigger;
    private final Supplier<Optional<String>> currentRevision;
    private final WebhookMetrics metrics;
    private final PushPayloads payloads = new PushPayloads();

    /**
     * @param currentRevision the revision fetched last; a push of it needs no fetch
     */
    public Webhooks(WebhookSettings settings, TrackedRepository repository, Deliveries deliveries,
                    PushTrigger trigger, Supplier<Optional<String>> currentRevision, WebhookMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.currentRevision = Objects.requireNonNull(currentRevision, "currentRevision");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Handles one {@code POST /webhooks/<providerId>}.
     *
     * @param body the request body, read here with the max-body bound
     */
    public WebhookResponse receive(String providerId, Headers headers, InputStream body) {
        Optional<Provider> known = Provider.byId(providerId);
        if (known.isEmpty()) {
            LOG.debugf("webhook: refused a request for unknown provider %s", Names.printable(providerId));
            return WebhookResponse.error(Status.NOT_FOUND, "no webhook provider " + Names.printable(providerId)
                    + "; known: " + KNOWN);
        }
        Provider provider = known.get();
        String secret = settings.secrets().get(provider);
        if (secret == null) {
            String detail = "webhook provider " + provider.id() + " is disabled";
            LOG.infof("webhook %s: disabled: %s (configure fleetward.webhook.%s.secret or .secret-file)",
                    provider.id(), detail, provider.id());
            metrics.webhookRequest(provider.id(), "disabled");
            return WebhookResponse.error(Status.NOT_FOUND, detail);
        }
        Optional<byte[]> raw;
        try {
            raw = readBounded(headers, body);
        } catch (IOException e) {
            return refuse(provider, Status.BAD_REQUEST, "malformed", "the request body could not be read");
        }
        if (raw.isEmpty()) {
            return refuse(provider, Status.REQUEST_ENTITY_TOO_LARGE, "too_large",
                    "body is larger than " + settings.maxBody() + " bytes (fleetward.webhook.max-body)");
        }
        Optional<String> unauthorized = provider.authenticationFailure(secret, headers, raw.get());
        if (unauthorized.isPresent()) {
            return refuse(provider, Status.UNAUTHORIZED, "unauthorized", unauthorized.get());
        }
        return authentic(provider, headers, raw.get());
    }

    /** Stops the pending trailing nudge, if any. */
    @Override
    public void close() {
        trigger.close();
    }

    /** Steps after the request proved that it knows the secret. */
    private WebhookResponse authentic(Provider provider, Headers headers, byte[] body) {
        Optional<String> delivery = provider.deliveryHeaders().stream().flatMap(h -> headers.get(h).stream())
                .findFirst();
        if (delivery.isPresent() && !DELIVERY_ID.matcher(delivery.get()).matches()) {
            return refuse(provider, Status.BAD_REQUEST, "malformed", String.join(" / ", provider.deliveryHeaders())
                    + " must be 1 to 128 printable ASCII characters");
        }
        Request request = new Request(provider, delivery);
        Provider.Event event = provider.event(headers);
        switch (event.kind()) {
            case MISSING -> {
                return refuse(provider, Status.BAD_REQUEST, "malformed", "missing " + event.name() + " header");
            }
            case PING -> {
                return request.answer(Status.OK, "ping", "ping received; pushes to branch '" + settings.branch()
                        + "' of " + repository + " trigger a fetch");
            }
            case OTHER -> {
                return request.answer(Status.ACCEPTED, "ignored", "event " + Names.printable(event.name())
                        + " is not a push");
            }
            case PUSH -> {
                // handled below
            }
        }
        PushEvent push;
        try {
            push = payloads.parse(provider, body);
        } catch (PayloadException e) {
            return refuse(provider, Status.BAD_REQUEST, "malformed", e.getMessage());
        }
        if (delivery.isPresent() && !deliveries.firstSeen(provider, delivery.get())) {
            return request.answer(Status.ACCEPTED, "duplicate", "delivery was handled before");
        }
        Optional<String> irrelevant = irrelevance(push);
        if (irrelevant.isPresent()) {
            return request.answer(Status.ACCEPTED, "ignored", irrelevant.get());
        }
        String what = push.after().isPresent()
                ? "push to branch '" + settings.branch() + "' of " + repository + " at " + shortId(push.after().get())
                : "fetch of branch '" + settings.branch() + "' of " + repository + " requested";
        if (push.after().isPresent() && push.after().get().equalsIgnoreCase(fetchedRevision().orElse(""))) {
            return request.answer(Status.ACCEPTED, "current", what + " is the revision already fetched");
        }
        PushTrigger.Outcome outcome = trigger.push("webhook:" + provider.id());
        return request.answer(Status.ACCEPTED, "accepted", what + (outcome == PushTrigger.Outcome.NUDGED
                ? ": fetch requested" : ": coalesced with other pushes, one fetch follows shortly"));
    }

    /** Why this push is none of fleetward's business, if it is not. */
    private Optional<String> irrelevance(PushEvent push) {
        if (!push.repositories().isEmpty() && !repository.matches(push.repositories())) {
            return Optional.of("push to repository " + Names.printable(push.repositories().get(0))
                    + ", not the tracked repository " + repository);
        }
        if (push.ref().isEmpty()) {
            return deleted(push, settings.branch());
        }
        String ref = push.ref().get();
        if (ref.startsWith("refs/tags/")) {
            return Optional.of("push to tag " + Names.printable(ref.substring("refs/tags/".length()))
                    + ", not a branch");
        }
        if (!ref.startsWith(BRANCH_PREFIX)) {
            return Optional.of("push to ref " + Names.printable(ref) + ", not a branch");
        }
        String branch = ref.substring(BRANCH_PREFIX.length());
        if (!branch.equals(settings.branch())) {
            return Optional.of("push to branch " + Names.printable(branch) + ", not the tracked branch '"
                    + settings.branch() + "'");
        }
        return deleted(push, branch);
    }

    private static Optional<String> deleted(PushEvent push, String branch) {
        if (push.deletion()) {
            return Optional.of("push deleted the tracked branch '" + branch + "'; the last fetched revision stays");
        }
        return Optional.empty();
    }

    private Optional<String> fetchedRevision() {
        try {
            return currentRevision.get();
        } catch (RuntimeException e) {
            // Not knowing only costs a fetch that finds nothing new.
            LOG.debugf("webhook: fetched revision unknown: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The body, or empty when it is larger than max-body: at most max-body + 1 bytes are ever held.
     * A Content-Length above the bound is refused without reading.
     */
    private Optional<byte[]> readBounded(Headers headers, InputStream body) throws IOException {
        Optional<Long> declared = headers.get("Content-Length").flatMap(Webhooks::parseLength);
        if (declared.isPresent() && declared.get() > settings.maxBody()) {
            return Optional.empty();
        }
        byte[] bytes = body.readNBytes(settings.maxBody() + 1);
        return bytes.length > settings.maxBody() ? Optional.empty() : Optional.of(bytes);
    }

    private static Optional<Long> parseLength(String value) {
        try {
            return Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Refuses a request the provider should not have sent; warns for an unauthorized one, which may be an attack. */
    private WebhookResponse refuse(Provider provider, Status status, String result, String detail) {
        if (status == Status.UNAUTHORIZED) {
            LOG.warnf("webhook %s: %s: %s", provider.id(), result, detail);
        } else {
            LOG.infof("webhook %s: %s: %s", provider.id(), result, detail);
        }
        metrics.webhookRequest(provider.id(), result);
        return WebhookResponse.error(status, detail);
    }

    private static String shortId(String commit) {
        return commit.substring(0, 12);
    }

    /** An authentic request: its answers name the delivery in the log line. */
    private final class Request {
        private final Provider provider;
        private final String delivery;

        Request(Provider provider, Optional<String> delivery) {
            this.provider = provider;
            this.delivery = delivery.map(id -> " delivery " + id).orElse("");
        }

        WebhookResponse answer(Status status, String result, String reason) {
            LOG.infof("webhook %s%s: %s: %s", provider.id(), delivery, result, reason);
            metrics.webhookRequest(provider.id(), result);
            return WebhookResponse.answer(status.getStatusCode(), result, reason);
        }
    }
}
