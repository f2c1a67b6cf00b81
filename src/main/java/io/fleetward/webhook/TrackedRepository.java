package io.fleetward.webhook;

import io.fleetward.fleet.Names;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The repository whose pushes fleetward acts on, as its path on the forge ({@code owner/name}, or
 * {@code group/subgroup/name} on GitLab), compared case-insensitively. Names and clone URLs in any
 * of the usual forms reduce to that path: {@code https://host/owner/name(.git)},
 * {@code ssh://git@host[:port]/owner/name.git} and {@code git@host:owner/name.git}.
 */
public final class TrackedRepository {

    /** One path segment as forges allow it; never {@code .} or {@code ..}. */
    private static final Pattern SEGMENT = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9_.][A-Za-z0-9_.-]*");
    /** {@code scheme://[userinfo@]host[:port]/path}. */
    private static final Pattern SCHEME_URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/]*(/.*)?$");
    /** scp-like {@code [user@]host:path}: a colon before any slash. */
    private static final Pattern SCP_URL = Pattern.compile("^(?:[^@/:]+@)?[^/:]+:(.*)$");

    private final String path;

    private TrackedRepository(String path) {
        this.path = path;
    }

    /**
     * The configured repository, or else the one the source URL names.
     *
     * @throws IllegalArgumentException naming {@code fleetward.webhook.repository} when the configured value
     *     is not {@code owner/name}, or when it is unset and the source URL has no such path
     */
    public static TrackedRepository of(Optional<String> configured, String sourceUrl) {
        if (configured.isPresent()) {
            String value = configured.get().strip();
            List<String> segments = Arrays.asList(value.split("/", -1));
            if (segments.size() < 2 || !segments.stream().allMatch(s -> SEGMENT.matcher(s).matches())) {
                throw new IllegalArgumentException("fleetward.webhook.repository: expected owner/name, got "
                        + Names.printable(value));
            }
            return new TrackedRepository(value.toLowerCase(Locale.ROOT));
        }
        return pathOf(sourceUrl).map(TrackedRepository::new).orElseThrow(() -> new IllegalArgumentException(
                "fleetward.webhook.repository: not set, and the source URL names no owner/name path; set it"));
    }

    /**
     * A repository that matches no push: for an instance without an enabled provider whose source URL
     * names no {@code owner/name}, where nothing depends on it.
     */
    static TrackedRepository unresolved() {
        return new TrackedRepository("");
    }

    /** The forge path a name or URL refers to, lower-case, without {@code .git}; empty if it has none. */
    static Optional<String> pathOf(String nameOrUrl) {
        String text = nameOrUrl.strip();
        var scheme = SCHEME_URL.matcher(text);
        var scp = SCP_URL.matcher(text);
        String path;
        if (scheme.matches()) {
            path = scheme.group(1) == null ? "" : scheme.group(1);
        } else if (!text.startsWith("/") && scp.matches()) {
            path = scp.group(1);
        } else {
            path = text;
        }
        int query = indexOfAny(path, '?', '#');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        path = trimSlashes(path);
        if (path.toLowerCase(Locale.ROOT).endsWith(".git")) {
            path = trimSlashes(path.substring(0, path.length() - 4));
        }
        List<String> segments = Arrays.asList(path.split("/", -1));
        if (segments.size() < 2 || !segments.stream().allMatch(s -> SEGMENT.matcher(s).matches())) {
            return Optional.empty();
        }
        return Optional.of(path.toLowerCase(Locale.ROOT));
    }

    /** Whether any of a payload's names or URLs for its repository is this repository. */
    public boolean matches(List<String> namesOrUrls) {
        return namesOrUrls.stream().map(TrackedRepository::pathOf).flatMap(Optional::stream).anyMatch(path::equals);
    }

    /** {@code owner/name}, lower-case. */
    @Override
    public String toString() {
        return path.isEmpty() ? "(no repository)" : path;
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    private static int indexOfAny(String text, char a, char b) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == a || text.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
