package io.fleetward.fleet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds hosts and users in the repository layout: every sub-folder of
 * {@code modules/machines/darwin/} and {@code modules/machines/nixos/} is a host, every sub-folder of
 * {@code modules/home/users/} a user (files directly there are shared modules, not users).
 */
final class LayoutDiscovery {
    static final String USERS_DIR = "modules/home/users";

    private static final Map<Platform, String> HOST_DIRS = Map.of(
            Platform.DARWIN, "modules/machines/darwin",
            Platform.NIXOS, "modules/machines/nixos");

    /**
     * What the layout holds.
     *
     * @param hosts    valid host names with the platform of their folder, sorted
     * @param users    valid user folder names, sorted
     * @param skipped  names that exist but were refused (a host under both platforms); the loader
     *                 must not bring them back from the overlay or the inventory command
     * @param problems why folders were refused
     */
    record Layout(Map<String, Platform> hosts, List<String> users, List<String> skipped,
                  List<InventoryProblem> problems) {
        Layout {
            hosts = Collections.unmodifiableMap(new TreeMap<>(hosts));
            users = List.copyOf(users);
            skipped = List.copyOf(skipped);
            problems = List.copyOf(problems);
        }
    }

    private LayoutDiscovery() {
    }

    static Layout discover(RevisionFiles files) {
        List<InventoryProblem> problems = new ArrayList<>();
        Map<String, Platform> hosts = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        for (Platform platform : List.of(Platform.DARWIN, Platform.NIXOS)) {
            String dir = HOST_DIRS.get(platform);
            for (String name : validFolders(files, dir, "host", problems)) {
                Platform earlier = hosts.putIfAbsent(name, platform);
                if (earlier != null) {
                    hosts.remove(name);
                    skipped.add(name);
                    problems.add(new InventoryProblem(dir + "/" + name, 0, "host " + name + " also exists under "
                            + HOST_DIRS.get(earlier) + "/; a host must have one platform; host skipped"));
                }
            }
        }
        List<String> users = validFolders(files, USERS_DIR, "user", problems);
        return new Layout(hosts, users, skipped, problems);
    }

    /** The sorted valid sub-folder names of {@code dir}; each refused one becomes a problem. */
    private static List<String> validFolders(RevisionFiles files, String dir, String what,
                                             List<InventoryProblem> problems) {
        List<String> valid = new ArrayList<>();
        for (String name : files.subdirectories(dir)) {
            if (Names.isValid(name)) {
                valid.add(name);
            } else {
                problems.add(new InventoryProblem(dir + "/" + Names.printable(name), 0,
                        what + " folder " + Names.rejection(name) + "; " + what + " skipped"));
            }
        }
        Collections.sort(valid);
        return valid;
    }
}
