package io.fleetward.webhook;

import io.fleetward.Secrets;
import io.fleetward.config.WebhookConfig;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.source.GitSource;
import io.fleetward.store.Database;
import io.fleetward.store.WebhookDeliveryStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the webhook receivers from {@code fleetward.webhook.*}. Every check fails start-up with the
 * offending key's name; secrets never appear in a message.
 */
public class WebhookWiring {

    private static final Logger LOG = Logger.getLogger(WebhookWiring.class);

    /** Ends the coalesce windows: one daemon thread (a test profile may select one on virtual time). */
    @Produces
    @Singleton
    PushTrigger.Scheduler webhookWindows() {
        return PushTrigger.Scheduler.daemonThread("fleetward-webhook-window");
    }

    @Produces
    @Singleton
    Webhooks webhooks(WebhookConfig webhook, ReconcileLoop loop, GitSource source, Database database,
                      WebhookMetrics metrics, Clock clock, PushTrigger.Scheduler windows) {
        if (webhook.maxBody() < 1 || webhook.maxBody() > WebhookSettings.MAX_BODY_LIMIT) {
            throw new IllegalArgumentException("fleetward.webhook.max-body: must be from 1 to "
                    + WebhookSettings.MAX_BODY_LIMIT + " bytes, got " + webhook.maxBody());
        }
        if (webhook.coalesceWindow().isNegative()) {
            throw new IllegalArgumentException("fleetward.webhook.coalesce-window: must not be negative");
        }
        if (webhook.deliveryRetention().isNegative() || webhook.deliveryRetention().isZero()) {
            throw new IllegalArgumentException("fleetward.webhook.delivery-retention: must be positive");
        }
        Map<Provider, String> secrets = new EnumMap<>(Provider.class);
        for (Provider provider : Provider.values()) {
            secret(provider, settingsOf(webhook, provider)).ifPresent(secret -> secrets.put(provider, secret));
        }
        TrackedRepository repository = trackedRepository(webhook.repository(), source.displayUrl(), !secrets.isEmpty());
        WebhookSettings settings = new WebhookSettings(webhook.maxBody(), source.branch(), secrets);
        PushTrigger trigger = new PushTrigger(webhook.coalesceWindow(), windows, name -> loop.request(name, true));
        Deliveries deliveries = new StoredDeliveries(new WebhookDeliveryStore(database), webhook.deliveryRetention(),
                clock);
        LOG.infof("webhooks: %s; pushes to branch '%s' of %s trigger a fetch (coalesce window %d ms)",
                secrets.isEmpty() ? "every provider disabled" : "enabled " + secrets.keySet().stream()
                        .map(Provider::id).toList(), source.branch(), repository, webhook.coalesceWindow().toMillis());
        return new Webhooks(settings, repository, deliveries, trigger, source::revision, metrics);
    }

    /** Creates the receivers at start-up, so a bad setting stops fleetward before it serves anything. */
    void validateAtStartup(@Observes StartupEvent event, Webhooks webhooks) {
        LOG.debug("webhooks ready");
    }

    void close(@Disposes Webhooks webhooks) {
        webhooks.close();
    }

    private static TrackedRepository trackedRepository(Optional<String> configured, String sourceUrl, boolean needed) {
        try {
            return TrackedRepository.of(configured, sourceUrl);
        } catch (IllegalArgumentException e) {
            if (needed || configured.isPresent()) {
                throw e;
            }
            return TrackedRepository.unresolved();
        }
    }

    private static WebhookConfig.ProviderSecret settingsOf(WebhookConfig webhook, Provider provider) {
        return switch (provider) {
            case GITHUB -> webhook.github();
            case GITEA -> webhook.gitea();
            case GITLAB -> webhook.gitlab();
            case GENERIC -> webhook.generic();
        };
    }

    /** The secret file's first line wins over the secret; neither means the provider is disabled. */
    static Optional<String> secret(Provider provider, WebhookConfig.ProviderSecret settings) {
        String key = "fleetward.webhook." + provider.id() + ".secret-file";
        if (settings.secretFile().isPresent()) {
            Path file = settings.secretFile().get();
            String first = Secrets.firstLine(key, file);
            if (first.isEmpty()) {
                throw new IllegalArgumentException(key + ": the first line of " + file + " is empty");
            }
            return Optional.of(first);
        }
        return settings.secret().map(String::strip).filter(secret -> !secret.isEmpty());
    }
}
