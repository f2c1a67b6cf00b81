package io.fleetward.drift;

import java.util.List;

/**
 * Port: compiles path patterns with git's own {@code .gitignore} semantics (the syntax users already
 * know from their repository): a pattern without a {@code /} (other than a trailing one) matches a
 * name at any depth ({@code *.md}, {@code bun.lock}); with one it is anchored at the repository root
 * ({@code docs/**}, {@code modules/*.nix}); {@code *}, {@code ?} and {@code [...]} stay within one
 * segment, {@code **} spans segments; a matching folder matches everything under it; and in a list the
 * last pattern that matches decides, so {@code !pattern} takes a path back out.
 *
 * <p>drift/ is pure and never imports JGit; the implementation (JGit's own gitignore matcher) lives in
 * {@code source/}.
 */
public interface PathPatterns {

    /**
     * An ordered list of patterns, as the lines of one {@code .gitignore} file (blank lines and
     * {@code #} comments match nothing). Immutable and thread-safe.
     */
    PathSet compile(List<String> patterns);

    /** Compiled patterns. */
    @FunctionalInterface
    interface PathSet {
        /** Whether {@code path} (a file's repository path, {@code /}-separated) is matched, as git would ignore it. */
        boolean matches(String path);
    }
}
