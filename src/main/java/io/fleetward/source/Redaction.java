package io.fleetward.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from URLs and from error text. JGit's messages quote the remote URL (without
 * its password, but with its user, which may itself be a token), so every message that leaves the
 * source goes through {@link #scrub(String)}.
 */
final class Redaction {
    /** {@code scheme://userinfo@rest}; userinfo may itself contain '@', so match up to the last one before the path. */
    private static final Pattern SCHEME_USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@");
    /** scp-like {@code user@host:path}. */
    private static final Pattern SCP_USER = Pattern.compile("^([^/@:]+)@(?=[^/:]+:)");
    private static final String MASK = "***";

    private final String url;
    private final String displayUrl;
    private final List<String> userInfoForms;
    private final List<String> secrets;

    Redaction(String url, Optional<String> token) {
        this.url = url;
        this.displayUrl = displayUrl(url);
        this.userInfoForms = new ArrayList<>();
        this.secrets = new ArrayList<>();
        token.filter(t -> !t.isEmpty()).ifPresent(secrets::add);
        userInfo(url).ifPresent(info -> {
            int colon = info.indexOf(':');
            String user = colon < 0 ? info : info.substring(0, colon);
            if (!user.isEmpty()) {
                userInfoForms.add(info + "@");
                userInfoForms.add(user + "@");
            }
            if (colon >= 0 && colon + 1 < info.length()) {
                secrets.add(info.substring(colon + 1));
            }
        });
    }

    /** The URL without any user-info: safe for logs and the API. */
    static String displayUrl(String url) {
        Matcher scheme = SCHEME_USER_INFO.matcher(url);
        if (scheme.find()) {
            return scheme.replaceFirst("$1");
        }
        return SCP_USER.matcher(url).replaceFirst("");
    }

    String displayUrl() {
        return displayUrl;
    }

    /** {@code text} with the raw URL shown as {@link #displayUrl()} and every credential masked. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        String out = text.replace(url, displayUrl);
        for (String form : userInfoForms) {
            out = out.replace(form, "");
        }
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    private static Optional<String> userInfo(String url) {
        Matcher scheme = SCHEME_USER_INFO.matcher(url);
        if (scheme.find()) {
            return Optional.of(scheme.group(2));
        }
        Matcher scp = SCP_USER.matcher(url);
        return scp.find() ? Optional.of(scp.group(1)) : Optional.empty();
    }
}
