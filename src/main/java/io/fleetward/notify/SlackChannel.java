package io.fleetward.notify;

import io.fleetward.reconcile.FleetEvent;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Slack's incoming-webhook JSON, {@code {"text": "..."}}, which Mattermost's incoming webhooks and
 * Discord's {@code /slack} webhook endpoint accept too. The webhook URL is the secret: it is never
 * logged.
 */
final class SlackChannel implements Channel {
    private final URI url;

    SlackChannel(URI url) {
        this.url = url;
    }

    @Override
    public Optional<HttpCall> call(FleetEvent event) {
        String text = "*fleetward* " + escape(EventText.line(event));
        return Optional.of(new HttpCall(url, Map.of("Content-Type", "application/json"),
                EventText.write(Map.of("text", text))));
    }

    /** Slack's control characters in message text: {@code &}, {@code <} and {@code >}. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
