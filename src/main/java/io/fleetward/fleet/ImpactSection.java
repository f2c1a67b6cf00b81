package io.fleetward.fleet;

import java.util.List;

/**
 * The repository's own impact rules, the {@code impact:} section of {@code fleetward.yaml}: added to
 * the daemon's rules (they never remove one). Globs are validated when the overlay is read.
 *
 * @param ignore    paths that affect no target
 * @param hostPaths globs holding {@code {host}} once: a match affects only {@code system:<host>}
 * @param userPaths globs holding {@code {user}} once: a match affects only the targets deploying that user
 */
public record ImpactSection(List<String> ignore, List<String> hostPaths, List<String> userPaths) {
    /** No {@code impact:} section. */
    public static final ImpactSection NONE = new ImpactSection(List.of(), List.of(), List.of());

    public ImpactSection {
        ignore = List.copyOf(ignore);
        hostPaths = List.copyOf(hostPaths);
        userPaths = List.copyOf(userPaths);
    }

    /**
     * Why {@code glob} is no valid repository path glob, or null when it is one. A glob is relative
     * ({@code /}-separated, no leading {@code /}, no empty, {@code .} or {@code ..} segment), printable
     * without spaces or backslashes, and holds {@code {placeholder}} exactly once (or no brace at all
     * when {@code placeholder} is null).
     */
    static String rejection(String glob, String placeholder) {
        if (glob.isEmpty()) {
            return "empty glob";
        }
        if (!glob.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\')) {
            return "a glob is printable ASCII without spaces or backslashes";
        }
        for (String segment : glob.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "a glob is a relative path without empty, '.' or '..' segments";
            }
        }
        String rest = glob;
        if (placeholder != null) {
            String token = "{" + placeholder + "}";
            int at = glob.indexOf(token);
            if (at < 0 || glob.indexOf(token, at + 1) >= 0) {
                return "expected " + token + " exactly once";
            }
            rest = glob.substring(0, at) + glob.substring(at + token.length());
            int start = glob.lastIndexOf('/', at) + 1;
            int end = glob.indexOf('/', at);
            String segment = glob.substring(start, end < 0 ? glob.length() : end);
            if (segment.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '!')) {
                return "the segment holding " + token + " may hold no wildcard";
            }
        }
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
            return placeholder == null ? "no placeholder is allowed here"
                    : "no placeholder but {" + placeholder + "} is allowed here";
        }
        return null;
    }
}
