package io.fleetward.drift;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link PathGlob} with one name placeholder ({@code {host}} or {@code {user}}) standing for part of
 * one path segment, e.g. {@code vars/per-machine/{host}/**} or {@code sops/secrets/{host}-age.key/**}:
 * it tells whose a path is. Immutable and thread-safe.
 */
public final class PlaceholderGlob {
    private final String glob;
    private final Pattern pattern;

    private PlaceholderGlob(String glob, Pattern pattern) {
        this.glob = glob;
        this.pattern = pattern;
    }

    /**
     * @param placeholder the placeholder's name without braces ({@code host} or {@code user})
     * @throws IllegalArgumentException unless {@code glob} holds {@code {placeholder}} exactly once and
     *                                  no other {@code {...}}
     */
    public static PlaceholderGlob compile(String glob, String placeholder) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("a path glob must not be empty");
        }
        String token = "{" + placeholder + "}";
        int at = glob.indexOf(token);
        if (at < 0 || glob.indexOf(token, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + glob + "' must hold " + token + " exactly once");
        }
        String before = glob.substring(0, at);
        String after = glob.substring(at + token.length());
        if (before.indexOf('{') >= 0 || after.indexOf('{') >= 0 || before.indexOf('}') >= 0 || after.indexOf('}') >= 0) {
            throw new IllegalArgumentException("'" + glob + "' may hold no placeholder but " + token);
        }
        String regex = PathGlob.toRegex(before) + "([^/]+?)" + PathGlob.toRegex(after);
        return new PlaceholderGlob(glob, Pattern.compile(regex));
    }

    /** The name the placeholder stands for in {@code path}; null when the path does not match. */
    public String nameIn(String path) {
        Matcher matcher = pattern.matcher(path);
        return matcher.matches() ? matcher.group(1) : null;
    }

    @Override
    public String toString() {
        return glob;
    }
}
