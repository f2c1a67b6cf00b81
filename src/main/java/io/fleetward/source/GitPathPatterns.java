package io.fleetward.source;

import io.fleetward.drift.PathPatterns;
import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;

/**
 * {@link PathPatterns} by JGit's own gitignore matcher ({@link FastIgnoreRule}), the one JGit uses for
 * {@code .gitignore} files: the same rules git applies, without a copy of them in fleetward.
 */
public final class GitPathPatterns implements PathPatterns {

    /** Stateless: one is enough. */
    public static final GitPathPatterns INSTANCE = new GitPathPatterns();

    private GitPathPatterns() {
    }

    @Override
    public PathSet compile(List<String> patterns) {
        List<FastIgnoreRule> rules = patterns.stream().map(FastIgnoreRule::new)
                .filter(rule -> !rule.isEmpty()).toList();
        if (rules.isEmpty()) {
            return path -> false;
        }
        return path -> {
            // As in one .gitignore: the last rule that matches decides; a negated one takes the path back.
            for (int i = rules.size() - 1; i >= 0; i--) {
                FastIgnoreRule rule = rules.get(i);
                // pathMatch false: a rule matching a folder of the path matches the path, as git
                // ignores everything in an ignored folder.
                if (rule.isMatch(path, false, false)) {
                    return rule.getResult();
                }
            }
            return false;
        };
    }
}
