package io.fleetward.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code rollout:} and {@code windows:} sections: read into {@link RolloutRules}, or refused at their line. */
class RolloutSectionTest {

    @Test
    void theIssuesExampleReadsAsWritten() throws InventoryException {
        RolloutRules rules = load("""
                rollout:
                  waves:
                    - {name: canary, tags: [canary]}
                    - {name: servers, tags: [server]}
                    - {name: rest}
                  soak: 5m
                  halt-on-failure: true
                windows:
                  - {kind: deny, schedule: "0 9 * * 1-5", duration: 9h, tags: [workstation], timezone: Europe/Berlin}
                  - {kind: allow, schedule: "0 2 * * *", duration: 3h, hosts: [cinnabar], manual-sync: false}
                """).rollout();

        assertThat(rules.waves()).extracting(RolloutRules.Wave::name).containsExactly("canary", "servers", "rest");
        assertThat(rules.waves().get(0).tags()).containsExactly("canary");
        assertThat(rules.waves().get(2).tags()).isEmpty();
        assertThat(rules.soak()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rules.haltOnFailure()).isTrue();
        MaintenanceWindow deny = rules.windows().get(0);
        assertThat(deny.kind()).isEqualTo(MaintenanceWindow.Kind.DENY);
        assertThat(deny.schedule().text()).isEqualTo("0 9 * * 1-5");
        assertThat(deny.duration()).isEqualTo(Duration.ofHours(9));
        assertThat(deny.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(deny.manualSync()).isTrue();
        assertThat(deny.line()).isEqualTo(9);
        MaintenanceWindow allow = rules.windows().get(1);
        assertThat(allow.hosts()).containsExactly("cinnabar");
        assertThat(allow.timezone().getId()).as("UTC by default").isEqualTo("UTC");
        assertThat(allow.manualSync()).isFalse();
    }

    @Test
    void withoutTheSectionsThereIsOneWaveAndNoWindow() throws InventoryException {
        assertThat(load("hosts:\n  good: {}\n").rollout()).isEqualTo(RolloutRules.NONE);
        assertThat(load("rollout:\nwindows:\n").rollout()).isEqualTo(RolloutRules.NONE);
        assertThat(load("rollout:\n  halt-on-failure: false\n  soak: 1h30m\n").rollout())
                .isEqualTo(new RolloutRules(List.of(), Duration.ofMinutes(90), false, List.of()));
        assertThat(load("rollout:\n  soak: 5m\n").rollout().haltOnFailure()).as("on by default in a rollout: section")
                .isTrue();
        assertThat(RolloutRules.NONE.haltOnFailure()).as("without one nothing halts, as before").isFalse();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unknown rollout key", "rollout:\n  waves: []\n  soak-time: 5m\n", 3,
                        "rollout: unknown key \"soak-time\""),
                Arguments.of("unknown wave key", "rollout:\n  waves:\n    - {name: canary, tag: [canary]}\n", 3,
                        "rollout.waves[0]: unknown key \"tag\""),
                Arguments.of("wave name used twice",
                        "rollout:\n  waves:\n    - {name: canary, tags: [canary]}\n    - {name: canary, tags: [server]}\n",
                        4, "rollout.waves[1].name: wave canary is already declared"),
                Arguments.of("wave without name", "rollout:\n  waves:\n    - {tags: [canary]}\n", 3,
                        "rollout.waves[0]: missing key name"),
                Arguments.of("wave after the catch-all wave",
                        "rollout:\n  waves:\n    - {name: rest}\n    - {name: servers, tags: [server]}\n", 4,
                        "wave servers comes after wave rest"),
                Arguments.of("malformed wave tag", "rollout:\n  waves:\n    - name: canary\n      tags: [\"can ary\"]\n",
                        4, "rollout.waves[0].tags[0]"),
                Arguments.of("bad soak", "rollout:\n  soak: 5 minutes\n", 2,
                        "rollout.soak: expected a duration such as 90s, 5m, 9h or 1h30m, got \"5 minutes\""),
                Arguments.of("soak as a number", "rollout:\n  soak: 300\n", 2,
                        "rollout.soak: expected a string, got a number"),
                Arguments.of("halt-on-failure as a string", "rollout:\n  halt-on-failure: \"yes\"\n", 2,
                        "rollout.halt-on-failure: expected true or false"),
                Arguments.of("unknown window key",
                        "windows:\n  - kind: deny\n    schedule: \"0 9 * * *\"\n    duration: 1h\n    zone: UTC\n", 5,
                        "windows[0]: unknown key \"zone\""),
                Arguments.of("unknown window kind", "windows:\n  - {kind: block, schedule: \"0 9 * * *\", duration: 1h}\n",
                        2, "windows[0].kind: expected one of allow, deny, got \"block\""),
                Arguments.of("window without kind", "windows:\n  - {schedule: \"0 9 * * *\", duration: 1h}\n", 2,
                        "windows[0]: missing key kind"),
                Arguments.of("six-field cron", "windows:\n  - kind: deny\n    schedule: \"0 0 9 * * *\"\n    duration: 1h\n",
                        3, "windows[0].schedule: malformed cron expression \"0 0 9 * * *\": expected 5 fields"),
                Arguments.of("cron out of range", "windows:\n  - kind: deny\n    schedule: \"0 25 * * *\"\n    duration: 1h\n",
                        3, "windows[0].schedule: malformed cron expression \"0 25 * * *\""),
                Arguments.of("cron gibberish", "windows:\n  - kind: deny\n    schedule: \"at nine\"\n    duration: 1h\n",
                        3, "windows[0].schedule: malformed cron expression"),
                Arguments.of("window without duration", "windows:\n  - {kind: allow, schedule: \"0 2 * * *\"}\n", 2,
                        "windows[0]: missing key duration"),
                Arguments.of("bad window duration",
                        "windows:\n  - kind: allow\n    schedule: \"0 2 * * *\"\n    duration: 3 hours\n", 4,
                        "windows[0].duration: expected a duration"),
                Arguments.of("zero window duration",
                        "windows:\n  - kind: allow\n    schedule: \"0 2 * * *\"\n    duration: 0m\n", 4,
                        "windows[0].duration: a window lasts longer than zero"),
                Arguments.of("unknown time zone",
                        "windows:\n  - kind: allow\n    schedule: \"0 2 * * *\"\n    duration: 3h\n"
                                + "    timezone: Europe/Atlantis\n", 5,
                        "windows[0].timezone: unknown time zone \"Europe/Atlantis\""),
                Arguments.of("manual-sync as a string",
                        "windows:\n  - kind: allow\n    schedule: \"0 2 * * *\"\n    duration: 3h\n"
                                + "    manual-sync: \"no\"\n", 5, "windows[0].manual-sync: expected true or false"),
                Arguments.of("malformed window host",
                        "windows:\n  - kind: allow\n    schedule: \"0 2 * * *\"\n    duration: 3h\n"
                                + "    hosts: [\"-oProxyCommand\"]\n", 5, "windows[0].hosts[0]"),
                Arguments.of("windows is a mapping", "windows:\n  deny: \"0 9 * * *\"\n", 2,
                        "windows: expected a list, got a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesTheWholeOverlayAtTheLine(String name, String overlay, int line, String message) {
        InventoryException refused = assertThrows(InventoryException.class, () -> load(overlay));

        assertThat(refused.getMessage()).startsWith("fleetward.yaml:" + line + ": ").contains(message);
        assertThat(refused.getMessage().chars()).as("one printable line").noneMatch(c -> c < 0x20);
    }

    private static Inventory load(String overlay) throws InventoryException {
        return new InventoryLoader("fleetward.yaml", Optional.empty(), "local").load(new InMemoryRevisionFiles()
                .file("modules/machines/nixos/good/default.nix", "{ }\n")
                .file("fleetward.yaml", overlay), Optional.empty());
    }
}
