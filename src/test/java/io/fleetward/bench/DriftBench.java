package io.fleetward.bench;

import io.fleetward.source.GitPathPatterns;
import io.fleetward.config.ImpactConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.ImpactRules;
import io.fleetward.drift.Ledger;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.HostUser;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.fleet.UserMode;
import io.fleetward.observe.Observation;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Drift for 10,000 targets over a generated 5,000-commit history: the whole fleet resolved against
 * the tip, with deployed revisions spread over the history (darwin hosts report
 * configurationRevision, the others are found through the ledger). Prints the cold pass (diffs not
 * cached yet) and warm passes (diff cache filled), the case of every reconcile after the first; then
 * the same for a fleet that is mostly in sync (every target at one of the last ten revisions, half at
 * the tip), where most verdicts are "no relevant change since ...".
 *
 * <p>Run: {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.DriftBench}
 */
public final class DriftBench {
    private static final int HOSTS = 2_000;
    private static final int USERS = 60;
    private static final int HOMES_PER_HOST = 4;
    private static final int COMMITS = 5_000;
    private static final int DEPLOYED_REVISIONS = 50;
    private static final int WARM_ROUNDS = 30;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("fleetward-drift-bench");
        long t0 = System.nanoTime();
        Path upstream = FleetHistory.generate(dir.resolve("upstream.git"), HOSTS, USERS, COMMITS, 42);
        System.out.printf("generated %d commits, %d hosts, %d users in %d ms%n", COMMITS, HOSTS, USERS,
                (System.nanoTime() - t0) / 1_000_000);
        List<String> revisions = FleetHistory.revisions(upstream);
        FleetHistory.Layout layout = FleetHistory.layout(HOSTS, USERS);

        try (GitSource source = new GitSource(new SourceSettings(upstream.toString(), FleetHistory.BRANCH,
                dir.resolve("clone.git"), Duration.ofMinutes(1), Optional.empty(), Optional.empty()))) {
            String desired = source.fetch().revision();
            Random random = new Random(7);
            // A fleet that drifted unevenly: each target sits at one of 50 revisions of the last 500
            // (most see no relevant change), a few far back in the 5,000-commit history.
            String[] deployedPool = new String[DEPLOYED_REVISIONS];
            for (int i = 0; i < deployedPool.length; i++) {
                int back = i < 45 ? 1 + random.nextInt(500) : 1 + random.nextInt(revisions.size() - 1);
                deployedPool[i] = revisions.get(revisions.size() - 1 - back);
            }
            List<Target> targets = new ArrayList<>();
            Instant now = Instant.now();
            for (String hostName : layout.hosts()) {
                boolean darwin = layout.isDarwin(hostName);
                List<String> names = new ArrayList<>(layout.users().subList(1, layout.users().size()));
                java.util.Collections.shuffle(names, random);
                List<HostUser> users = new ArrayList<>();
                for (String user : names.subList(0, HOMES_PER_HOST)) {
                    users.add(new HostUser(user, UserMode.STANDALONE, user + "@" + hostName));
                }
                users.add(0, new HostUser(layout.users().get(0), UserMode.SYSTEM, null));
                Host host = new Host(hostName, darwin ? Platform.DARWIN : Platform.NIXOS, "root@" + hostName, "local",
                        List.of(), users, true);
                targets.add(new Target(TargetId.system(hostName), host, null, List.of(layout.users().get(0))));
                for (HostUser user : users.subList(1, users.size())) {
                    targets.add(new Target(TargetId.home(user.name(), hostName), host, user.configuration(), List.of()));
                }
            }
            while (targets.size() > 10_000) {
                targets.remove(targets.size() - 1);
            }
            DriftResolver resolver =
                    new DriftResolver(new ImpactRules(GitPathPatterns.INSTANCE, PlainConfig.defaults(ImpactConfig.class).ignore()));
            measure("drifted unevenly: 50 deployed revisions, 45 of them in the last 500 commits", deployedPool,
                    targets, random, now, resolver, source, layout.users(), desired);
            // Most of the fleet in sync: every target at one of the last 10 revisions, half at the tip;
            // a commit changes one host's or user's folder, so most see no relevant change since theirs.
            String[] recent = new String[20];
            for (int i = 0; i < recent.length; i++) {
                recent[i] = revisions.get(revisions.size() - 1 - (i < 10 ? 0 : i - 9));
            }
            measure("mostly in sync: half at the tip, the rest 1 to 10 commits behind", recent, targets, random, now,
                    resolver, source, layout.users(), desired);
        }
    }

    private static void measure(String name, String[] deployedPool, List<Target> targets, Random random, Instant now,
                                DriftResolver resolver, GitSource source, List<String> users, String desired) {
        Map<TargetId, Observation> observations = new HashMap<>();
        Map<String, String> ledgerByPath = new HashMap<>();
        for (Target target : targets) {
            String deployed = deployedPool[random.nextInt(deployedPool.length)];
            String path = "/nix/store/" + target.id().toString().replace(':', '-').replace('@', '-') + "-" + deployed;
            ledgerByPath.put(target.id() + " " + path, deployed);
            boolean reportsRevision = target.kind() == io.fleetward.fleet.TargetKind.SYSTEM
                    && target.platform() == Platform.DARWIN;
            observations.put(target.id(), new Observation(target.id(), now, path, null,
                    reportsRevision ? deployed : null, null));
        }
        Ledger ledger = (id, path) -> Optional.ofNullable(ledgerByPath.get(id + " " + path));
        long cold = pass(resolver, targets, observations, ledger, source, users, desired);
        long[] warm = new long[WARM_ROUNDS];
        for (int i = 0; i < WARM_ROUNDS; i++) {
            warm[i] = pass(resolver, targets, observations, ledger, source, users, desired);
        }
        Map<String, Integer> verdicts = new java.util.TreeMap<>();
        for (Target t : targets) {
            io.fleetward.drift.Drift drift = resolver.resolve(t, desired, observations.get(t.id()), ledger, source,
                    users, Optional.empty());
            String reason = drift.reason();
            String kind = drift.drifted() ? "drifted" : reason.startsWith("no relevant change") ? "in sync: no relevant change"
                    : "in sync: at the desired revision";
            verdicts.merge(kind, 1, Integer::sum);
        }
        Arrays.sort(warm);
        System.out.printf("drift, %d targets, %s:%n", targets.size(), name);
        System.out.printf("  cold (diffs computed):  %.1f ms%n", cold / 1e6);
        System.out.printf("  warm (diff cache full): median %.1f ms, min %.1f ms, max %.1f ms over %d rounds%n",
                warm[WARM_ROUNDS / 2] / 1e6, warm[0] / 1e6, warm[WARM_ROUNDS - 1] / 1e6, WARM_ROUNDS);
        System.out.printf("  verdicts: %s (goal: warm under 100 ms)%n", verdicts);
    }

    private static long pass(DriftResolver resolver, List<Target> targets, Map<TargetId, Observation> observations,
                             Ledger ledger, GitSource source, List<String> users, String desired) {
        long start = System.nanoTime();
        for (Target target : targets) {
            resolver.resolve(target, desired, observations.get(target.id()), ledger, source, users, Optional.empty());
        }
        return System.nanoTime() - start;
    }
}
