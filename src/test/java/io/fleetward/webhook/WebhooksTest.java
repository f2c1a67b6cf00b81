package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The receivers end to end, without HTTP: every provider's recorded push and the bad-input battery. */
class WebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 16 * 1024;
    private static final String ZEROS = "0".repeat(40);
    private static final Map<Provider, String> SECRETS = Map.of(
            Provider.GITHUB, "It's a Secret to Everybody",
            Provider.GITEA, "gitea-shared-secret",
            Provider.GITLAB, "glpat-like-token",
            Provider.GENERIC, "generic-shared-secret");

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<String> nudges = new ArrayList<>();
    private final VirtualScheduler time = new VirtualScheduler();
    private final Set<String> seen = new HashSet<>();
    private final PushTrigger trigger = new PushTrigger(Duration.ofSeconds(10), time, nudges::add);
    private Optional<String> fetched = Optional.of("1111111111111111111111111111111111111111");

    private Webhooks webhooks(Provider provider, Map<Provider, String> secrets) {
        // The recorded GitLab push comes from a project in a subgroup.
        String tracked = provider == Provider.GITLAB ? "infra/example/fleet" : "example/fleet";
        return new Webhooks(new WebhookSettings(MAX_BODY, "main", secrets),
                TrackedRepository.of(Optional.of(tracked), "unused"),
                (p, id) -> seen.add(p.id() + "/" + id), trigger, () -> fetched, metrics);
    }

    private WebhookResponse send(ForgeRequest request) {
        return send(request, new ByteArrayInputStream(request.body()));
    }

    private WebhookResponse send(ForgeRequest request, InputStream body) {
        return webhooks(request.provider(), SECRETS).receive(request.provider().id(), Headers.of(request.headers()),
                body);
    }

    private static ForgeRequest recordedPush(Provider provider, String delivery) {
        return signedPush(provider, ForgeRequest.payload(provider.id() + "-push.json"), delivery);
    }

    private static ForgeRequest signedPush(Provider provider, byte[] body, String delivery) {
        return ForgeRequest.push(provider, SECRETS.get(provider), body, delivery);
    }

    /** The recorded push of {@code provider} with some fields changed, signed. */
    private static ForgeRequest editedPush(Provider provider, UnaryOperator<ObjectNode> edit) {
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(ForgeRequest.payload(provider.id() + "-push.json"));
            return signedPush(provider, JSON.writeValueAsBytes(edit.apply(payload)), "edited-1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WebhookResult result(WebhookResponse response) {
        return (WebhookResult) response.body();
    }

    private static WebhookResponse.Error error(WebhookResponse response) {
        return (WebhookResponse.Error) response.body();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Provider.class)
    void aSignedPushToTheTrackedBranchIsAcceptedAndNudgesTheLoop(Provider provider) {
        WebhookResponse response = send(recordedPush(provider, "d-1"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(result(response).result()).isEqualTo("accepted");
        assertThat(result(response).reason()).startsWith("push to branch 'main' of ").endsWith(": fetch requested");
        assertThat(nudges).containsExactly("webhook:" + provider.id());
        assertThat(metrics.webhookRequests).containsExactly(provider.id() + "/accepted");
    }

    @ParameterizedTest(name = "body {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "{}", "{\"ref\": \"refs/heads/main\"}",
            "{\"repository\": \"https://forge.example.org/example/fleet.git\"}"})
    void aSignedGenericRequestThatNamesNoCommitIsFetchNow(String body) {
        WebhookResponse response = send(signedPush(Provider.GENERIC, body.getBytes(StandardCharsets.UTF_8), "cron-1"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(result(response)).isEqualTo(new WebhookResult("accepted",
                "fetch of branch 'main' of example/fleet requested: fetch requested"));
        assertThat(nudges).containsExactly("webhook:generic");
        assertThat(metrics.webhookRequests).containsExactly("generic/accepted");
    }

    static Stream<Arguments> partialGenericRequests() {
        return Stream.of(
                arguments("{\"ref\": \"refs/heads/staging\"}", "ignored",
                        "push to branch \"staging\", not the tracked branch 'main'"),
                arguments("{\"repository\": \"example/other\"}", "ignored",
                        "push to repository \"example/other\", not the tracked repository example/fleet"),
                arguments("{\"after\": \"" + ZEROS + "\"}", "ignored",
                        "push deleted the tracked branch 'main'; the last fetched revision stays"),
                arguments("{\"after\": \"1111111111111111111111111111111111111111\"}", "current",
                        "push to branch 'main' of example/fleet at 111111111111 is the revision already fetched"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partialGenericRequests")
    void aGenericRequestIsCheckedOnTheFieldsItHas(String body, String result, String reason) {
        WebhookResponse response = send(signedPush(Provider.GENERIC, body.getBytes(StandardCharsets.UTF_8), "d"));

        assertThat(result(response)).isEqualTo(new WebhookResult(result, reason));
        assertThat(nudges).isEmpty();
    }

    @Test
    void anUnsignedEmptyGenericBodyIsStillUnauthorized() {
        WebhookResponse response = send(signedPush(Provider.GENERIC, new byte[0], "d").with("X-Signature", null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(nudges).isEmpty();
    }

    @Test
    void giteaWithoutForgejosHeadersIsAccepted() {
        ForgeRequest gitea = recordedPush(Provider.GITEA, "d").with("X-Forgejo-Signature", null)
                .with("X-Forgejo-Event", null).with("X-Forgejo-Delivery", null);

        assertThat(result(send(gitea)).result()).isEqualTo("accepted");
        assertThat(seen).containsExactly("gitea/d");
    }

    static Stream<Arguments> unauthorized() {
        return Stream.of(
                arguments("github: no signature", recordedPush(Provider.GITHUB, "d").with("X-Hub-Signature-256", null)
                        .with("X-Hub-Signature", null),
                        "missing X-Hub-Signature-256 header"),
                arguments("github: wrong signature", recordedPush(Provider.GITHUB, "d").with("X-Hub-Signature-256",
                        "sha256=" + ForgeRequest.hmacHex("guess", ForgeRequest.payload("github-push.json"))),
                        "signature does not match the body"),
                arguments("github: SHA-1 header only", recordedPush(Provider.GITHUB, "d").with("X-Hub-Signature-256", null),
                        Provider.SHA1_REFUSED),
                arguments("github: sha1= prefix", recordedPush(Provider.GITHUB, "d").with("X-Hub-Signature-256",
                        "sha1=d03207e4b030cf234e3447bac4d93add4c6643d8"), Provider.SHA1_REFUSED),
                arguments("github: bare hex", recordedPush(Provider.GITHUB, "d").with("X-Hub-Signature-256",
                        ForgeRequest.hmacHex(SECRETS.get(Provider.GITHUB), ForgeRequest.payload("github-push.json"))),
                        "X-Hub-Signature-256 must be sha256=<hex>"),
                arguments("gitea: only the GitHub-style signatures", recordedPush(Provider.GITEA, "d")
                        .with("X-Gitea-Signature", null).with("X-Forgejo-Signature", null),
                        "missing X-Gitea-Signature or X-Forgejo-Signature header"),
                arguments("gitea: one of two signatures wrong", recordedPush(Provider.GITEA, "d")
                        .with("X-Gitea-Signature", "00".repeat(32)), "signature does not match the body"),
                arguments("gitea: sha1= prefix", recordedPush(Provider.GITEA, "d").with("X-Forgejo-Signature", null)
                        .with("X-Gitea-Signature", "sha1=d03207e4b030cf234e3447bac4d93add4c6643d8"), Provider.SHA1_REFUSED),
                arguments("gitlab: no token", recordedPush(Provider.GITLAB, "d").with("X-Gitlab-Token", null),
                        "missing X-Gitlab-Token header"),
                arguments("gitlab: wrong token", recordedPush(Provider.GITLAB, "d").with("X-Gitlab-Token", "glpat-like"),
                        "X-Gitlab-Token does not match"),
                arguments("generic: no signature", recordedPush(Provider.GENERIC, "d").with("X-Signature", null),
                        "missing X-Signature header"),
                arguments("generic: sha1= prefix", recordedPush(Provider.GENERIC, "d").with("X-Signature",
                        "sha1=d03207e4b030cf234e3447bac4d93add4c6643d8"), Provider.SHA1_REFUSED),
                arguments("generic: signature of another body", signedPush(Provider.GENERIC, "{}".getBytes(
                        StandardCharsets.UTF_8), "d").with("X-Delivery", "d"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unauthorized")
    void requestsWithoutAValidSignatureAreUnauthorized(String name, ForgeRequest request, String detail) {
        ForgeRequest sent = detail == null
                ? new ForgeRequest(request.provider(), request.headers(), ForgeRequest.payload("generic-push.json"))
                : request;
        WebhookResponse response = send(sent);

        assertThat(response.status()).isEqualTo(401);
        assertThat(error(response).error()).isEqualTo("unauthorized");
        assertThat(error(response).detail()).isEqualTo(detail == null ? "signature does not match the body" : detail);
        assertThat(nudges).isEmpty();
        assertThat(seen).as("no delivery is recorded before the signature holds").isEmpty();
        assertThat(metrics.webhookRequests).containsExactly(request.provider().id() + "/unauthorized");
        // Nothing about the secret or the signature it expected.
        String expected = ForgeRequest.hmacHex(SECRETS.get(request.provider()), sent.body());
        assertThat(error(response).toString()).doesNotContain(SECRETS.get(request.provider())).doesNotContain(expected);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Provider.class)
    void theBodyIsNotParsedBeforeTheSignatureHolds(Provider provider) {
        byte[] malformed = "{\"ref\": ".getBytes(StandardCharsets.UTF_8);
        ForgeRequest wrong = ForgeRequest.push(provider, "not the secret", malformed, "d-1");

        assertThat(send(wrong).status()).isEqualTo(401);
        assertThat(send(signedPush(provider, malformed, "d-2")).status()).isEqualTo(400);
        assertThat(metrics.webhookRequests).containsExactly(provider.id() + "/unauthorized", provider.id() + "/malformed");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Provider.class)
    void malformedJsonWithAGoodSignatureIsABadRequest(Provider provider) {
        WebhookResponse response = send(signedPush(provider, "not json at all".getBytes(StandardCharsets.UTF_8), "d"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response).error()).isEqualTo("bad request");
        assertThat(error(response).detail()).startsWith("body is not valid JSON (line 1, column ");
        assertThat(nudges).isEmpty();
    }

    @Test
    void aBodyLargerThanMaxBodyIsRefusedAfterReadingAtMostMaxBodyPlusOneBytes() {
        CountingEndlessStream endless = new CountingEndlessStream();
        ForgeRequest request = recordedPush(Provider.GITHUB, "d");

        WebhookResponse response = send(request, endless);

        assertThat(response.status()).isEqualTo(413);
        assertThat(error(response).detail()).isEqualTo("body is larger than 16384 bytes (fleetward.webhook.max-body)");
        assertThat(endless.read).isEqualTo(MAX_BODY + 1);
        assertThat(metrics.webhookRequests).containsExactly("github/too_large");
    }

    @Test
    void aBodyOfExactlyMaxBodyIsRead() {
        byte[] padded = new byte[MAX_BODY];
        byte[] payload = ForgeRequest.payload("generic-push.json");
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(payload, 0, padded, 0, payload.length);

        assertThat(send(signedPush(Provider.GENERIC, padded, "d")).status()).isEqualTo(202);
    }

    @Test
    void aTooLargeContentLengthIsRefusedUnread() {
        CountingEndlessStream endless = new CountingEndlessStream();
        ForgeRequest request = recordedPush(Provider.GITLAB, "d").with("Content-Length", "104857600");

        assertThat(send(request, endless).status()).isEqualTo(413);
        assertThat(endless.read).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Provider.class)
    void aRedeliveryIsADuplicateAndTriggersNothing(Provider provider) {
        assertThat(result(send(recordedPush(provider, "7f6c1a90-2f1b-11f0-8e7e-4f1c2b3a4d5e"))).result())
                .isEqualTo("accepted");
        time.advance(Duration.ofMinutes(1));

        WebhookResponse again = send(recordedPush(provider, "7f6c1a90-2f1b-11f0-8e7e-4f1c2b3a4d5e"));

        assertThat(again.status()).isEqualTo(202);
        assertThat(result(again)).isEqualTo(new WebhookResult("duplicate", "delivery was handled before"));
        assertThat(nudges).hasSize(1);
        assertThat(metrics.webhookRequests).containsExactly(provider.id() + "/accepted", provider.id() + "/duplicate");
    }

    @Test
    void withoutADeliveryIdThereIsNoDeduplication() {
        send(recordedPush(Provider.GENERIC, null));
        WebhookResponse again = send(recordedPush(Provider.GENERIC, null));

        assertThat(result(again).result()).isEqualTo("accepted");
        assertThat(result(again).reason()).endsWith("coalesced with other pushes, one fetch follows shortly");
        assertThat(seen).isEmpty();
    }

    static Stream<Arguments> ignoredPushes() {
        return Stream.of(
                arguments("other branch", Provider.GITHUB, edit(p -> p.put("ref", "refs/heads/staging")),
                        "push to branch \"staging\", not the tracked branch 'main'"),
                arguments("tag", Provider.GITHUB, edit(p -> p.put("ref", "refs/tags/v1.2.0")),
                        "push to tag \"v1.2.0\", not a branch"),
                arguments("other ref", Provider.GITLAB, edit(p -> p.put("ref", "refs/merge-requests/7/head")),
                        "push to ref \"refs/merge-requests/7/head\", not a branch"),
                arguments("branch deleted", Provider.GITEA, edit(p -> p.put("after", ZEROS)),
                        "push deleted the tracked branch 'main'; the last fetched revision stays"),
                arguments("other repository", Provider.GITHUB, edit(p -> p.set("repository", JSON.createObjectNode()
                                .put("full_name", "Example/fleet-staging")
                                .put("clone_url", "https://github.com/Example/fleet-staging.git"))),
                        "push to repository \"Example/fleet-staging\", not the tracked repository example/fleet"),
                arguments("other GitLab project", Provider.GITLAB, edit(p -> p.set("project", JSON.createObjectNode()
                                .put("path_with_namespace", "infra/other/fleet"))),
                        "push to repository \"infra/other/fleet\", not the tracked repository infra/example/fleet"),
                arguments("generic, other repository URL", Provider.GENERIC,
                        edit(p -> p.put("repository", "git@github.com:example/other.git")),
                        "push to repository \"git@github.com:example/other.git\", not the tracked repository example/fleet"));
    }

    private static UnaryOperator<ObjectNode> edit(UnaryOperator<ObjectNode> edit) {
        return edit;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignoredPushes")
    void pushesThatAreNotTheTrackedBranchAreIgnoredWithAReason(String name, Provider provider,
                                                                UnaryOperator<ObjectNode> change, String reason) {
        WebhookResponse response = send(editedPush(provider, change));

        assertThat(response.status()).isEqualTo(202);
        assertThat(result(response)).isEqualTo(new WebhookResult("ignored", reason));
        assertThat(nudges).isEmpty();
        assertThat(metrics.webhookRequests).containsExactly(provider.id() + "/ignored");
    }

    static Stream<Arguments> otherEvents() {
        return Stream.of(
                arguments(recordedPush(Provider.GITHUB, "d").with("X-GitHub-Event", "issues"), "event \"issues\" is not a push"),
                arguments(recordedPush(Provider.GITEA, "d").with("X-Forgejo-Event", "create").with("X-Gitea-Event", "create"),
                        "event \"create\" is not a push"),
                arguments(recordedPush(Provider.GITLAB, "d").with("X-Gitlab-Event", "Tag Push Hook"),
                        "event \"Tag Push Hook\" is not a push"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("otherEvents")
    void eventsThatAreNotPushesAreIgnored(ForgeRequest request, String reason) {
        WebhookResponse response = send(request);

        assertThat(response.status()).isEqualTo(202);
        assertThat(result(response)).isEqualTo(new WebhookResult("ignored", reason));
        assertThat(nudges).isEmpty();
    }

    @Test
    void aGitHubPingIsAnsweredOk() {
        ForgeRequest ping = signedPush(Provider.GITHUB, ForgeRequest.payload("github-ping.json"), "d")
                .with("X-GitHub-Event", "ping");

        WebhookResponse response = send(ping);

        assertThat(response.status()).isEqualTo(200);
        assertThat(result(response)).isEqualTo(new WebhookResult("ping",
                "ping received; pushes to branch 'main' of example/fleet trigger a fetch"));
        assertThat(nudges).isEmpty();
        assertThat(metrics.webhookRequests).containsExactly("github/ping");
    }

    @Test
    void aPushOfTheRevisionAlreadyFetchedIsCurrent() {
        fetched = Optional.of("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");

        WebhookResponse response = send(recordedPush(Provider.GITHUB, "d"));

        assertThat(result(response)).isEqualTo(new WebhookResult("current",
                "push to branch 'main' of example/fleet at 0d1a26e67d8f is the revision already fetched"));
        assertThat(nudges).isEmpty();
        assertThat(metrics.webhookRequests).containsExactly("github/current");
    }

    @Test
    void aDisabledProviderIsNotFoundAndItsBodyIsNotRead() {
        Map<Provider, String> onlyGitHub = new EnumMap<>(Map.of(Provider.GITHUB, SECRETS.get(Provider.GITHUB)));
        CountingEndlessStream endless = new CountingEndlessStream();
        ForgeRequest request = recordedPush(Provider.GITLAB, "d");

        WebhookResponse response = webhooks(Provider.GITLAB, onlyGitHub).receive("gitlab", Headers.of(request.headers()),
                endless);

        assertThat(response.status()).isEqualTo(404);
        assertThat(error(response)).isEqualTo(new WebhookResponse.Error("not found", "webhook provider gitlab is disabled"));
        assertThat(endless.read).isZero();
        assertThat(metrics.webhookRequests).containsExactly("gitlab/disabled");
    }

    @Test
    void anUnknownProviderIsNotFound() {
        WebhookResponse response = webhooks(Provider.GITHUB, SECRETS).receive("bitbucket", Headers.of(Map.of()),
                InputStream.nullInputStream());

        assertThat(response.status()).isEqualTo(404);
        assertThat(error(response).detail()).isEqualTo("no webhook provider \"bitbucket\"; known: github, gitea, gitlab, generic");
        assertThat(metrics.webhookRequests).isEmpty();
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                arguments("delivery id too long", recordedPush(Provider.GITHUB, "x".repeat(129)),
                        "X-GitHub-Delivery must be 1 to 128 printable ASCII characters"),
                arguments("delivery id with a space", recordedPush(Provider.GITEA, "a b"),
                        "X-Forgejo-Delivery / X-Gitea-Delivery must be 1 to 128 printable ASCII characters"),
                arguments("delivery id empty", recordedPush(Provider.GENERIC, ""),
                        "X-Delivery must be 1 to 128 printable ASCII characters"),
                arguments("no event header", recordedPush(Provider.GITHUB, "d").with("X-GitHub-Event", null),
                        "missing X-GitHub-Event header"),
                arguments("no event header (gitea)", recordedPush(Provider.GITEA, "d").with("X-Gitea-Event", null)
                        .with("X-Forgejo-Event", null), "missing X-Forgejo-Event or X-Gitea-Event header"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedHeadersAreBadRequests(String name, ForgeRequest request, String detail) {
        WebhookResponse response = send(request);

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response)).isEqualTo(new WebhookResponse.Error("bad request", detail));
        assertThat(nudges).isEmpty();
        assertThat(metrics.webhookRequests).containsExactly(request.provider().id() + "/malformed");
    }

    @Test
    void aFailingRevisionLookupOnlyCostsAFetch() {
        AtomicBoolean asked = new AtomicBoolean();
        Webhooks receivers = new Webhooks(new WebhookSettings(MAX_BODY, "main", SECRETS),
                TrackedRepository.of(Optional.of("example/fleet"), "unused"), (p, id) -> true, trigger, () -> {
                    asked.set(true);
                    throw new java.io.UncheckedIOException(new IOException("repository is locked"));
                }, metrics);
        ForgeRequest push = recordedPush(Provider.GITHUB, "d");

        WebhookResponse response = receivers.receive("github", Headers.of(push.headers()),
                new ByteArrayInputStream(push.body()));

        assertThat(asked).isTrue();
        assertThat(result(response).result()).isEqualTo("accepted");
        assertThat(nudges).containsExactly("webhook:github");
    }

    @Test
    void settingsNeverShowTheSecrets() {
        assertThat(new WebhookSettings(MAX_BODY, "main", SECRETS).toString())
                .doesNotContain(SECRETS.values().toArray(String[]::new))
                .contains("GITHUB");
    }

    /** An endless body that counts the bytes read from it. */
    private static final class CountingEndlessStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return '{';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) ' ');
            read += len;
            return len;
        }
    }
}
