package io.fleetward.fleet;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path a machine reports or an evaluation prints: a system, booted or home-manager generation
 * path, in practice {@code /nix/store/<hash>-<name>}. Only the shape is checked (absolute,
 * printable ASCII, no whitespace, at most 1024 characters): a path outside {@code /nix/store} is
 * allowed (simulated machines), anything else is not a path fleetward trusts.
 *
 * @param path the path, as reported
 */
public record StorePath(String path) {
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]{1,1023}");
    /** The characters Nix allows in a store path name; a name made of them is shown as is. */
    private static final Pattern NIX_NAME = Pattern.compile("[A-Za-z0-9+._?=-]+");

    public StorePath {
        if (!isValid(path)) {
            throw new IllegalArgumentException("not a store path " + Names.printable(path)
                    + ": expected an absolute path of printable characters without whitespace");
        }
    }

    /** {@code text} as a store path; empty when it is none. */
    public static Optional<StorePath> parse(String text) {
        return isValid(text) ? Optional.of(new StorePath(text)) : Optional.empty();
    }

    /** Whether {@code text} is a store path: absolute, printable, no whitespace, at most 1024 characters. */
    public static boolean isValid(String text) {
        return text != null && PATH.matcher(text).matches();
    }

    /**
     * The last segment, enough to tell generations apart in a reason: {@code /nix/store/abc-nixos-system-web1/}
     * gives {@code abc-nixos-system-web1}. A name with characters Nix would not put in one is shown
     * quoted and escaped, as is a path with no name at all ({@code //}).
     */
    public String name() {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        String name = path.substring(path.lastIndexOf('/', end - 1) + 1, end);
        if (name.isEmpty()) {
            return Names.printable(path);
        }
        return NIX_NAME.matcher(name).matches() ? name : Names.printable(name);
    }

    /**
     * The {@linkplain #name() name} of a path for a log line or a reason; {@code (none)} for null; text
     * that is not a store path at all is shown whole, quoted and escaped.
     */
    public static String nameOf(String pathOrNull) {
        if (pathOrNull == null) {
            return "(none)";
        }
        return parse(pathOrNull).map(StorePath::name).orElseGet(() -> Names.printable(pathOrNull));
    }

    @Override
    public String toString() {
        return path;
    }
}
