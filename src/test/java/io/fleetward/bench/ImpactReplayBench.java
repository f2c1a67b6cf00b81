package io.fleetward.bench;

import io.fleetward.source.GitPathPatterns;
import io.fleetward.config.ImpactConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.drift.ImpactRules;
import io.fleetward.fleet.ImpactSection;
import io.fleetward.fleet.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a real history through the impact rules: every commit of a changed-paths log against its
 * parent, for every system target of a fleet description, and prints how many host deployments each
 * rule set would cause (a deployment per commit and host that some changed path affects).
 *
 * <p>Run: {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.ImpactReplayBench}
 * (defaults: {@code src/test/resources/bench/vanixiets-history.txt} and {@code vanixiets-fleet.json};
 * other files with {@code -Dbench.history=... -Dbench.fleet=...}; one more rule set with
 * {@code -Dbench.ignore=glob,glob,...}).
 */
public final class ImpactReplayBench {
    private static final List<String> DOCS_AND_JS = List.of("packages/docs/**", "bun.lock", "bun.nix", "package.json");
    private static final List<String> ALSO_TOOLING = List.of("justfile", "terraform/**");

    public static void main(String[] args) throws Exception {
        Path history = Path.of(System.getProperty("bench.history", "src/test/resources/bench/vanixiets-history.txt"));
        Path fleetFile = Path.of(System.getProperty("bench.fleet", "src/test/resources/bench/vanixiets-fleet.json"));
        ChangeLog log = ChangeLog.read(history);
        FleetDescription fleet = FleetDescription.read(fleetFile);

        // As Wiring builds them: the configured ignores plus the overlay file.
        List<String> ignore = new ArrayList<>(PlainConfig.defaults(ImpactConfig.class).ignore());
        ignore.add("fleetward.yaml");
        ImpactRules clanAware = new ImpactRules(GitPathPatterns.INSTANCE, ignore);
        Map<String, ImpactRules> ruleSets = new LinkedHashMap<>();
        ruleSets.put("today's defaults (no clan paths)", new ImpactRules(GitPathPatterns.INSTANCE, ignore, List.of(), List.of(), List.of()));
        ruleSets.put("clan-aware defaults", clanAware);
        // As the daemon adds a repository's section (fleetward.yaml impact: ignore: [...]).
        ruleSets.put("clan-aware + impact.ignore " + DOCS_AND_JS,
                clanAware.plus(new ImpactSection(DOCS_AND_JS, List.of(), List.of())));
        List<String> both = new ArrayList<>(DOCS_AND_JS);
        both.addAll(ALSO_TOOLING);
        ruleSets.put("clan-aware + impact.ignore " + both, clanAware.plus(both, List.of(), List.of()));
        String extra = System.getProperty("bench.ignore", "");
        if (!extra.isBlank()) {
            List<String> custom = List.of(extra.split(","));
            ruleSets.put("clan-aware + impact.ignore " + custom, clanAware.plus(custom, List.of(), List.of()));
        }

        System.out.printf("%s: %d commits; %s: %d system targets%n", history, log.commits().size(), fleetFile,
                fleet.systems().size());
        System.out.printf("upper bound (every commit deploys every host): %,d%n",
                log.commits().size() * fleet.systems().size());
        for (Map.Entry<String, ImpactRules> ruleSet : ruleSets.entrySet()) {
            long start = System.nanoTime();
            Map<String, Integer> perHost = replay(log, fleet, ruleSet.getValue());
            long micros = (System.nanoTime() - start) / 1_000;
            int total = perHost.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%-75s %,7d host deployments  (%d ms)  %s%n", ruleSet.getKey(), total, micros / 1_000,
                    perHost);
        }
    }

    private static Map<String, Integer> replay(ChangeLog log, FleetDescription fleet, ImpactRules rules) {
        Map<String, Integer> perHost = new TreeMap<>();
        for (ChangeLog.Commit commit : log.commits()) {
            for (Target system : fleet.systems()) {
                if (rules.firstAffecting(system, fleet.userFolders(), commit.changed()).isPresent()) {
                    perHost.merge(system.id().host(), 1, Integer::sum);
                }
            }
        }
        return perHost;
    }
}
