package io.fleetward.drift;

import io.fleetward.source.GitPathPatterns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.config.ImpactConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImpactRulesTest {
    private static final List<String> ALL_USERS = List.of("alice", "bob", "carol");

    private static final Target WEB1 = system("web1", Platform.NIXOS, List.of("alice"));
    private static final Target MAC1 = system("mac1", Platform.DARWIN, List.of("alice"));
    private static final Target UNDECLARED = system("web1", Platform.NIXOS, null);
    private static final Target BOB_ON_WEB1 = home("bob", "web1", Platform.NIXOS);
    private static final Target BOB_ON_MAC1 = home("bob", "mac1", Platform.DARWIN);

    private final ImpactRules rules = new ImpactRules(GitPathPatterns.INSTANCE, PlainConfig.defaults(ImpactConfig.class).ignore());

    static Stream<Arguments> defaultRules() {
        return Stream.of(
                // system targets
                argumentSet("own host folder affects", WEB1,
                        Set.of("modules/machines/nixos/web1/configuration.nix"),
                        "modules/machines/nixos/web1/configuration.nix"),
                argumentSet("other host folder does not", WEB1,
                        Set.of("modules/machines/nixos/web2/configuration.nix"), null),
                argumentSet("same host name under the other platform does not", WEB1,
                        Set.of("modules/machines/darwin/web1/configuration.nix"), null),
                argumentSet("embedded user folder affects", WEB1,
                        Set.of("modules/home/users/alice/home.nix"), "modules/home/users/alice/home.nix"),
                argumentSet("non-embedded user folder does not", WEB1,
                        Set.of("modules/home/users/bob/home.nix"), null),
                argumentSet("user sub-folder not in the user list is a user folder", WEB1,
                        Set.of("modules/home/users/dave/home.nix"), null),
                argumentSet("undeclared users: every user folder affects", UNDECLARED,
                        Set.of("modules/home/users/bob/home.nix"), "modules/home/users/bob/home.nix"),
                argumentSet("undeclared users: also folders not in the user list", UNDECLARED,
                        Set.of("modules/home/users/dave/home.nix"), "modules/home/users/dave/home.nix"),
                argumentSet("shared file in the users folder affects systems", WEB1,
                        Set.of("modules/home/users/lib.nix"), "modules/home/users/lib.nix"),
                argumentSet("bare entry named like a user is that user's", WEB1,
                        Set.of("modules/home/users/bob"), null),
                argumentSet("bare entry not named like a user is shared", WEB1,
                        Set.of("modules/home/users/default"), "modules/home/users/default"),
                argumentSet("modules/nixos affects a NixOS host", WEB1,
                        Set.of("modules/nixos/base.nix"), "modules/nixos/base.nix"),
                argumentSet("modules/nixos does not affect a darwin host", MAC1,
                        Set.of("modules/nixos/base.nix"), null),
                argumentSet("modules/darwin affects a darwin host", MAC1,
                        Set.of("modules/darwin/base.nix"), "modules/darwin/base.nix"),
                argumentSet("modules/darwin does not affect a NixOS host", WEB1,
                        Set.of("modules/darwin/base.nix"), null),
                argumentSet("flake.lock affects a system", WEB1, Set.of("flake.lock"), "flake.lock"),
                argumentSet("other shared module affects a system", MAC1,
                        Set.of("modules/home/shared/git.nix"), "modules/home/shared/git.nix"),
                argumentSet("file directly in modules/machines affects every system", MAC1,
                        Set.of("modules/machines/default.nix"), "modules/machines/default.nix"),
                argumentSet("file directly in a platform folder affects its hosts", WEB1,
                        Set.of("modules/machines/nixos/common.nix"), "modules/machines/nixos/common.nix"),
                argumentSet("file directly in a platform folder spares the other platform", MAC1,
                        Set.of("modules/machines/nixos/common.nix"), null),
                argumentSet("ignored *.md at the root", WEB1, Set.of("README.md"), null),
                argumentSet("ignored *.md inside the own host folder", WEB1,
                        Set.of("modules/machines/nixos/web1/NOTES.md"), null),
                argumentSet("ignored docs/**", WEB1, Set.of("docs/setup/hosts.nix"), null),
                argumentSet("ignored .github/**", WEB1, Set.of(".github/workflows/ci.yml"), null),
                argumentSet("ignored paths do not hide relevant ones", WEB1,
                        Set.of("README.md", "docs/a.nix", "flake.lock"), "flake.lock"),
                argumentSet("the first affecting path in sorted order is named", WEB1,
                        Set.of("modules/shared/z.nix", "modules/machines/nixos/web1/a.nix",
                                "modules/home/users/alice/a.nix", "flake.nix", "modules/machines/nixos/web2/0.nix"),
                        "flake.nix"),
                argumentSet("the first among classes, not the first path overall", WEB1,
                        Set.of("modules/darwin/a.nix", "modules/home/users/bob/a.nix",
                                "modules/machines/nixos/web1/z.nix"),
                        "modules/machines/nixos/web1/z.nix"),
                argumentSet("no changed paths", WEB1, Set.of(), null),
                // clan-core vars and secrets
                argumentSet("clan: own per-machine vars affect", WEB1,
                        Set.of("vars/per-machine/web1/ssh/value"), "vars/per-machine/web1/ssh/value"),
                argumentSet("clan: another host's per-machine vars do not", WEB1,
                        Set.of("vars/per-machine/web2/ssh/value"), null),
                argumentSet("clan: per-machine vars follow the host whatever its platform", MAC1,
                        Set.of("vars/per-machine/mac1/ssh/value"), "vars/per-machine/mac1/ssh/value"),
                argumentSet("clan: own sops machine key affects", WEB1,
                        Set.of("sops/machines/web1/key.json"), "sops/machines/web1/key.json"),
                argumentSet("clan: another host's sops machine key does not", WEB1,
                        Set.of("sops/machines/web10/key.json"), null),
                argumentSet("clan: own age key secret affects", WEB1,
                        Set.of("sops/secrets/web1-age.key/secret"), "sops/secrets/web1-age.key/secret"),
                argumentSet("clan: another host's age key secret does not", WEB1,
                        Set.of("sops/secrets/web2-age.key/secret"), null),
                argumentSet("clan: other sops secrets stay shared", WEB1,
                        Set.of("sops/secrets/api-token/secret"), "sops/secrets/api-token/secret"),
                argumentSet("clan: shared vars affect every system", MAC1,
                        Set.of("vars/shared/wifi/value"), "vars/shared/wifi/value"),
                argumentSet("clan: embedded user's home-manager secrets affect", WEB1,
                        Set.of("secrets/home-manager/users/alice/env.yaml"),
                        "secrets/home-manager/users/alice/env.yaml"),
                argumentSet("clan: another user's home-manager secrets do not", WEB1,
                        Set.of("secrets/home-manager/users/bob/env.yaml"), null),
                argumentSet("clan: undeclared users: every user's secrets affect", UNDECLARED,
                        Set.of("sops/users/bob/key.json"), "sops/users/bob/key.json"),
                argumentSet("clan: another user's sops key does not", WEB1,
                        Set.of("sops/users/bob/key.json"), null),
                argumentSet("clan: host paths are not shared among other paths", WEB1,
                        Set.of("vars/per-machine/web2/a", "sops/machines/mac1/key.json", "flake.lock"), "flake.lock"),
                argumentSet("home: own user's home-manager secrets affect", BOB_ON_WEB1,
                        Set.of("secrets/home-manager/users/bob/env.yaml"), "secrets/home-manager/users/bob/env.yaml"),
                argumentSet("home: own user's sops key affects", BOB_ON_MAC1,
                        Set.of("sops/users/bob/key.json"), "sops/users/bob/key.json"),
                argumentSet("home: another user's secrets do not", BOB_ON_WEB1,
                        Set.of("secrets/home-manager/users/alice/env.yaml", "sops/users/alice/key.json"), null),
                argumentSet("home: the host's per-machine vars do not", BOB_ON_WEB1,
                        Set.of("vars/per-machine/web1/ssh/value", "sops/machines/web1/key.json"), null),
                argumentSet("home: shared vars do not", BOB_ON_WEB1, Set.of("vars/shared/wifi/value"), null),
                // home targets
                argumentSet("home: own user folder affects", BOB_ON_WEB1,
                        Set.of("modules/home/users/bob/home.nix"), "modules/home/users/bob/home.nix"),
                argumentSet("home: other user folder does not", BOB_ON_WEB1,
                        Set.of("modules/home/users/alice/home.nix"), null),
                argumentSet("home: bare entry named like the user is the user's", BOB_ON_WEB1,
                        Set.of("modules/home/users/bob"), "modules/home/users/bob"),
                argumentSet("home: own host folder does not", BOB_ON_WEB1,
                        Set.of("modules/machines/nixos/web1/configuration.nix"), null),
                argumentSet("home: file directly in modules/machines does not", BOB_ON_WEB1,
                        Set.of("modules/machines/default.nix"), null),
                argumentSet("home: modules/nixos does not", BOB_ON_WEB1, Set.of("modules/nixos/base.nix"), null),
                argumentSet("home: modules/darwin does not", BOB_ON_MAC1, Set.of("modules/darwin/base.nix"), null),
                argumentSet("home: flake.lock affects", BOB_ON_WEB1, Set.of("flake.lock"), "flake.lock"),
                argumentSet("home: shared file in the users folder affects", BOB_ON_MAC1,
                        Set.of("modules/home/users/lib.nix"), "modules/home/users/lib.nix"),
                argumentSet("home: ignored *.md in the own user folder", BOB_ON_WEB1,
                        Set.of("modules/home/users/bob/README.md"), null));
    }

    @ParameterizedTest
    @MethodSource("defaultRules")
    void decidesWhetherAChangeAffectsTheTarget(Target target, Set<String> changed, String expected) {
        assertEquals(Optional.ofNullable(expected), rules.firstAffecting(target, ALL_USERS, changed));
    }

    static Stream<Arguments> ignoreLists() {
        return Stream.of(
                argumentSet("custom glob ignores matching paths", List.of("secrets/*.age"),
                        "secrets/web1.age", null),
                argumentSet("custom glob replaces the defaults", List.of("secrets/*.age"),
                        "README.md", "README.md"),
                argumentSet("* stays within one folder", List.of("secrets/*.age"),
                        "secrets/hosts/web1.age", "secrets/hosts/web1.age"),
                argumentSet("blank entries are skipped", List.of(" ", " docs/** "), "docs/x.nix", null),
                argumentSet("no ignore list ignores nothing", List.of(), "docs/x.nix", "docs/x.nix"));
    }

    @ParameterizedTest
    @MethodSource("ignoreLists")
    void honoursTheConfiguredIgnoreList(List<String> ignore, String path, String expected) {
        assertEquals(Optional.ofNullable(expected),
                new ImpactRules(GitPathPatterns.INSTANCE, ignore).firstAffecting(WEB1, ALL_USERS, Set.of(path)));
    }

    static Stream<Arguments> extraRules() {
        ImpactRules extra = new ImpactRules(GitPathPatterns.INSTANCE, List.of("**/*.md")).plus(List.of("bun.lock", "terraform/**"),
                List.of("hosts-extra/{host}/**"), List.of("dotfiles/{user}/**"));
        return Stream.of(
                argumentSet("added ignore", extra, WEB1, "terraform/main.tf", null),
                argumentSet("added ignore keeps the base ones", extra, WEB1, "README.md", null),
                argumentSet("added host path: own host", extra, WEB1, "hosts-extra/web1/a.nix", "hosts-extra/web1/a.nix"),
                argumentSet("added host path: other host", extra, WEB1, "hosts-extra/web2/a.nix", null),
                argumentSet("added host path: not a home target's", extra, BOB_ON_WEB1, "hosts-extra/web1/a.nix", null),
                argumentSet("added user path: embedded user", extra, WEB1, "dotfiles/alice/rc", "dotfiles/alice/rc"),
                argumentSet("added user path: other user", extra, WEB1, "dotfiles/bob/rc", null),
                argumentSet("added user path: the user's home target", extra, BOB_ON_MAC1, "dotfiles/bob/rc",
                        "dotfiles/bob/rc"),
                argumentSet("added rules keep the clan defaults", extra, WEB1, "vars/per-machine/web2/a", null),
                argumentSet("without clan paths they are shared", new ImpactRules(GitPathPatterns.INSTANCE, List.of(), List.of(), List.of(),
                        List.of()), WEB1, "vars/per-machine/web2/a", "vars/per-machine/web2/a"));
    }

    @ParameterizedTest
    @MethodSource("extraRules")
    void honoursAddedIgnoresHostPathsAndUserPaths(ImpactRules extra, Target target, String path, String expected) {
        assertEquals(Optional.ofNullable(expected), extra.firstAffecting(target, ALL_USERS, Set.of(path)));
    }

    @Test
    void refusesHostAndUserGlobsWithoutTheirPlaceholder() {
        ImpactRules base = new ImpactRules(GitPathPatterns.INSTANCE, List.of());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> base.plus(List.of(), List.of("hosts-extra/**"), List.of()));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> base.plus(List.of(), List.of(), List.of("dotfiles/{host}/**")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> base.plus(List.of(), List.of("a/{host}/{host}/**"), List.of()));
    }

    @Test
    void answersEachChangeSetInstanceByItsOwnContent() {
        Set<String> hostChange = Set.of("modules/machines/nixos/web1/configuration.nix");
        Set<String> otherHostChange = Set.of("modules/machines/nixos/web2/configuration.nix");
        for (int round = 0; round < 3; round++) {
            assertEquals(Optional.of("modules/machines/nixos/web1/configuration.nix"),
                    rules.firstAffecting(WEB1, ALL_USERS, hostChange));
            assertEquals(Optional.empty(), rules.firstAffecting(WEB1, ALL_USERS, otherHostChange));
        }
    }

    @Test
    void decidesBareUserEntriesAgainstTheUserListGiven() {
        Set<String> changed = Set.of("modules/home/users/dave");
        assertEquals(Optional.of("modules/home/users/dave"), rules.firstAffecting(WEB1, ALL_USERS, changed));
        assertEquals(Optional.empty(), rules.firstAffecting(WEB1, List.of("alice", "dave"), changed));
        assertEquals(Optional.of("modules/home/users/dave"),
                rules.firstAffecting(home("dave", "web1", Platform.NIXOS), List.of("alice", "dave"), changed));
    }

    @Test
    void stillAnswersCorrectlyAfterManyOtherChangeSets() {
        Set<String> first = Set.of("flake.lock");
        assertEquals(Optional.of("flake.lock"), rules.firstAffecting(WEB1, ALL_USERS, first));
        for (int i = 0; i < 200; i++) {
            Set<String> other = Set.of("modules/machines/nixos/web" + (i + 2) + "/a.nix");
            assertEquals(Optional.empty(), rules.firstAffecting(WEB1, ALL_USERS, other));
        }
        assertEquals(Optional.of("flake.lock"), rules.firstAffecting(WEB1, ALL_USERS, first));
    }

    static Target system(String host, Platform platform, List<String> embeddedUsers) {
        return new Target(TargetId.system(host), host(host, platform), null, embeddedUsers);
    }

    static Target home(String user, String host, Platform platform) {
        return new Target(TargetId.home(user, host), host(host, platform), user + "@" + host, List.of());
    }

    private static Host host(String name, Platform platform) {
        return new Host(name, platform, "root@" + name, "ssh", List.of(), List.of(), true);
    }
}
