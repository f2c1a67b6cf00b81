package io.fleetward.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.config.NotifyConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.reconcile.FleetEvent.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code fleetward.notify.*} as start-up reads it: defaults, and bad values that stop start-up naming the key. */
class NotifyWiringTest {

    private static List<Notifier> notifiers(Map<String, String> properties) {
        return NotifyWiring.notifiers(PlainConfig.mapping(NotifyConfig.class, properties));
    }

    @Test
    void byDefaultNoNotifierAndEveryEventButDeploymentStarted() {
        NotifyConfig defaults = PlainConfig.defaults(NotifyConfig.class);
        assertThat(NotifyWiring.notifiers(defaults)).isEmpty();
        assertThat(NotifyWiring.settings(defaults)).isEqualTo(new DeliverySettings(1000,
                java.time.Duration.ofSeconds(10), 4, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5)));

        Notifier ops = notifiers(Map.of("fleetward.notify.ops.type", "webhook",
                "fleetward.notify.ops.url", "https://hooks.example.com/fleet")).get(0);

        assertThat(ops.name()).isEqualTo("ops");
        assertThat(ops.filter().kinds()).isEqualTo(EnumSet.complementOf(EnumSet.of(Kind.DEPLOYMENT_STARTED)));
        assertThat(ops.filter().hosts()).isEmpty();
        assertThat(ops.filter().tags()).isEmpty();
    }

    @Test
    void theSecretFileWinsOverTheSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hmac");
        Files.writeString(file, "from-the-file\nsecond line\n");
        Notifier ops = notifiers(Map.of("fleetward.notify.ops.type", "webhook",
                "fleetward.notify.ops.url", "https://hooks.example.com/fleet",
                "fleetward.notify.ops.secret", "from-the-property",
                "fleetward.notify.ops.secret-file", file.toString())).get(0);

        HttpCall call = ops.channel().call(Events.failed("galena")).orElseThrow();

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("from-the-file".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(call.headers().get("X-Fleetward-Signature"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(call.body())));
    }

    @Test
    void commitStatusDefaultsToThePublicApiOfGitHubAndGitLab() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "fleetward.notify.gh.type", "commit-status", "fleetward.notify.gh.forge", "github",
                "fleetward.notify.gh.repository", "example/fleet", "fleetward.notify.gh.secret", "t",
                "fleetward.notify.gl.type", "commit-status", "fleetward.notify.gl.forge", "gitlab",
                "fleetward.notify.gl.repository", "ops/fleet", "fleetward.notify.gl.secret", "t"));

        List<Notifier> notifiers = notifiers(properties);

        assertThat(notifiers).extracting(n -> n.channel().call(Events.succeeded("galena")).orElseThrow().uri()
                .toString()).containsExactly(
                "https://api.github.com/repos/example/fleet/statuses/" + Events.REVISION,
                "https://gitlab.com/api/v4/projects/ops%2Ffleet/statuses/" + Events.REVISION);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                argumentSet("an unknown type", Map.of("fleetward.notify.ops.type", "email"),
                        "fleetward.notify.ops.type"),
                argumentSet("an unknown event", Map.of("fleetward.notify.ops.type", "webhook",
                        "fleetward.notify.ops.url", "https://h.example/x",
                        "fleetward.notify.ops.events", "deployment-ok"), "fleetward.notify.ops.events"),
                argumentSet("a notifier without a type", Map.of("fleetward.notify.ops.url", "https://h.example/x"),
                        "fleetward.notify.ops.type"),
                argumentSet("a webhook without a URL", Map.of("fleetward.notify.ops.type", "webhook"),
                        "fleetward.notify.ops.url: required"),
                argumentSet("a URL that is not http(s)", Map.of("fleetward.notify.ops.type", "ntfy",
                        "fleetward.notify.ops.url", "ftp://files.example/topicsecret"),
                        "fleetward.notify.ops.url: must be an absolute http:// or https:// URL"),
                argumentSet("a malformed URL", Map.of("fleetward.notify.ops.type", "slack",
                        "fleetward.notify.ops.url", "https://hooks.slack.com/services/a b"),
                        "fleetward.notify.ops.url: not a valid URL"),
                argumentSet("a secret for slack", Map.of("fleetward.notify.ops.type", "slack",
                        "fleetward.notify.ops.url", "https://hooks.slack.com/services/x",
                        "fleetward.notify.ops.secret", "s"), "fleetward.notify.ops.secret: a slack notifier takes none"),
                argumentSet("commit-status without a forge", Map.of("fleetward.notify.ops.type", "commit-status",
                        "fleetward.notify.ops.repository", "example/fleet", "fleetward.notify.ops.secret", "t"),
                        "fleetward.notify.ops.forge: required"),
                argumentSet("commit-status without a repository", Map.of("fleetward.notify.ops.type", "commit-status",
                        "fleetward.notify.ops.forge", "github", "fleetward.notify.ops.secret", "t"),
                        "fleetward.notify.ops.repository: required"),
                argumentSet("a GitHub repository with three parts", Map.of("fleetward.notify.ops.type",
                        "commit-status", "fleetward.notify.ops.forge", "github",
                        "fleetward.notify.ops.repository", "a/b/c", "fleetward.notify.ops.secret", "t"),
                        "fleetward.notify.ops.repository: expected owner/name, got \"a/b/c\""),
                argumentSet("a repository with a dot-dot segment", Map.of("fleetward.notify.ops.type",
                        "commit-status", "fleetward.notify.ops.forge", "gitlab",
                        "fleetward.notify.ops.repository", "group/../x", "fleetward.notify.ops.secret", "t"),
                        "fleetward.notify.ops.repository: expected group[/subgroup...]/project"),
                argumentSet("Gitea without a URL", Map.of("fleetward.notify.ops.type", "commit-status",
                        "fleetward.notify.ops.forge", "gitea", "fleetward.notify.ops.repository", "example/fleet",
                        "fleetward.notify.ops.secret", "t"), "fleetward.notify.ops.url: required for forge gitea"),
                argumentSet("commit-status without a token", Map.of("fleetward.notify.ops.type", "commit-status",
                        "fleetward.notify.ops.forge", "github", "fleetward.notify.ops.repository", "example/fleet"),
                        "fleetward.notify.ops.secret-file: required for a commit-status notifier"),
                argumentSet("a forge on a webhook", Map.of("fleetward.notify.ops.type", "webhook",
                        "fleetward.notify.ops.url", "https://h.example/x", "fleetward.notify.ops.forge", "github"),
                        "fleetward.notify.ops.forge: only for commit-status notifiers"),
                argumentSet("an upper-case name", Map.of("fleetward.notify.Ops.type", "webhook",
                        "fleetward.notify.Ops.url", "https://h.example/x"), "fleetward.notify.Ops: a notifier's name"),
                argumentSet("an empty secret", Map.of("fleetward.notify.ops.type", "webhook",
                        "fleetward.notify.ops.url", "https://h.example/x", "fleetward.notify.ops.secret", " "),
                        "fleetward.notify.ops.secret: is empty"),
                argumentSet("a missing secret file", Map.of("fleetward.notify.ops.type", "webhook",
                        "fleetward.notify.ops.url", "https://h.example/x",
                        "fleetward.notify.ops.secret-file", "/nonexistent/fleetward-secret"),
                        "fleetward.notify.ops.secret-file: cannot read /nonexistent/fleetward-secret"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadNotifierStopsStartUpNamingTheKey(Map<String, String> properties, String message) {
        assertThatThrownBy(() -> notifiers(properties)).hasMessageContaining(message)
                .hasMessageNotContaining("topicsecret");
    }

    static Stream<Arguments> badDeliverySettings() {
        return Stream.of(
                argumentSet("no queue", "fleetward.notify.queue-size", "0"),
                argumentSet("no attempt", "fleetward.notify.max-attempts", "0"),
                argumentSet("no time", "fleetward.notify.timeout", "0s"),
                argumentSet("a negative retry delay", "fleetward.notify.retry-delay", "-1s"),
                argumentSet("a negative shutdown grace", "fleetward.notify.shutdown-grace", "-1s"));
    }

    @ParameterizedTest
    @MethodSource("badDeliverySettings")
    void aBadDeliverySettingStopsStartUpNamingTheKey(String key, String value) {
        NotifyConfig config = PlainConfig.mapping(NotifyConfig.class, Map.of(key, value));

        assertThatThrownBy(() -> NotifyWiring.settings(config)).hasMessageStartingWith(key + ": ");
    }

    @Test
    void retriesWaitLongerEachTimeUpToFiveMinutes() {
        DeliverySettings settings = new DeliverySettings(1, java.time.Duration.ofSeconds(1), 20,
                java.time.Duration.ofSeconds(2), java.time.Duration.ZERO);

        assertThat(List.of(1, 2, 3, 12).stream().map(settings::delayAfter).toList()).containsExactly(
                java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(4), java.time.Duration.ofSeconds(8),
                java.time.Duration.ofMinutes(5));
    }
}
