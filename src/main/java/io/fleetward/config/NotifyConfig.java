package io.fleetward.config;

import io.fleetward.reconcile.FleetEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Outgoing notifications ({@code fleetward.notify.*}): delivery settings shared by every notifier,
 * and the notifiers by name ({@code fleetward.notify.<name>.*}).
 */
@ConfigMapping(prefix = "fleetward.notify")
public interface NotifyConfig {

    /** Events waiting per notifier; when that many wait, a new one is dropped (logged and counted). */
    @WithDefault("1000")
    int queueSize();

    /** Time limit of one request: connecting and receiving the answer. */
    @WithDefault("10s")
    Duration timeout();

    /** Attempts per event and notifier (a refused connection, a timeout, 429 or 5xx is tried again). */
    @WithDefault("4")
    int maxAttempts();

    /** Wait before the second attempt; doubled for each further one. */
    @WithDefault("2s")
    Duration retryDelay();

    /** At shutdown, events still queued get this long to be delivered; the rest are dropped. */
    @WithDefault("5s")
    Duration shutdownGrace();

    /** The notifiers, by name ({@code fleetward.notify.<name>.*}); none by default. */
    @WithParentName
    Map<String, Notifier> notifiers();

    /** One notifier ({@code fleetward.notify.<name>.*}). */
    interface Notifier {
        /** webhook, ntfy, slack or commit-status. */
        Type type();

        /** Where to send: the webhook URL, ntfy topic URL or Slack-style webhook URL; for commit-status the forge's base URL. */
        Optional<String> url();

        /** webhook: HMAC-SHA256 key; ntfy: access token; commit-status: API token. Never logged. */
        Optional<String> secret();

        /** File holding the secret (first line); wins over secret. */
        Optional<Path> secretFile();

        /** The kinds of events sent. */
        @WithDefault("deployment-succeeded,deployment-failed,rolled-back,rollout-halted,target-unreachable,"
                + "out-of-band-change,source-verification-failed")
        List<FleetEvent.Kind> events();

        /** Only events of hosts with one of these tags (fleet-wide events always pass); unset: every host. */
        Optional<List<String>> tags();

        /** Only events of these hosts (fleet-wide events always pass); unset: every host. */
        Optional<List<String>> hosts();

        /** commit-status: github, gitea (also Forgejo) or gitlab. */
        Optional<Forge> forge();

        /** commit-status: the repository as {@code owner/name} (GitLab: the project's full path). */
        Optional<String> repository();
    }

    /** What a notifier sends. */
    enum Type {
        /** A JSON POST, signed with the secret when one is set. */
        WEBHOOK,
        /** A message to an ntfy topic, its priority by event. */
        NTFY,
        /** Slack's incoming-webhook JSON (also Mattermost's, and Discord's {@code /slack} endpoint). */
        SLACK,
        /** A commit status per target on the revision, on the forge. */
        COMMIT_STATUS
    }

    /** The forge API a commit-status notifier talks to. */
    enum Forge {
        GITHUB,
        /** Gitea and Forgejo. */
        GITEA,
        GITLAB
    }
}
