package io.fleetward.drift;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A path pattern ({@link PathPatterns}, git's gitignore semantics) with one name placeholder
 * ({@code {host}} or {@code {user}}) standing for part of one path segment, e.g.
 * {@code vars/per-machine/{host}/**} or {@code sops/secrets/{host}-age.key/**}: it tells whose a path
 * is. The rest of the placeholder's segment is literal text. Immutable and thread-safe.
 */
public final class PlaceholderGlob {
    /** What a name may be (host and user names are narrower): no wildcard, bracket or separator. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** Names tried per glob; more are compiled again each time (names are host and user names: few). */
    private static final int CACHED_NAMES = 4096;

    private final String glob;
    private final String token;
    private final String before;
    private final String after;
    private final PathPatterns patterns;
    private final PathPatterns.PathSet shape;
    private final Map<String, PathPatterns.PathSet> byName = new ConcurrentHashMap<>();

    private PlaceholderGlob(String glob, String token, String before, String after, PathPatterns patterns) {
        this.glob = glob;
        this.token = token;
        this.before = before;
        this.after = after;
        this.patterns = patterns;
        this.shape = patterns.compile(List.of(glob.replace(token, "*")));
    }

    /**
     * @param placeholder the placeholder's name without braces ({@code host} or {@code user})
     * @throws IllegalArgumentException unless {@code glob} holds {@code {placeholder}} exactly once, no
     *                                  other {@code {...}}, and no wildcard in the placeholder's segment
     */
    public static PlaceholderGlob compile(String glob, String placeholder, PathPatterns patterns) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("a path glob must not be empty");
        }
        String token = "{" + placeholder + "}";
        int at = glob.indexOf(token);
        if (at < 0 || glob.indexOf(token, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + glob + "' must hold " + token + " exactly once");
        }
        String rest = glob.substring(0, at) + glob.substring(at + token.length());
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            throw new IllegalArgumentException("'" + glob + "' may hold no placeholder but " + token);
        }
        int start = glob.lastIndexOf('/', at) + 1;
        int end = glob.indexOf('/', at);
        String before = glob.substring(start, at);
        String after = glob.substring(at + token.length(), end < 0 ? glob.length() : end);
        if (hasWildcard(before) || hasWildcard(after)) {
            throw new IllegalArgumentException("'" + glob + "': the segment holding " + token
                    + " may hold no wildcard");
        }
        return new PlaceholderGlob(glob, token, before, after, patterns);
    }

    private static boolean hasWildcard(String text) {
        return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '\\' || c == '!');
    }

    /** The name the placeholder stands for in {@code path}; null when the path does not match. */
    public String nameIn(String path) {
        if (!shape.matches(path)) {
            return null;
        }
        // Each segment that has the placeholder's literal text around a name is a candidate; the first
        // whose name, put in the glob, matches the path is the one.
        for (String segment : path.split("/")) {
            if (segment.length() <= before.length() + after.length() || !segment.startsWith(before)
                    || !segment.endsWith(after)) {
                continue;
            }
            String name = segment.substring(before.length(), segment.length() - after.length());
            if (NAME.matcher(name).matches() && withName(name).matches(path)) {
                return name;
            }
        }
        return null;
    }

    private PathPatterns.PathSet withName(String name) {
        PathPatterns.PathSet known = byName.get(name);
        if (known != null) {
            return known;
        }
        PathPatterns.PathSet compiled = patterns.compile(List.of(glob.replace(token, name)));
        if (byName.size() < CACHED_NAMES) {
            byName.put(name, compiled);
        }
        return compiled;
    }

    @Override
    public String toString() {
        return glob;
    }
}
