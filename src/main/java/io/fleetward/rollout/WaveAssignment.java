package io.fleetward.rollout;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.RolloutRules;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The waves of one inventory, in order: a host belongs to the first wave that matches it, and its
 * home targets go with its system target. Hosts no wave matches form a last wave, {@value #REST}.
 * Without waves in the rules, every target is in one wave ({@value #ALL}).
 */
public final class WaveAssignment {
    /** The one wave of a fleet without a {@code rollout:} section. */
    public static final String ALL = "all";
    /** The implicit last wave: hosts that no declared wave matches. */
    public static final String REST = "(rest)";

    /** One wave with its targets, sorted by id. */
    public record Wave(String name, List<TargetId> targets) {
        public Wave {
            targets = List.copyOf(targets);
        }
    }

    private final List<Wave> waves;
    private final Map<TargetId, Integer> indexOf;

    private WaveAssignment(List<Wave> waves) {
        this.waves = List.copyOf(waves);
        Map<TargetId, Integer> index = new HashMap<>();
        for (int i = 0; i < waves.size(); i++) {
            for (TargetId id : waves.get(i).targets()) {
                index.put(id, i);
            }
        }
        this.indexOf = Collections.unmodifiableMap(index);
    }

    /** Assigns every target of {@code targets} to its wave (empty waves are kept, so indexes match the rules). */
    public static WaveAssignment of(RolloutRules rules, Collection<Target> targets) {
        Map<TargetId, Target> sorted = new TreeMap<>();
        targets.forEach(t -> sorted.put(t.id(), t));
        if (rules.waves().isEmpty()) {
            return new WaveAssignment(List.of(new Wave(ALL, List.copyOf(sorted.keySet()))));
        }
        List<List<TargetId>> members = new ArrayList<>();
        rules.waves().forEach(w -> members.add(new ArrayList<>()));
        List<TargetId> rest = new ArrayList<>();
        for (Target target : sorted.values()) {
            int wave = waveOf(rules, target.host());
            (wave < 0 ? rest : members.get(wave)).add(target.id());
        }
        List<Wave> waves = new ArrayList<>();
        for (int i = 0; i < rules.waves().size(); i++) {
            waves.add(new Wave(rules.waves().get(i).name(), members.get(i)));
        }
        if (!rest.isEmpty()) {
            waves.add(new Wave(REST, rest));
        }
        return new WaveAssignment(waves);
    }

    private static int waveOf(RolloutRules rules, Host host) {
        for (int i = 0; i < rules.waves().size(); i++) {
            if (rules.waves().get(i).matches(host)) {
                return i;
            }
        }
        return -1;
    }

    public List<Wave> waves() {
        return waves;
    }

    /** The 0-based index of {@code id}'s wave, empty for a target not assigned. */
    public Optional<Integer> indexOf(TargetId id) {
        return Optional.ofNullable(indexOf.get(id));
    }
}
