package io.fleetward.drift;

import io.fleetward.source.GitPathPatterns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.config.ImpactConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.fleet.ImpactSection;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriftResolverTest {
    private static final String DESIRED = "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f";
    private static final String OLDER = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String FORGOTTEN = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String DESIRED_PATH = "/nix/store/aaaa-nixos-system-web1-25.05";
    private static final String OLDER_PATH = "/nix/store/bbbb-nixos-system-web1-25.05";
    private static final String MANUAL_PATH = "/nix/store/cccc-nixos-system-web1-25.05";
    private static final List<String> ALL_USERS = List.of("alice", "bob");

    private static final Target WEB1 = ImpactRulesTest.system("web1", Platform.NIXOS, List.of("alice"));
    private static final Target MAC1 = ImpactRulesTest.system("mac1", Platform.DARWIN, List.of("alice"));
    private static final Target BOB = ImpactRulesTest.home("bob", "web1", Platform.NIXOS);

    /** Fleetward deployed OLDER and DESIRED to every target, leaving these paths. */
    private static final Ledger LEDGER = (target, path) -> Optional.ofNullable(
            Map.of(OLDER_PATH, OLDER, DESIRED_PATH, DESIRED).get(path));

    /** OLDER..DESIRED touched web1's host folder and bob's user folder; FORGOTTEN is not in the history. */
    private static final ChangedPaths CHANGES = (from, to) -> from.equals(OLDER) && to.equals(DESIRED)
            ? Optional.of(Set.of("README.md", "modules/machines/nixos/web1/configuration.nix",
                    "modules/home/users/bob/home.nix"))
            : Optional.empty();

    private final DriftResolver resolver =
            new DriftResolver(new ImpactRules(GitPathPatterns.INSTANCE, PlainConfig.defaults(ImpactConfig.class).ignore()));

    static Stream<Arguments> branches() {
        return Stream.of(
                argumentSet("never probed", WEB1, null, Optional.empty(),
                        DriftStatus.UNKNOWN, "not observed yet", null),
                argumentSet("unreachable", WEB1,
                        Observation.unreachable(WEB1.id(), Instant.EPOCH, "ssh: connection refused"), Optional.empty(),
                        DriftStatus.UNREACHABLE, "ssh: connection refused", null),
                argumentSet("exact mode: a relevant change, but the machine runs the evaluated path", WEB1,
                        seen(WEB1, OLDER_PATH, OLDER_PATH, null), Optional.of(OLDER_PATH),
                        DriftStatus.IN_SYNC, "evaluated bbbb-nixos-system-web1-25.05: same as running, nothing to deploy",
                        OLDER),
                argumentSet("exact mode: same as running, but booted an older system", WEB1,
                        seen(WEB1, OLDER_PATH, MANUAL_PATH, null), Optional.of(OLDER_PATH),
                        DriftStatus.IN_SYNC,
                        "evaluated bbbb-nixos-system-web1-25.05: same as running, nothing to deploy; reboot pending",
                        OLDER),
                argumentSet("exact mode: other path, revision known from the ledger", WEB1,
                        seen(WEB1, OLDER_PATH, OLDER_PATH, null), Optional.of(DESIRED_PATH),
                        DriftStatus.DRIFTED,
                        "evaluated aaaa-nixos-system-web1-25.05, running bbbb-nixos-system-web1-25.05", OLDER),
                argumentSet("exact mode: other path, revision reported by the machine", WEB1,
                        seen(WEB1, MANUAL_PATH, MANUAL_PATH, FORGOTTEN), Optional.of(DESIRED_PATH),
                        DriftStatus.DRIFTED,
                        "evaluated aaaa-nixos-system-web1-25.05, running cccc-nixos-system-web1-25.05", FORGOTTEN),
                argumentSet("exact mode: out-of-band, other path", WEB1,
                        seen(WEB1, MANUAL_PATH, MANUAL_PATH, null), Optional.of(DESIRED_PATH),
                        DriftStatus.DRIFTED,
                        "evaluated aaaa-nixos-system-web1-25.05, running cccc-nixos-system-web1-25.05", null),
                argumentSet("exact mode: out-of-band, but the machine runs the evaluated path", WEB1,
                        seen(WEB1, MANUAL_PATH, null, null), Optional.of(MANUAL_PATH),
                        DriftStatus.IN_SYNC, "evaluated cccc-nixos-system-web1-25.05: same as running, nothing to deploy",
                        null),
                argumentSet("exact mode: the rules say no relevant change, the evaluation is not looked at", MAC1,
                        seen(MAC1, OLDER_PATH, null, null), Optional.of(DESIRED_PATH),
                        DriftStatus.IN_SYNC, "no relevant change since 1111111", OLDER),
                argumentSet("exact mode: at the desired revision, the evaluation is not looked at", WEB1,
                        seen(WEB1, MANUAL_PATH, null, DESIRED), Optional.of(DESIRED_PATH),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("exact mode: nothing activated yet", BOB,
                        seen(BOB, null, null, null), Optional.of(DESIRED_PATH),
                        DriftStatus.DRIFTED, "never deployed", null),
                argumentSet("reported revision is the desired one", WEB1,
                        seen(WEB1, MANUAL_PATH, MANUAL_PATH, DESIRED), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("reported revision in upper case", WEB1,
                        seen(WEB1, MANUAL_PATH, MANUAL_PATH, DESIRED.toUpperCase()), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("reported 'dirty' falls through to the ledger", WEB1,
                        seen(WEB1, DESIRED_PATH, DESIRED_PATH, "dirty"), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("reported '<sha>-dirty' is no revision: out-of-band", WEB1,
                        seen(WEB1, MANUAL_PATH, MANUAL_PATH, DESIRED + "-dirty"), Optional.empty(),
                        DriftStatus.DRIFTED,
                        "out-of-band change: cccc-nixos-system-web1-25.05 was not deployed by fleetward", null),
                argumentSet("ledger knows the current path at the desired revision", BOB,
                        seen(BOB, DESIRED_PATH, null, null), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("path unknown to the ledger: out-of-band", BOB,
                        seen(BOB, MANUAL_PATH, null, null), Optional.empty(),
                        DriftStatus.DRIFTED,
                        "out-of-band change: cccc-nixos-system-web1-25.05 was not deployed by fleetward", null),
                argumentSet("out-of-band name with odd characters is shown escaped", BOB,
                        seen(BOB, "/nix/store/dd;dd", null, null), Optional.empty(),
                        DriftStatus.DRIFTED, "out-of-band change: \"dd;dd\" was not deployed by fleetward", null),
                argumentSet("out-of-band text that is no store path is shown whole, escaped", BOB,
                        seen(BOB, "/nix/store/dd dd\n", null, null), Optional.empty(), DriftStatus.DRIFTED,
                        "out-of-band change: \"/nix/store/dd dd\\x0a\" was not deployed by fleetward", null),
                argumentSet("reported SHA-256 id is not one fleetward deploys: the ledger decides", WEB1,
                        seen(WEB1, DESIRED_PATH, DESIRED_PATH, "ab".repeat(32)), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("no home generation yet: never deployed", BOB,
                        seen(BOB, null, null, null), Optional.empty(),
                        DriftStatus.DRIFTED, "never deployed", null),
                argumentSet("deployed revision not in the tracked history", WEB1,
                        seen(WEB1, MANUAL_PATH, MANUAL_PATH, FORGOTTEN), Optional.empty(),
                        DriftStatus.DRIFTED, "deployed revision 2222222 is not in the tracked history", FORGOTTEN),
                argumentSet("own host folder changed since the deployed revision", WEB1,
                        seen(WEB1, OLDER_PATH, OLDER_PATH, null), Optional.empty(),
                        DriftStatus.DRIFTED, "modules/machines/nixos/web1/configuration.nix changed since 1111111",
                        OLDER),
                argumentSet("own user folder changed since the deployed revision", BOB,
                        seen(BOB, OLDER_PATH, null, null), Optional.empty(),
                        DriftStatus.DRIFTED, "modules/home/users/bob/home.nix changed since 1111111", OLDER),
                argumentSet("no relevant change since the deployed revision", MAC1,
                        seen(MAC1, OLDER_PATH, null, null), Optional.empty(),
                        DriftStatus.IN_SYNC, "no relevant change since 1111111", OLDER),
                argumentSet("in sync with a reboot pending", WEB1,
                        seen(WEB1, DESIRED_PATH, OLDER_PATH, null), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0; reboot pending", DESIRED),
                argumentSet("no booted path reported means no reboot pending", WEB1,
                        seen(WEB1, DESIRED_PATH, null, null), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("drifted never mentions a pending reboot", WEB1,
                        seen(WEB1, OLDER_PATH, MANUAL_PATH, null), Optional.empty(),
                        DriftStatus.DRIFTED, "modules/machines/nixos/web1/configuration.nix changed since 1111111",
                        OLDER),
                argumentSet("a booted path on darwin means no reboot pending", MAC1,
                        seen(MAC1, DESIRED_PATH, OLDER_PATH, null), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED),
                argumentSet("home targets have no pending reboot", BOB,
                        seen(BOB, DESIRED_PATH, OLDER_PATH, null), Optional.empty(),
                        DriftStatus.IN_SYNC, "at desired revision 3f2a1c0", DESIRED));
    }

    @ParameterizedTest
    @MethodSource("branches")
    void resolvesDrift(Target target, Observation observation, Optional<String> desiredPath,
                       DriftStatus status, String reason, String deployedRevision) {
        Drift drift = resolver.resolve(target, DESIRED, observation, LEDGER, CHANGES, ALL_USERS, desiredPath);
        assertEquals(new Drift(target.id(), status, reason, DESIRED, deployedRevision), drift);
    }

    // History A -> B -> C -> D, with the repository's impact: section at each revision.
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private static final String D = "d".repeat(40);
    private static final String UNREADABLE = "e".repeat(40);
    private static final ImpactSection IGNORES_BUN_LOCK = new ImpactSection(List.of("bun.lock"),
            List.of("hosts-extra/{host}/**"), List.of());
    /** A: no section; B adds one (ignore bun.lock, hosts-extra/{host}); C keeps it; D removes it. */
    private static final RevisionImpact SECTIONS = revision -> revision.equals(UNREADABLE) ? Optional.empty()
            : Optional.of(revision.equals(B) || revision.equals(C) ? IGNORES_BUN_LOCK : ImpactSection.NONE);
    /** B's commit edits the section and bun.lock; C's bun.lock and web1's extra folder; D's the section and bun.lock. */
    private static final Map<String, Set<String>> COMMITS = Map.of(
            A + B, Set.of("fleetward.yaml", "bun.lock"),
            B + C, Set.of("bun.lock", "hosts-extra/web1/a.nix"),
            A + C, Set.of("fleetward.yaml", "bun.lock", "hosts-extra/web1/a.nix"),
            C + D, Set.of("fleetward.yaml", "bun.lock"),
            UNREADABLE + C, Set.of("bun.lock"));
    private static final ChangedPaths HISTORY = (from, to) -> Optional.ofNullable(COMMITS.get(from + to));

    static Stream<Arguments> repositoryRules() {
        return Stream.of(
                argumentSet("the commit adding an ignore is judged by the rules before it", MAC1, A, B,
                        DriftStatus.DRIFTED, "bun.lock changed since aaaaaaa"),
                argumentSet("the added ignore applies from the next commit on", MAC1, B, C,
                        DriftStatus.IN_SYNC, "no relevant change since bbbbbbb"),
                argumentSet("the added host path applies from the next commit on: other host", MAC1, B, C,
                        DriftStatus.IN_SYNC, "no relevant change since bbbbbbb"),
                argumentSet("the added host path applies from the next commit on: own host", WEB1, B, C,
                        DriftStatus.DRIFTED, "hosts-extra/web1/a.nix changed since bbbbbbb"),
                argumentSet("deployed before the section: its rules judge the whole range", MAC1, A, C,
                        DriftStatus.DRIFTED, "bun.lock changed since aaaaaaa"),
                argumentSet("the commit removing an ignore is judged by the rules before it", MAC1, C, D,
                        DriftStatus.IN_SYNC, "no relevant change since ccccccc"),
                argumentSet("a deployed revision whose section cannot be read: the daemon's rules alone", MAC1,
                        UNREADABLE, C, DriftStatus.DRIFTED, "bun.lock changed since eeeeeee"));
    }

    @ParameterizedTest
    @MethodSource("repositoryRules")
    void judgesChangesByTheRulesOfTheDeployedRevision(Target target, String deployed, String desired,
                                                     DriftStatus status, String reason) {
        List<String> ignore = new java.util.ArrayList<>(PlainConfig.defaults(ImpactConfig.class).ignore());
        ignore.add("fleetward.yaml");
        DriftResolver withSections = new DriftResolver(new ImpactRules(GitPathPatterns.INSTANCE, ignore), SECTIONS);

        Drift drift = withSections.resolve(target, desired, seen(target, MANUAL_PATH, null, deployed), LEDGER,
                HISTORY, ALL_USERS, Optional.empty());

        assertEquals(new Drift(target.id(), status, reason, desired, deployed), drift);
    }

    private static Observation seen(Target target, String currentPath, String bootedPath, String revision) {
        TargetId id = target.id();
        return new Observation(id, Instant.EPOCH, currentPath, bootedPath, revision, null);
    }
}
