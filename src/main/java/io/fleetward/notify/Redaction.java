package io.fleetward.notify;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a notifier's secrets out of what is logged: its secret (token, HMAC key) and its URL, whose
 * path and query may be one (a Slack webhook URL is its own credential; a user may put a token in a
 * query). A URL is shown as its scheme, host and port alone.
 */
final class Redaction {
    static final String HIDDEN = "***";

    private final List<String> secrets;
    private final String shownUrl;

    Redaction(URI url, Optional<String> secret) {
        List<String> hidden = new ArrayList<>();
        secret.filter(s -> !s.isEmpty()).ifPresent(hidden::add);
        hidden.add(url.toString());
        addIfLong(hidden, url.getRawUserInfo());
        addIfLong(hidden, url.getRawPath());
        addIfLong(hidden, url.getRawQuery());
        addIfLong(hidden, url.getPath());
        addIfLong(hidden, url.getQuery());
        hidden.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(hidden);
        this.shownUrl = shown(url);
    }

    /** {@code https://hooks.slack.com}: what of a URL may be logged. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /** The notifier's URL as it may be logged. */
    String url() {
        return shownUrl;
    }

    /** {@code text} with every secret replaced by {@value #HIDDEN}. */
    String apply(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, HIDDEN);
        }
        return result;
    }

    private static void addIfLong(List<String> hidden, String part) {
        // A bare "/" or a one-letter path hides nothing worth hiding and would garble every message.
        if (part != null && part.length() > 1) {
            hidden.add(part);
        }
    }
}
