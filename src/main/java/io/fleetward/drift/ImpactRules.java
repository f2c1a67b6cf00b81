package io.fleetward.drift;

import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which targets a change can affect, by path (clan-core layout):
 * <ul>
 * <li>{@code system:<host>}: its host folder {@code modules/machines/<platform>/<host>/**}, the folders of
 * the users it embeds (every user folder when they were not declared), and every path outside
 * {@code modules/machines/**} and {@code modules/home/users/<user>/**}, except that
 * {@code modules/darwin/**} only affects darwin hosts and {@code modules/nixos/**} only NixOS hosts;</li>
 * <li>{@code home:<user>@<host>}: {@code modules/home/users/<user>/**} and every path outside
 * {@code modules/machines/**}, {@code modules/home/users/<user>/**}, {@code modules/darwin/**} and
 * {@code modules/nixos/**}.</li>
 * </ul>
 * clan-core's per-machine and per-user secrets and vars are owned too: {@link #CLAN_HOST_PATHS} affect
 * only {@code system:<host>}; {@link #CLAN_USER_PATHS} affect only the targets that deploy that user
 * (like its user folder: its home targets and the systems that embed it, or declare no users);
 * {@link #CLAN_SYSTEM_PATHS} affect every system target and no home target. Further host and user
 * paths may be given (the repository's {@code impact:} section); a path is classified by the first
 * class that claims it: ignored, host path, user path, systems-only, then the folder rules.
 * Files directly in {@code modules/home/users/} are shared, not users. Files above the host folders
 * ({@code modules/machines/x.nix}, {@code modules/machines/nixos/x.nix}) belong to no host, so they
 * affect every system target (of that platform): when in doubt, redeploy. Ignored paths affect nothing.
 *
 * <p>Thread-safe. A changed-path set is classified once and the result kept per set instance (the
 * source hands out the same instance for the same revision pair), which makes each target's answer
 * a handful of map look-ups. Sets passed in must therefore not be modified afterwards.
 */
public final class ImpactRules {
    /** Change sets in use at once: one per deployed revision seen in a pass, so a few; more are re-classified. */
    private static final int CACHED_SETS = 64;

    /** Paths that belong to one machine: clan vars and sops secrets. */
    public static final List<String> CLAN_HOST_PATHS = List.of(
            "vars/per-machine/{host}/**", "sops/machines/{host}/**", "sops/secrets/{host}-age.key/**");
    /** Paths that belong to one user: home-manager secrets and the user's sops key. */
    public static final List<String> CLAN_USER_PATHS = List.of(
            "secrets/home-manager/users/{user}/**", "sops/users/{user}/**");
    /** Paths every system (and no home configuration) reads: clan's shared vars. */
    public static final List<String> CLAN_SYSTEM_PATHS = List.of("vars/shared/**");

    private final PathPatterns patterns;
    private final List<String> ignoreGlobs;
    private final PathPatterns.PathSet ignore;
    private final List<PlaceholderGlob> hostPaths;
    private final List<PlaceholderGlob> userPaths;
    private final List<String> systemGlobs;
    private final PathPatterns.PathSet systemPaths;
    private final Map<IdentityKey, ChangeIndex> indexes = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<IdentityKey, ChangeIndex> eldest) {
                    return size() > CACHED_SETS;
                }
            });
    /** The most recent set, answered without taking the lock: a pass asks about one set for many targets. */
    private volatile Indexed last;

    /** Map key that compares sets by identity: equal contents from another pair must not cost a hash of every path. */
    private record IdentityKey(Set<String> paths) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey key && key.paths == paths;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(paths);
        }
    }

    private record Indexed(Set<String> paths, ChangeIndex index) {
    }

    /**
     * The default rules, clan-aware.
     *
     * @param patterns    how globs match (git's gitignore semantics)
     * @param ignoreGlobs paths these match (as one .gitignore would) never affect a target (blank entries are skipped)
     */
    public ImpactRules(PathPatterns patterns, List<String> ignoreGlobs) {
        this(patterns, ignoreGlobs, CLAN_HOST_PATHS, CLAN_USER_PATHS, CLAN_SYSTEM_PATHS);
    }

    /**
     * Explicit rules (blank entries are skipped). Every glob follows git's gitignore semantics
     * ({@link PathPatterns}); each list is read as one .gitignore file (the last match decides).
     *
     * @param patterns    how globs match
     * @param ignoreGlobs paths that never affect a target
     * @param hostPaths   globs with one {@code {host}}: a match affects only {@code system:<host>}
     * @param userPaths   globs with one {@code {user}}: a match affects only the targets deploying that user
     * @param systemPaths globs: a match affects every system target and no home target
     * @throws IllegalArgumentException for a host or user glob without its placeholder
     */
    public ImpactRules(PathPatterns patterns, List<String> ignoreGlobs, List<String> hostPaths,
                       List<String> userPaths, List<String> systemPaths) {
        this.patterns = java.util.Objects.requireNonNull(patterns, "patterns");
        this.ignoreGlobs = nonBlank(ignoreGlobs).toList();
        this.ignore = patterns.compile(this.ignoreGlobs);
        this.hostPaths = nonBlank(hostPaths).map(glob -> PlaceholderGlob.compile(glob, "host", patterns)).toList();
        this.userPaths = nonBlank(userPaths).map(glob -> PlaceholderGlob.compile(glob, "user", patterns)).toList();
        this.systemGlobs = nonBlank(systemPaths).toList();
        this.systemPaths = patterns.compile(this.systemGlobs);
    }

    /** These rules with more ignores, host paths and user paths (e.g. from the repository's own section). */
    public ImpactRules plus(List<String> moreIgnores, List<String> moreHostPaths, List<String> moreUserPaths) {
        return new ImpactRules(patterns, concat(ignoreGlobs, moreIgnores), concat(moreHostPaths,
                placeholders(hostPaths)), concat(moreUserPaths, placeholders(userPaths)), systemGlobs);
    }

    /** These rules with the repository's own section added. */
    public ImpactRules plus(io.fleetward.fleet.ImpactSection section) {
        return plus(section.ignore(), section.hostPaths(), section.userPaths());
    }

    private static java.util.stream.Stream<String> nonBlank(List<String> globs) {
        return globs.stream().map(String::trim).filter(glob -> !glob.isEmpty());
    }

    private static List<String> placeholders(List<PlaceholderGlob> globs) {
        return globs.stream().map(PlaceholderGlob::toString).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * The first path, in sorted order, of {@code changedPaths} that affects {@code target}; empty when
     * none does.
     *
     * @param allUsers every user folder name under {@code modules/home/users/} (pass the same list
     *                 instance for a whole pass)
     */
    public Optional<String> firstAffecting(Target target, List<String> allUsers, Set<String> changedPaths) {
        ChangeIndex changes = index(changedPaths).withUsers(allUsers);
        String first = target.kind() == TargetKind.SYSTEM
                ? firstAffectingSystem(target, changes)
                : firstAffectingHome(target, changes);
        return Optional.ofNullable(first);
    }

    /** Whether the ignore globs match {@code path} (as git would ignore it with them as its .gitignore). */
    public boolean ignored(String path) {
        return ignore.matches(path);
    }

    /** The host a host path (e.g. {@code vars/per-machine/<host>/**}) belongs to; null when none claims it. */
    String hostOf(String path) {
        return nameIn(hostPaths, path);
    }

    /** The user a user path (e.g. {@code sops/users/<user>/**}) belongs to; null when none claims it. */
    String userOf(String path) {
        return nameIn(userPaths, path);
    }

    /** Whether {@code path} affects every system target and no home target. */
    boolean systemsOnly(String path) {
        return systemPaths.matches(path);
    }

    private static String nameIn(List<PlaceholderGlob> globs, String path) {
        for (PlaceholderGlob glob : globs) {
            String name = glob.nameIn(path);
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    private static String firstAffectingSystem(Target target, ChangeIndex changes) {
        String platform = target.platform().label();
        String first = ChangeIndex.earlier(changes.shared(),
                target.platform() == Platform.DARWIN ? changes.darwinOnly() : changes.nixosOnly());
        first = ChangeIndex.earlier(first, changes.systemsOnly());
        first = ChangeIndex.earlier(first, changes.hostPath(target.id().host()));
        first = ChangeIndex.earlier(first, changes.machinesRoot());
        first = ChangeIndex.earlier(first, changes.platformRoot(platform));
        first = ChangeIndex.earlier(first, changes.hostFolder(platform, target.id().host()));
        List<String> embedded = target.embeddedUsers();
        if (embedded == null) {
            return ChangeIndex.earlier(first, changes.anyUserFolder());
        }
        for (String user : embedded) {
            first = ChangeIndex.earlier(first, changes.userFolder(user));
        }
        return first;
    }

    private static String firstAffectingHome(Target target, ChangeIndex changes) {
        return ChangeIndex.earlier(changes.shared(), changes.userFolder(target.user()));
    }

    private ChangeIndex index(Set<String> changedPaths) {
        Indexed recent = last;
        if (recent != null && recent.paths() == changedPaths) {
            return recent.index();
        }
        ChangeIndex index = indexes.computeIfAbsent(new IdentityKey(changedPaths),
                key -> ChangeIndex.of(changedPaths, this));
        last = new Indexed(changedPaths, index);
        return index;
    }
}
