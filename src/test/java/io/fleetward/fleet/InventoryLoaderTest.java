package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class InventoryLoaderTest {
    private final InventoryLoader loader = new InventoryLoader("fleetward.yaml", Optional.empty(), "local");

    static InMemoryRevisionFiles layout(String... entries) {
        InMemoryRevisionFiles files = new InMemoryRevisionFiles();
        for (String entry : entries) {
            files.file(entry, "{ }\n");
        }
        return files;
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("empty repository", layout("flake.nix"), "", "", 0),
                Arguments.of("both platforms", layout(
                        "modules/machines/darwin/rosegold/default.nix",
                        "modules/machines/darwin/stibnite/default.nix",
                        "modules/machines/nixos/cinnabar/default.nix"),
                        "cinnabar:nixos rosegold:darwin stibnite:darwin", "", 0),
                Arguments.of("users and shared files under the users folder", layout(
                        "modules/machines/nixos/cinnabar/default.nix",
                        "modules/home/users/cameron/default.nix",
                        "modules/home/users/crs58/git.nix",
                        "modules/home/users/default.nix",
                        "modules/home/users/lib.nix"),
                        "cinnabar:nixos", "cameron crs58", 0),
                Arguments.of("files directly under the machine folders are not hosts", layout(
                        "modules/machines/darwin/default.nix",
                        "modules/machines/nixos/common.nix",
                        "modules/machines/nixos/galena/default.nix"),
                        "galena:nixos", "", 0),
                Arguments.of("a host under both platforms is skipped", layout(
                        "modules/machines/darwin/twin/default.nix",
                        "modules/machines/nixos/twin/default.nix",
                        "modules/machines/nixos/galena/default.nix"),
                        "galena:nixos", "", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void discoversHostsAndUsersFromTheLayout(String name, InMemoryRevisionFiles files, String hosts, String users,
                                             int problems) throws Exception {
        Inventory inventory = loader.load(files, Optional.empty());

        assertEquals(hosts, inventory.hosts().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .map(h -> h.name() + ":" + h.platform().label()).collect(Collectors.joining(" ")));
        assertEquals(words(users), inventory.allUsers());
        assertEquals(problems, inventory.problems().size(), () -> inventory.problems().toString());
        assertEquals(inventory.hosts().keySet().stream().sorted().map(h -> "system:" + h).toList(),
                ids(inventory));
        assertEquals(files.revision(), inventory.revision());
    }

    @Test
    void aHostUnderBothPlatformsIsNamedWithBothFolders() throws Exception {
        Inventory inventory = loader.load(layout("modules/machines/darwin/twin/a.nix",
                "modules/machines/nixos/twin/a.nix"), Optional.empty());

        assertEquals(List.of("modules/machines/nixos/twin: host twin also exists under modules/machines/darwin/; "
                + "a host must have one platform; host skipped"), problemTexts(inventory));
        assertTrue(inventory.targets().isEmpty());
    }

    static Stream<Arguments> overlays() {
        return Stream.of(
                Arguments.of("no overlay entry: defaults", "hosts: {}\n",
                        (Consumer<Host>) h -> {
                            assertEquals("root@rosegold", h.targetHost());
                            assertEquals("local", h.transport());
                            assertEquals(List.of(), h.tags());
                            assertEquals(List.of(), h.users());
                            assertEquals(false, h.usersDeclared());
                        }),
                Arguments.of("empty overlay file", "# nothing yet\n",
                        (Consumer<Host>) h -> assertEquals("root@rosegold", h.targetHost())),
                Arguments.of("target-host, transport and tags", """
                        hosts:
                          rosegold:
                            target-host: cameron@rosegold.zt:2222
                            transport: ssh
                            tags: [workstation, darwin]
                        """,
                        (Consumer<Host>) h -> {
                            assertEquals("cameron@rosegold.zt:2222", h.targetHost());
                            assertEquals("ssh", h.transport());
                            assertEquals(List.of("darwin", "workstation"), h.tags());
                        }),
                Arguments.of("defaults.transport applies to hosts without one", """
                        defaults:
                          transport: ssh
                        hosts:
                          rosegold: {}
                        """,
                        (Consumer<Host>) h -> assertEquals("ssh", h.transport())),
                Arguments.of("host transport wins over defaults.transport", """
                        defaults:
                          transport: ssh
                        hosts:
                          rosegold:
                            transport: local
                        """,
                        (Consumer<Host>) h -> assertEquals("local", h.transport())),
                Arguments.of("null values mean not set", """
                        defaults:
                        hosts:
                          rosegold:
                            target-host:
                            users:
                        """,
                        (Consumer<Host>) h -> {
                            assertEquals("root@rosegold", h.targetHost());
                            assertEquals(false, h.usersDeclared());
                        }),
                Arguments.of("an empty users list declares no users", """
                        hosts:
                          rosegold:
                            users: []
                        """,
                        (Consumer<Host>) h -> {
                            assertEquals(List.of(), h.users());
                            assertEquals(true, h.usersDeclared());
                        }),
                Arguments.of("users sorted, mode defaults to system, configuration defaults to user@host", """
                        hosts:
                          rosegold:
                            users:
                              - {name: janettesmith, mode: standalone}
                              - {name: cameron}
                              - {name: guest, mode: standalone, configuration: guest}
                        """,
                        (Consumer<Host>) h -> assertEquals(List.of(
                                new HostUser("cameron", UserMode.SYSTEM, null),
                                new HostUser("guest", UserMode.STANDALONE, "guest"),
                                new HostUser("janettesmith", UserMode.STANDALONE, "janettesmith@rosegold")),
                                h.users())),
                Arguments.of("invalid tags are dropped", """
                        hosts:
                          rosegold:
                            tags: [workstation, "Bad Tag"]
                        """,
                        (Consumer<Host>) h -> assertEquals(List.of("workstation"), h.tags())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void mergesTheOverlay(String name, String overlay, Consumer<Host> expectations) throws Exception {
        Inventory inventory = loader.load(layout("modules/machines/darwin/rosegold/default.nix")
                .file("fleetward.yaml", overlay), Optional.empty());

        expectations.accept(inventory.hosts().get("rosegold"));
        assertEquals(Platform.DARWIN, inventory.hosts().get("rosegold").platform());
    }

    @Test
    void anInvalidTagIsAProblemWithItsLine() throws Exception {
        Inventory inventory = loader.load(layout("modules/machines/darwin/rosegold/default.nix")
                .file("fleetward.yaml", "hosts:\n  rosegold:\n    tags:\n      - ok\n      - \"a;b\"\n"),
                Optional.empty());

        assertEquals(List.of("fleetward.yaml:5: hosts.rosegold.tags: " + Names.rejection("a;b") + "; dropped"),
                problemTexts(inventory));
    }

    @Test
    void anOverlayHostWithoutFolderIsSkipped() throws Exception {
        Inventory inventory = loader.load(layout("modules/machines/nixos/cinnabar/default.nix")
                .file("fleetward.yaml", "hosts:\n  cinnabar: {}\n  ghost:\n    transport: ssh\n"), Optional.empty());

        assertEquals(List.of("system:cinnabar"), ids(inventory));
        assertEquals(List.of("fleetward.yaml:3: hosts.ghost: no folder under modules/machines/darwin/ or "
                + "modules/machines/nixos/ and not in the inventory command output; host skipped"),
                problemTexts(inventory));
    }

    @Test
    void anOverlayAtAnotherPathIsRead() throws Exception {
        InventoryLoader custom = new InventoryLoader("ops/fleet.yaml", Optional.empty(), "local");
        InMemoryRevisionFiles files = layout("modules/machines/nixos/cinnabar/default.nix")
                .file("ops/fleet.yaml", "hosts:\n  cinnabar:\n    transport: ssh\n")
                .file("fleetward.yaml", "hosts:\n  cinnabar:\n    transport: local\n");

        assertEquals("ssh", custom.load(files, Optional.empty()).hosts().get("cinnabar").transport());
    }

    @ParameterizedTest(name = "constructor domain {0}, overlay domain {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "-,       -,           root@cinnabar",
            "zt,      -,           root@cinnabar.zt",
            "-,       zt,          root@cinnabar.zt",
            "zt,      example.org, root@cinnabar.example.org",
            "'',      -,           root@cinnabar",
    })
    void defaultTargetHostUsesTheDomain(String constructorDomain, String overlayDomain, String expected)
            throws Exception {
        InventoryLoader withDomain = new InventoryLoader("fleetward.yaml", Optional.ofNullable(constructorDomain),
                "ssh");
        InMemoryRevisionFiles files = layout("modules/machines/nixos/cinnabar/default.nix");
        if (overlayDomain != null) {
            files.file("fleetward.yaml", "defaults:\n  domain: " + overlayDomain + "\n");
        }

        Host host = withDomain.load(files, Optional.empty()).hosts().get("cinnabar");

        assertEquals(expected, host.targetHost());
        assertEquals("ssh", host.transport());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no users declared       | ''                                                                 | system:galena | *      | ''",
            "empty users             | []                                                                 | system:galena | ''     | ''",
            "embedded only           | [{name: cameron, mode: system}]                                    | system:galena | cameron | ''",
            "standalone only         | [{name: guest, mode: standalone}]                                  | home:guest@galena system:galena | '' | guest@galena",
            "mixed                   | [{name: b, mode: system}, {name: a, mode: system}, {name: g, mode: standalone, configuration: g@shared}] | home:g@galena system:galena | a b | g@shared",
    })
    void usersBecomeTargets(String name, String users, String expectedIds, String embedded, String configurations)
            throws Exception {
        String overlay = users.isEmpty() ? "hosts:\n  galena: {}\n" : "hosts:\n  galena:\n    users: " + users + "\n";
        Inventory inventory = loader.load(layout("modules/machines/nixos/galena/default.nix")
                .file("fleetward.yaml", overlay), Optional.empty());

        assertEquals(words(expectedIds), ids(inventory));
        Target system = target(inventory, "system:galena");
        if (embedded.equals("*")) {
            assertNull(system.embeddedUsers(), "undeclared users: every user folder affects the host");
        } else {
            assertEquals(words(embedded), system.embeddedUsers());
        }
        assertNull(system.configuration());
        List<Target> homes = inventory.targets().stream().filter(t -> t.kind() == TargetKind.HOME).toList();
        assertEquals(words(configurations), homes.stream().map(Target::configuration).toList());
        homes.forEach(home -> assertEquals(List.of(), home.embeddedUsers()));
        homes.forEach(home -> assertEquals("galena", home.host().name()));
    }

    static final String REFERENCE_OVERLAY = """
            defaults:
              domain: zt
            hosts:
              stibnite:
                users: [{name: crs58, mode: system}]
              blackphos:
                users:
                  - {name: raquel, mode: system}
                  - {name: crs58, mode: system}
              rosegold:
                target-host: cameron@rosegold.zt
                transport: ssh
                tags: [darwin, workstation]
                users:
                  - {name: cameron, mode: system}
                  - {name: janettesmith, mode: standalone, configuration: janettesmith@rosegold}
              argentum:
                users:
                  - {name: cameron, mode: system}
                  - {name: christophersmith, mode: standalone}
              cinnabar: {users: [{name: cameron, mode: system}]}
              electrum: {users: [{name: cameron, mode: system}]}
              galena: {users: [{name: cameron, mode: system}]}
              scheelite: {users: [{name: cameron, mode: system}]}
            """;

    static InMemoryRevisionFiles referenceFleet() {
        InMemoryRevisionFiles files = layout("flake.nix", "flake.lock", "modules/home/users/default.nix",
                "modules/darwin/default.nix", "modules/nixos/default.nix")
                .file("fleetward.yaml", REFERENCE_OVERLAY);
        for (String host : words("stibnite blackphos rosegold argentum")) {
            files.file("modules/machines/darwin/" + host + "/default.nix", "{ }\n");
        }
        for (String host : words("cinnabar electrum galena scheelite")) {
            files.file("modules/machines/nixos/" + host + "/default.nix", "{ }\n");
        }
        for (String user : words("crs58 raquel cameron janettesmith christophersmith")) {
            files.file("modules/home/users/" + user + "/default.nix", "{ }\n");
        }
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "home:christophersmith@argentum | darwin | ''            | christophersmith@argentum | root@argentum.zt",
            "home:janettesmith@rosegold     | darwin | ''            | janettesmith@rosegold     | cameron@rosegold.zt",
            "system:argentum                | darwin | cameron       | -                         | root@argentum.zt",
            "system:blackphos               | darwin | crs58 raquel  | -                         | root@blackphos.zt",
            "system:cinnabar                | nixos  | cameron       | -                         | root@cinnabar.zt",
            "system:electrum                | nixos  | cameron       | -                         | root@electrum.zt",
            "system:galena                  | nixos  | cameron       | -                         | root@galena.zt",
            "system:rosegold                | darwin | cameron       | -                         | cameron@rosegold.zt",
            "system:scheelite               | nixos  | cameron       | -                         | root@scheelite.zt",
            "system:stibnite                | darwin | crs58         | -                         | root@stibnite.zt",
    })
    void referenceFleetTargets(String id, String platform, String embedded, String configuration, String targetHost)
            throws Exception {
        Inventory inventory = loader.load(referenceFleet(), Optional.empty());

        Target target = target(inventory, id);
        assertEquals(platform, target.platform().label());
        assertEquals(words(embedded), target.embeddedUsers());
        assertEquals(configuration, target.configuration());
        assertEquals(targetHost, target.host().targetHost());
    }

    @Test
    void referenceFleetHasExactlyItsTargetsAndUsers() throws Exception {
        Inventory inventory = loader.load(referenceFleet(), Optional.empty());

        assertEquals(words("home:christophersmith@argentum home:janettesmith@rosegold system:argentum "
                + "system:blackphos system:cinnabar system:electrum system:galena system:rosegold system:scheelite "
                + "system:stibnite"), ids(inventory));
        assertEquals(words("cameron christophersmith crs58 janettesmith raquel"), inventory.allUsers());
        assertEquals(List.of(), inventory.problems());
        assertEquals(List.of("darwin", "workstation"), inventory.hosts().get("rosegold").tags());
        assertEquals("ssh", inventory.hosts().get("rosegold").transport());
    }

    @Test
    void loadingTwiceGivesEqualInventories() throws Exception {
        assertEquals(loader.load(referenceFleet(), Optional.empty()), loader.load(referenceFleet(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fleetward.yaml | zt;reboot | local",
            "fleetward.yaml | -zt       | local",
            "fleetward.yaml | zt        | telnet",
            "fleetward.yaml | zt        | LOCAL",
            "''             | zt        | local",
    })
    void refusesMalformedConstructorArguments(String overlayPath, String domain, String transport) {
        assertThrows(IllegalArgumentException.class,
                () -> new InventoryLoader(overlayPath, Optional.of(domain), transport));
    }

    static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    static List<String> ids(Inventory inventory) {
        return inventory.targets().stream().map(t -> t.id().toString()).toList();
    }

    static List<String> problemTexts(Inventory inventory) {
        return inventory.problems().stream().map(InventoryProblem::toString).toList();
    }

    static Target target(Inventory inventory, String id) {
        Map<String, Target> byId = inventory.targets().stream()
                .collect(Collectors.toMap(t -> t.id().toString(), t -> t));
        assertTrue(byId.containsKey(id), () -> id + " not in " + byId.keySet());
        return byId.get(id);
    }
}
