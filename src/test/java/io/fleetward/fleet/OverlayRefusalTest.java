package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A malformed overlay is refused as a whole, naming file, line and key. */
class OverlayRefusalTest {

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unknown top-level key", "hostz:\n  good: {}\n", 1, "unknown key \"hostz\""),
                Arguments.of("unknown defaults key", "defaults:\n  domian: zt\n", 2,
                        "defaults: unknown key \"domian\""),
                Arguments.of("unknown host key", "hosts:\n  good:\n    trasnport: ssh\n", 3,
                        "hosts.good: unknown key \"trasnport\""),
                Arguments.of("unknown user key", "hosts:\n  good:\n    users:\n      - {name: cameron, mdoe: system}\n",
                        4, "hosts.good.users[0]: unknown key \"mdoe\""),
                Arguments.of("top level is a list", "- good\n", 1, "expected a mapping, got a list"),
                Arguments.of("hosts is a list", "hosts:\n  - good\n", 2, "hosts: expected a mapping, got a list"),
                Arguments.of("host is a string", "hosts:\n  good: ssh\n", 2,
                        "hosts.good: expected a mapping, got a string"),
                Arguments.of("tags is a string", "hosts:\n  good:\n    tags: workstation\n", 3,
                        "hosts.good.tags: expected a list, got a string"),
                Arguments.of("tag is a number", "hosts:\n  good:\n    tags:\n      - 42\n", 4,
                        "hosts.good.tags[0]: expected a string, got a number"),
                Arguments.of("users is a mapping", "hosts:\n  good:\n    users: {cameron: system}\n", 3,
                        "hosts.good.users: expected a list, got a mapping"),
                Arguments.of("user is a string", "hosts:\n  good:\n    users: [cameron]\n", 3,
                        "hosts.good.users[0]: expected a mapping, got a string"),
                Arguments.of("transport is a number", "defaults:\n  transport: 1\n", 2,
                        "defaults.transport: expected a string, got a number"),
                Arguments.of("unknown default transport", "defaults:\n  transport: telnet\n", 2,
                        "defaults.transport: expected one of local, ssh, got \"telnet\""),
                Arguments.of("unknown host transport", "hosts:\n  good:\n    transport: SSH\n", 3,
                        "hosts.good.transport: expected one of local, ssh, got \"SSH\""),
                Arguments.of("unknown mode", "hosts:\n  good:\n    users:\n      - name: cameron\n        mode: root\n",
                        5, "hosts.good.users[0].mode: expected one of system, standalone, got \"root\""),
                Arguments.of("user without name", "hosts:\n  good:\n    users:\n      - {mode: system}\n", 4,
                        "hosts.good.users[0]: missing key name"),
                Arguments.of("configuration on an embedded user",
                        "hosts:\n  good:\n    users:\n      - {name: cameron, configuration: cameron@good}\n", 4,
                        "hosts.good.users[0].configuration: only used with mode: standalone"),
                Arguments.of("duplicate host", "hosts:\n  good: {}\n  good: {}\n", 3, "duplicate key \"good\""),
                Arguments.of("malformed domain", "defaults:\n  domain: \"zt;reboot\"\n", 2,
                        "defaults.domain: expected a DNS name, got \"zt;reboot\""),
                Arguments.of("two documents", "hosts: {}\n---\nhosts: {}\n", 3, "more than one document"),
                Arguments.of("alias", "defaults: &d\n  domain: zt\nhosts:\n  good: *d\n", 4,
                        "YAML aliases are not supported"),
                Arguments.of("unclosed flow mapping", "hosts:\n  good: {transport: ssh\n", 3, "malformed YAML"),
                Arguments.of("bad indentation", "hosts:\n  good:\n    transport: ssh\n   tags: [a]\n", 4,
                        "malformed YAML"),
                Arguments.of("tab indentation", "hosts:\n\tgood: {}\n", 2, "malformed YAML"),
                Arguments.of("relative ssh identity", "hosts:\n  good:\n    ssh-identity: keys/id\n", 3,
                        "hosts.good.ssh-identity: expected an absolute path"),
                Arguments.of("ssh known-hosts with ..", "hosts:\n  good:\n    ssh-known-hosts: /etc/../root/kh\n", 3,
                        "hosts.good.ssh-known-hosts: expected an absolute path without '..'"),
                Arguments.of("a token instead of its hash", "hosts:\n  good:\n    report-token-sha256: s3cret-token\n",
                        3, "hosts.good.report-token-sha256: expected the token's SHA-256"),
                Arguments.of("wildcard beside a placeholder", "impact:\n  host-paths: [\"keys/{host}*.age\"]\n", 2,
                        "impact.host-paths[0]: the segment holding {host} may hold no wildcard"),
                Arguments.of("unknown impact key", "impact:\n  ignore: [a]\n  host-path: [\"h/{host}/**\"]\n", 3,
                        "impact: unknown key \"host-path\""),
                Arguments.of("impact is a list", "impact:\n  - bun.lock\n", 2, "impact: expected a mapping, got a list"),
                Arguments.of("impact ignore is a string", "impact:\n  ignore: bun.lock\n", 2,
                        "impact.ignore: expected a list, got a string"),
                Arguments.of("absolute ignore glob", "impact:\n  ignore:\n    - bun.lock\n    - /etc/**\n", 4,
                        "impact.ignore[1]: a glob is a relative path"),
                Arguments.of("ignore glob with ..", "impact:\n  ignore: [\"docs/../modules/**\"]\n", 2,
                        "impact.ignore[0]: a glob is a relative path"),
                Arguments.of("blank ignore glob", "impact:\n  ignore: [\"  \"]\n", 2, "impact.ignore[0]: empty glob"),
                Arguments.of("placeholder in ignore", "impact:\n  ignore: [\"hosts/{host}/**\"]\n", 2,
                        "impact.ignore[0]: no placeholder is allowed here"),
                Arguments.of("host path without {host}", "impact:\n  host-paths: [\"hosts-extra/**\"]\n", 2,
                        "impact.host-paths[0]: expected {host} exactly once"),
                Arguments.of("host path with {user}", "impact:\n  host-paths: [\"h/{host}/{user}/**\"]\n", 2,
                        "impact.host-paths[0]: no placeholder but {host} is allowed here"),
                Arguments.of("host path with {host} twice", "impact:\n  host-paths: [\"h/{host}/{host}\"]\n", 2,
                        "impact.host-paths[0]: expected {host} exactly once"),
                Arguments.of("user path with {host}", "impact:\n\n  user-paths: [\"dotfiles/{host}/**\"]\n", 3,
                        "impact.user-paths[0]: expected {user} exactly once"),
                Arguments.of("glob with a space", "impact:\n  ignore: [\"my docs/**\"]\n", 2,
                        "impact.ignore[0]: a glob is printable ASCII without spaces"),
                Arguments.of("health is a string", "hosts:\n  good:\n    health: \"true\"\n", 3,
                        "hosts.good.health: expected a list, got a string"),
                Arguments.of("empty health check", "hosts:\n  good:\n    health:\n      - \"true\"\n      - \" \"\n", 5,
                        "hosts.good.health[1]: expected one non-empty line of shell"),
                Arguments.of("health check of two lines", "hosts:\n  good:\n    health: [\"true\\nreboot\"]\n", 3,
                        "hosts.good.health[0]: expected one non-empty line of shell"),
                Arguments.of("unknown placeholder in a health check",
                        "hosts:\n  good:\n    health: [\"curl -f http://{address}/\"]\n", 3,
                        "hosts.good.health[0]: unknown placeholder {\"address\"}"));
    }

    @Test
    void theImpactSectionTravelsWithTheInventory() throws InventoryException {
        Inventory inventory = load("impact:\n  ignore: [packages/docs/**, bun.lock]\n"
                + "  host-paths: [\"hosts-extra/{host}/**\"]\n  user-paths: [\"dotfiles/{user}/**\"]\n");

        assertEquals(new ImpactSection(List.of("packages/docs/**", "bun.lock"), List.of("hosts-extra/{host}/**"),
                List.of("dotfiles/{user}/**")), inventory.impact());
        assertEquals(ImpactSection.NONE, load("hosts:\n  good: {}\n").impact());
        assertEquals(ImpactSection.NONE, load("impact:\n").impact());
    }

    @Test
    void aHostsHealthChecksReachTheHost() throws InventoryException {
        Host host = load("hosts:\n  good:\n    health: [\"systemctl is-system-running --wait\", "
                + "\"curl -fsS http://{host}.zt/healthz\"]\n").hosts().get("good");

        assertEquals(List.of("systemctl is-system-running --wait", "curl -fsS http://{host}.zt/healthz"), host.health());
        assertEquals(List.of(), load("hosts:\n  good: {}\n").hosts().get("good").health());
    }

    @Test
    void aRefusedTokenHashIsNotRepeated() {
        InventoryException refused = assertThrows(InventoryException.class,
                () -> load("hosts:\n  good:\n    report-token-sha256: s3cret-token\n"));

        assertFalse(refused.getMessage().contains("s3cret"), refused::getMessage);
    }

    @Test
    void perHostSshFilesAndTokenHashReachTheHost(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path keys = dir.toRealPath();
        String hash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
        Host host = new InventoryLoader("fleetward.yaml", Optional.empty(), "local", KeyDirectory.of(keys))
                .load(new InMemoryRevisionFiles().file("modules/machines/nixos/good/default.nix", "{ }\n")
                        .file("fleetward.yaml", "hosts:\n  good:\n    ssh-identity: " + keys.resolve("good_ed25519")
                                + "\n    ssh-known-hosts: " + keys.resolve("good_known_hosts")
                                + "\n    report-token-sha256: " + hash + "\n"), Optional.empty())
                .hosts().get("good");

        assertEquals(new SshOverrides(keys.resolve("good_ed25519"), keys.resolve("good_known_hosts")), host.ssh());
        assertEquals(hash.toLowerCase(Locale.ROOT), host.reportTokenHash());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesTheWholeOverlay(String name, String overlay, int line, String message) {
        InventoryException refused = assertThrows(InventoryException.class, () -> load(overlay));

        assertEquals("fleetward.yaml", refused.problem().path());
        assertEquals(line, refused.problem().line(), refused::getMessage);
        assertTrue(refused.problem().message().contains(message), refused::getMessage);
        assertTrue(refused.getMessage().startsWith("fleetward.yaml:" + line + ": "), refused::getMessage);
        assertTrue(refused.getMessage().chars().noneMatch(c -> c < 0x20), "one printable line");
    }

    static Stream<String> malformedTargetHosts() {
        return Stream.of("-oProxyCommand=reboot", "root@-oProxyCommand=reboot", "root@host:0", "root@host:65536",
                "root@host:", "root@host:ssh", "a@b@c", "root@fe80::1", "root@[zz::1]", "root@[fe80::1%eth0]",
                "root@host;reboot", "root@1.2.3.256", "root@$(reboot)", "root@host name", "Root@host", "@host",
                "root@", "root@host..zt", "root@host/x", "root@host\nx", "root@[::1", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTargetHosts")
    void refusesAMalformedTargetHost(String targetHost) {
        InventoryException refused = assertThrows(InventoryException.class,
                () -> load("hosts:\n  good:\n    target-host: " + HostileNamesTest.quoted(targetHost) + "\n"));

        assertEquals(3, refused.problem().line());
        assertTrue(refused.problem().message().startsWith("hosts.good.target-host: malformed target-host "
                + Names.printable(targetHost) + ": "), refused::getMessage);
    }

    private static Inventory load(String overlay) throws InventoryException {
        return new InventoryLoader("fleetward.yaml", Optional.empty(), "local").load(new InMemoryRevisionFiles()
                .file("modules/machines/nixos/good/default.nix", "{ }\n")
                .file("fleetward.yaml", overlay), Optional.empty());
    }
}
