package io.fleetward.drift;

import java.util.regex.Pattern;

/**
 * A glob over repository paths ({@code /}-separated, relative to the repository root): {@code **}
 * matches any number of whole segments, {@code *} and {@code ?} match within one segment; every
 * other character is literal. Compiled once, immutable and thread-safe.
 */
public final class PathGlob {
    private final String glob;
    private final Pattern pattern;

    private PathGlob(String glob, Pattern pattern) {
        this.glob = glob;
        this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException when {@code glob} is null or blank
     */
    public static PathGlob compile(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("a path glob must not be empty");
        }
        return new PathGlob(glob, Pattern.compile(toRegex(glob)));
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    @Override
    public String toString() {
        return glob;
    }

    /** The regular expression {@code glob} stands for (also used for the parts around a placeholder). */
    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                i++;
                continue;
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            boolean doubleStar = c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*';
            if (doubleStar) {
                boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
                boolean slashFollows = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                if (atSegmentStart && slashFollows) {
                    // "**/" may also match no folder at all: "**/*.md" matches "README.md".
                    regex.append("(?:[^/]*/)*");
                    i += 3;
                } else {
                    regex.append(".*");
                    i += 2;
                }
            } else {
                regex.append(c == '*' ? "[^/]*" : "[^/]");
                i++;
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }
}
