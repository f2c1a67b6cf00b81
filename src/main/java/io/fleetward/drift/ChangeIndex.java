package io.fleetward.drift;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One changed-path set sorted into the classes the impact rules ask about, so that deciding a
 * target's impact costs a few map look-ups instead of a scan of every path. Each class keeps only
 * its first path in sorted order (the one a drift reason names). Immutable once built.
 */
final class ChangeIndex {
    private static final String MACHINES = "modules/machines/";
    private static final String USERS = "modules/home/users/";
    private static final String DARWIN = "modules/darwin/";
    private static final String NIXOS = "modules/nixos/";

    private final Set<String> paths;
    private final ImpactRules rules;

    private String shared;
    private String darwinOnly;
    private String nixosOnly;
    private String systemsOnly;
    private final Map<String, String> hostPaths = new HashMap<>();
    private String machinesRoot;
    private final Map<String, String> platformRoots = new HashMap<>();
    private final Map<String, Map<String, String>> hostFolders = new HashMap<>();
    private final Map<String, String> userFolders = new HashMap<>();
    private String anyUserFolder;
    /** {@code modules/home/users/<name>} without a further segment: a user's folder only if {@code name} is a user. */
    private final List<String> bareUserEntries = new ArrayList<>();

    /** Only set on an index built without the user list, when it holds bare user entries. */
    private volatile Resolution lastResolution;

    private record Resolution(List<String> allUsers, ChangeIndex index) {
    }

    private ChangeIndex(Set<String> paths, ImpactRules rules, Set<String> users) {
        this.paths = paths;
        this.rules = rules;
        for (String path : paths) {
            if (!rules.ignored(path)) {
                classify(path, users);
            }
        }
    }

    /** Classifies {@code paths} once; bare {@code modules/home/users/<name>} entries wait for the user list. */
    static ChangeIndex of(Set<String> paths, ImpactRules rules) {
        return new ChangeIndex(paths, rules, null);
    }

    /**
     * This index with bare user entries decided against {@code allUsers}. Almost every change set has
     * none, so this is usually the index itself; otherwise the answer is kept for the same list instance.
     */
    ChangeIndex withUsers(List<String> allUsers) {
        if (bareUserEntries.isEmpty()) {
            return this;
        }
        Resolution last = lastResolution;
        if (last != null && last.allUsers() == allUsers) {
            return last.index();
        }
        ChangeIndex resolved = new ChangeIndex(paths, rules, Set.copyOf(allUsers));
        lastResolution = new Resolution(allUsers, resolved);
        return resolved;
    }

    private void classify(String path, Set<String> users) {
        String host = rules.hostOf(path);
        if (host != null) {
            hostPaths.merge(host, path, ChangeIndex::earlier);
            return;
        }
        String user = rules.userOf(path);
        if (user != null) {
            addUserPath(user, path);
            return;
        }
        if (rules.systemsOnly(path)) {
            systemsOnly = earlier(systemsOnly, path);
        } else if (path.startsWith(MACHINES)) {
            classifyMachinePath(path, path.substring(MACHINES.length()));
        } else if (path.startsWith(USERS)) {
            classifyUserPath(path, path.substring(USERS.length()), users);
        } else if (path.startsWith(DARWIN)) {
            darwinOnly = earlier(darwinOnly, path);
        } else if (path.startsWith(NIXOS)) {
            nixosOnly = earlier(nixosOnly, path);
        } else {
            shared = earlier(shared, path);
        }
    }

    /** {@code <platform>/<host>/...} is a host folder; files above the host folders stay shared by their level. */
    private void classifyMachinePath(String path, String rest) {
        int platformEnd = rest.indexOf('/');
        if (platformEnd < 0) {
            machinesRoot = earlier(machinesRoot, path);
            return;
        }
        String platform = rest.substring(0, platformEnd);
        int hostEnd = rest.indexOf('/', platformEnd + 1);
        if (hostEnd < 0) {
            platformRoots.merge(platform, path, ChangeIndex::earlier);
            return;
        }
        String host = rest.substring(platformEnd + 1, hostEnd);
        hostFolders.computeIfAbsent(platform, p -> new HashMap<>()).merge(host, path, ChangeIndex::earlier);
    }

    private void classifyUserPath(String path, String rest, Set<String> users) {
        int userEnd = rest.indexOf('/');
        String user;
        if (userEnd >= 0) {
            user = rest.substring(0, userEnd);
        } else if (users == null) {
            bareUserEntries.add(path);
            return;
        } else if (users.contains(rest)) {
            user = rest;
        } else {
            shared = earlier(shared, path);
            return;
        }
        addUserPath(user, path);
    }

    /** A user folder path or another path of that user's (e.g. its secrets): same impact. */
    private void addUserPath(String user, String path) {
        userFolders.merge(user, path, ChangeIndex::earlier);
        anyUserFolder = earlier(anyUserFolder, path);
    }

    /** The first of two paths in sorted order; null stands for "none". */
    static String earlier(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Paths outside the machine, user and platform-module folders: they affect every target. */
    String shared() {
        return shared;
    }

    String darwinOnly() {
        return darwinOnly;
    }

    String nixosOnly() {
        return nixosOnly;
    }

    /** Paths every system reads and no home configuration (clan's shared vars). */
    String systemsOnly() {
        return systemsOnly;
    }

    /** The host's own paths outside its host folder (its vars, its secrets), whatever its platform. */
    String hostPath(String host) {
        return hostPaths.get(host);
    }

    /** Files directly in {@code modules/machines/}: no host's own, so every system target. */
    String machinesRoot() {
        return machinesRoot;
    }

    /** Files directly in {@code modules/machines/<platform>/}: every system target of that platform. */
    String platformRoot(String platform) {
        return platformRoots.get(platform);
    }

    String hostFolder(String platform, String host) {
        Map<String, String> hosts = hostFolders.get(platform);
        return hosts == null ? null : hosts.get(host);
    }

    String userFolder(String user) {
        return userFolders.get(user);
    }

    String anyUserFolder() {
        return anyUserFolder;
    }
}
