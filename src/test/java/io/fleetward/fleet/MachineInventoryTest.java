package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The inventory command output merged into the layout and overlay, and refused when malformed. */
class MachineInventoryTest {
    static final String JSON = """
            {
              "cinnabar": {"machineClass": "nixos", "tags": ["server"], "deploy": {"targetHost": "root@cinnabar.example"}},
              "rosegold": {"machineClass": "darwin", "tags": ["laptop", "workstation"],
                           "deploy": {"targetHost": "root@rosegold.example", "buildHost": null}},
              "galena": {"machineClass": "nixos", "deploy": {"targetHost": "root@10.0.0.5:2222"}, "icon": null},
              "stibnite": {"machineClass": "darwin", "deploy": {"targetHost": null}},
              "flipped": {"machineClass": "nixos"},
              "orphan": {"name": "orphan", "description": "no machineClass: clan's default"}
            }
            """;
    static final String OVERLAY = """
            hosts:
              rosegold:
                target-host: cameron@rosegold.zt
                tags: [workstation, darwin]
              galena:
                transport: ssh
            """;

    private final InventoryLoader loader = new InventoryLoader("fleetward.yaml", Optional.empty(), "local");

    private Inventory merged() throws InventoryException {
        return loader.load(new InMemoryRevisionFiles()
                .file("modules/machines/nixos/cinnabar/default.nix", "{ }\n")
                .file("modules/machines/darwin/rosegold/default.nix", "{ }\n")
                .file("modules/machines/darwin/stibnite/default.nix", "{ }\n")
                .file("modules/machines/darwin/flipped/default.nix", "{ }\n")
                .file("fleetward.yaml", OVERLAY), Optional.of(JSON));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cinnabar | nixos  | root@cinnabar.example | server                  | local",
            "rosegold | darwin | cameron@rosegold.zt   | darwin laptop workstation | local",
            "galena   | nixos  | root@10.0.0.5:2222    | ''                      | ssh",
            "stibnite | darwin | root@stibnite         | ''                      | local",
            "flipped  | nixos  | root@flipped          | ''                      | local",
            "orphan   | nixos  | root@orphan           | ''                      | local",
    })
    void mergesMachines(String name, String platform, String targetHost, String tags, String transport)
            throws Exception {
        Host host = merged().hosts().get(name);

        assertEquals(platform, host.platform().label());
        assertEquals(targetHost, host.targetHost());
        assertEquals(InventoryLoaderTest.words(tags), host.tags());
        assertEquals(transport, host.transport());
    }

    @Test
    void machinesWithoutFolderBecomeTargetsWithoutProblems() throws Exception {
        Inventory inventory = merged();

        assertEquals(InventoryLoaderTest.words("system:cinnabar system:flipped system:galena system:orphan "
                + "system:rosegold system:stibnite"), InventoryLoaderTest.ids(inventory));
        assertEquals(List.of(), inventory.problems());
    }

    @Test
    void anInvalidTagIsDroppedWithAProblem() throws Exception {
        Inventory inventory = loader.load(new InMemoryRevisionFiles(),
                Optional.of("{\"galena\": {\"tags\": [\"ok\",\n \"$(reboot)\"]}}"));

        assertEquals(List.of("ok"), inventory.hosts().get("galena").tags());
        assertEquals(List.of("inventory command output:2: galena.tags: " + Names.rejection("$(reboot)")
                + "; dropped"), InventoryLoaderTest.problemTexts(inventory));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("syntax error", "{\n  \"a\": {,\n}\n", 2, "malformed JSON"),
                Arguments.of("truncated", "{\n  \"a\": {\n", 3, "malformed JSON"),
                Arguments.of("empty output", "", 0, "empty output"),
                Arguments.of("a list", "[\n]\n", 1, "expected a JSON object of machines"),
                Arguments.of("machine is a string", "{\"a\":\n \"nixos\"}", 2, "a: expected an object"),
                Arguments.of("unknown machineClass", "{\"a\": {\n\"machineClass\": \"windows\"}}", 2,
                        "a.machineClass: expected one of nixos, darwin, got \"windows\""),
                Arguments.of("tags is a string", "{\"a\": {\"tags\": \"server\"}}", 1,
                        "a.tags: expected a list, got a string"),
                Arguments.of("deploy is a list", "{\"a\": {\"deploy\": []}}", 1,
                        "a.deploy: expected a mapping, got a list"),
                Arguments.of("malformed targetHost", "{\"a\": {\"deploy\": {\n\"targetHost\": \"-oProxyCommand=x\"}}}",
                        2, "a.deploy.targetHost: malformed targetHost \"-oProxyCommand=x\""),
                Arguments.of("two values", "{}\n{}\n", 2, "more than one document"),
                Arguments.of("duplicate machine", "{\"a\": {},\n \"a\": {}}", 2, "duplicate key \"a\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedOutput(String name, String json, int line, String message) {
        InventoryException refused = assertThrows(InventoryException.class,
                () -> loader.load(new InMemoryRevisionFiles(), Optional.of(json)));

        assertEquals("inventory command output", refused.problem().path());
        assertEquals(line, refused.problem().line(), refused::getMessage);
        assertTrue(refused.problem().message().contains(message), refused::getMessage);
    }
}
