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

    private final List<PathGlob> ignore;
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
     * @param ignoreGlobs paths matching any of these never affect a target (blank entries are skipped)
     */
    public ImpactRules(List<String> ignoreGlobs) {
        this.ignore = ignoreGlobs.stream()
                .map(String::trim)
                .filter(glob -> !glob.isEmpty())
                .map(PathGlob::compile)
                .toList();
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

    /** Whether {@code path} matches one of the ignore globs. */
    public boolean ignored(String path) {
        for (PathGlob glob : ignore) {
            if (glob.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static String firstAffectingSystem(Target target, ChangeIndex changes) {
        String platform = target.platform().label();
        String first = ChangeIndex.earlier(changes.shared(),
                target.platform() == Platform.DARWIN ? changes.darwinOnly() : changes.nixosOnly());
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
                key -> ChangeIndex.of(changedPaths, this::ignored));
        last = new Indexed(changedPaths, index);
        return index;
    }
}
