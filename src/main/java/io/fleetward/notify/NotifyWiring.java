package io.fleetward.notify;

import io.fleetward.Secrets;
import io.fleetward.config.NotifyConfig;
import io.fleetward.config.NotifyConfig.Forge;
import io.fleetward.config.NotifyConfig.Type;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Builds the notifiers from {@code fleetward.notify.*}. Every check fails start-up naming the
 * offending key; no message holds a secret or a URL's path (a Slack webhook URL is a secret).
 */
public class NotifyWiring {
    private static final Logger LOG = Logger.getLogger(NotifyWiring.class);
    /** A notifier's name: a metric label and part of a thread name. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    @Produces
    @Singleton
    NotificationOutbox notifications(NotifyConfig config, NotifyMetrics metrics) {
        DeliverySettings settings = settings(config);
        List<Notifier> notifiers = notifiers(config);
        if (notifiers.isEmpty()) {
            LOG.info("notifications: none configured (fleetward.notify.<name>.type)");
        } else {
            for (Notifier n : notifiers) {
                LOG.infof("notifications: %s sends %s to %s (%s)", n.name(), n.type().name().toLowerCase(Locale.ROOT)
                        .replace('_', '-'), n.redaction().url(), n.filter().kinds().stream()
                        .map(k -> k.id()).sorted().toList());
            }
        }
        return new NotificationOutbox(notifiers, settings, metrics);
    }

    void close(@Disposes NotificationOutbox outbox) {
        outbox.close();
    }

    /** The delivery settings, checked. */
    static DeliverySettings settings(NotifyConfig config) {
        atLeastOne("fleetward.notify.queue-size", config.queueSize());
        atLeastOne("fleetward.notify.max-attempts", config.maxAttempts());
        positive("fleetward.notify.timeout", config.timeout());
        notNegative("fleetward.notify.retry-delay", config.retryDelay());
        notNegative("fleetward.notify.shutdown-grace", config.shutdownGrace());
        return new DeliverySettings(config.queueSize(), config.timeout(), config.maxAttempts(), config.retryDelay(),
                config.shutdownGrace());
    }

    /** Every configured notifier, by name, checked. */
    static List<Notifier> notifiers(NotifyConfig config) {
        List<Notifier> notifiers = new ArrayList<>();
        for (Map.Entry<String, NotifyConfig.Notifier> entry : new TreeMap<>(config.notifiers()).entrySet()) {
            notifiers.add(notifier(entry.getKey(), entry.getValue()));
        }
        return notifiers;
    }

    private static Notifier notifier(String name, NotifyConfig.Notifier config) {
        String key = "fleetward.notify." + name;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(key + ": a notifier's name is 1 to 63 of a-z, 0-9, '-' and '_', "
                    + "starting with a letter or digit");
        }
        Type type = config.type();
        Optional<String> secret = secret(key, config);
        if (type != Type.COMMIT_STATUS) {
            config.forge().ifPresent(f -> notFor(key + ".forge", type));
            config.repository().ifPresent(r -> notFor(key + ".repository", type));
        }
        if (type == Type.SLACK && secret.isPresent()) {
            throw new IllegalArgumentException(key + ".secret: a slack notifier takes none: its webhook URL is "
                    + "the secret");
        }
        URI url;
        Channel channel;
        switch (type) {
            case WEBHOOK -> {
                url = url(key + ".url", config.url());
                channel = new WebhookChannel(url, secret);
            }
            case NTFY -> {
                url = url(key + ".url", config.url());
                channel = new NtfyChannel(url, secret);
            }
            case SLACK -> {
                url = url(key + ".url", config.url());
                channel = new SlackChannel(url);
            }
            case COMMIT_STATUS -> {
                Forge forge = config.forge().orElseThrow(() -> new IllegalArgumentException(key
                        + ".forge: required for a commit-status notifier (github, gitea or gitlab)"));
                String repository = config.repository().orElseThrow(() -> new IllegalArgumentException(key
                        + ".repository: required for a commit-status notifier (owner/name)"));
                try {
                    CommitStatusChannel.checkedRepository(forge, repository);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ".repository: " + e.getMessage());
                }
                url = config.url().isPresent() ? url(key + ".url", config.url())
                        : CommitStatusChannel.defaultBase(forge).orElseThrow(() -> new IllegalArgumentException(
                        key + ".url: required for forge " + forge.name().toLowerCase(Locale.ROOT)
                                + " (its base URL, e.g. https://codeberg.org)"));
                String token = secret.orElseThrow(() -> new IllegalArgumentException(key
                        + ".secret-file: required for a commit-status notifier (the forge's API token)"));
                channel = new CommitStatusChannel(forge, url, repository, token);
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
        if (config.events().isEmpty()) {
            throw new IllegalArgumentException(key + ".events: names no event");
        }
        EventFilter filter = new EventFilter(EnumSet.copyOf(config.events()),
                names(key + ".hosts", config.hosts()), names(key + ".tags", config.tags()));
        return new Notifier(name, type, filter, channel, new Redaction(url, secret));
    }

    private static Set<String> names(String key, Optional<List<String>> values) {
        List<String> list = values.orElse(List.of());
        for (String value : list) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(key + ": holds an empty name");
            }
        }
        return Set.copyOf(list.stream().map(String::strip).toList());
    }

    /** The secret file's first line wins over the secret; an empty one is refused. */
    private static Optional<String> secret(String key, NotifyConfig.Notifier config) {
        if (config.secretFile().isPresent()) {
            Path file = config.secretFile().get();
            String first = Secrets.firstLine(key + ".secret-file", file);
            if (first.isEmpty()) {
                throw new IllegalArgumentException(key + ".secret-file: the first line of " + file + " is empty");
            }
            return Optional.of(first);
        }
        if (config.secret().isPresent() && config.secret().get().isBlank()) {
            throw new IllegalArgumentException(key + ".secret: is empty");
        }
        return config.secret();
    }

    /** An absolute http(s) URL with a host; the message never repeats it (it may be a secret). */
    private static URI url(String key, Optional<String> value) {
        String text = value.orElseThrow(() -> new IllegalArgumentException(key + ": required"));
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + ": not a valid URL (at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(key + ": must be an absolute http:// or https:// URL with a host");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(key + ": must not have a #fragment");
        }
        return uri;
    }

    private static void notFor(String key, Type type) {
        throw new IllegalArgumentException(key + ": only for commit-status notifiers, not "
                + type.name().toLowerCase(Locale.ROOT));
    }

    private static void atLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + ": must be at least 1, got " + value);
        }
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": must be positive, got " + value);
        }
    }

    private static void notNegative(String key, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(key + ": must not be negative, got " + value);
        }
    }
}
