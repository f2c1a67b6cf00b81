package io.fleetward.fleet;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A full git commit id as git prints it: 40 lower-case hex digits (SHA-1), or 64 (SHA-256
 * repositories). This is the one parser of commit ids; abbreviations, {@code "dirty"} and
 * {@code "<id>-dirty"} are not commit ids.
 *
 * @param hex the id, lower-case
 */
public record CommitId(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    /** As many characters as git shows in a short id by default. */
    private static final int ABBREVIATED_LENGTH = 7;

    public CommitId {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a commit id " + Names.printable(hex)
                    + ": expected 40 or 64 lower-case hex digits");
        }
    }

    /** {@code text} as a commit id, upper case accepted and normalised; empty when it is none. */
    public static Optional<CommitId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return HEX.matcher(lower).matches() ? Optional.of(new CommitId(lower)) : Optional.empty();
    }

    /**
     * {@code text} as a commit id, upper case accepted and normalised.
     *
     * @throws IllegalArgumentException when it is none; the message shows the text escaped
     */
    public static CommitId of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a commit id " + Names.printable(text)
                + ": expected 40 or 64 hex digits"));
    }

    /** The short form git shows, e.g. {@code 3f2a1c0}. */
    public String abbreviated() {
        return hex.substring(0, ABBREVIATED_LENGTH);
    }

    /** Whether this is a SHA-1 id (40 digits), the only kind JGit, and so fleetward's source, produces. */
    public boolean isSha1() {
        return hex.length() == 40;
    }

    /**
     * A revision for a log line or a reason: its short form; {@code (none)} for null; anything that is
     * not a commit id is shown escaped, so it never passes for one.
     */
    public static String abbreviate(String revisionOrNull) {
        if (revisionOrNull == null) {
            return "(none)";
        }
        return parse(revisionOrNull).map(CommitId::abbreviated).orElseGet(() -> Names.printable(revisionOrNull));
    }

    @Override
    public String toString() {
        return hex;
    }
}
