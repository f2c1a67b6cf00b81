package io.fleetward.fleet;

import java.util.List;
import java.util.Map;

/**
 * The fleet at one revision.
 *
 * @param revision the commit it was read from
 * @param hosts    hosts by name, sorted
 * @param targets  all targets, sorted by id
 * @param allUsers every user folder name under {@code modules/home/users/} (for impact rules)
 * @param impact   the repository's impact rules at this revision ({@code impact:} in {@code fleetward.yaml})
 * @param problems everything that was refused (rejected names, ...); the rest still loaded
 * @param rollout  the repository's waves and maintenance windows at this revision
 */
public record Inventory(String revision, Map<String, Host> hosts, List<Target> targets, List<String> allUsers,
                        ImpactSection impact, List<InventoryProblem> problems, RolloutRules rollout) {
    public Inventory {
        hosts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(hosts));
        targets = List.copyOf(targets);
        allUsers = List.copyOf(allUsers);
        problems = List.copyOf(problems);
        rollout = rollout == null ? RolloutRules.NONE : rollout;
    }

    /** An inventory without rollout rules (one wave, no windows). */
    public Inventory(String revision, Map<String, Host> hosts, List<Target> targets, List<String> allUsers,
                     ImpactSection impact, List<InventoryProblem> problems) {
        this(revision, hosts, targets, allUsers, impact, problems, RolloutRules.NONE);
    }
}
