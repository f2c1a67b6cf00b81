package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile name anywhere a name can come from is refused with a problem naming where it is, never
 * shown raw, never turned into a target, and the rest of the fleet still loads.
 */
class HostileNamesTest {
    static final List<String> HOSTILE = List.of("bad name", "a;reboot", "$(reboot)", "..", "a/b", "Upper",
            "a\nb", "a".repeat(64), "-oProxyCommand=x", "`id`", "");

    /** Where the name is put: builds the repository (and inventory JSON) and gives the expected problem. */
    enum Place {
        DARWIN_FOLDER((files, name) -> files.folder("modules/machines/darwin", name)),
        NIXOS_FOLDER((files, name) -> files.folder("modules/machines/nixos", name)),
        USER_FOLDER((files, name) -> files.folder("modules/home/users", name)),
        OVERLAY_HOST_KEY((files, name) -> files.file("fleetward.yaml",
                "hosts:\n  good: {}\n  " + quoted(name) + ":\n    transport: ssh\n")),
        OVERLAY_USER_NAME((files, name) -> files.file("fleetward.yaml",
                "hosts:\n  good:\n    users:\n      - {name: cameron}\n      - name: " + quoted(name)
                        + "\n        mode: standalone\n")),
        INVENTORY_MACHINE_NAME((files, name) -> files);

        final BiFunction<InMemoryRevisionFiles, String, InMemoryRevisionFiles> plant;

        Place(BiFunction<InMemoryRevisionFiles, String, InMemoryRevisionFiles> plant) {
            this.plant = plant;
        }

        Optional<String> inventoryJson(String name) {
            return this == INVENTORY_MACHINE_NAME
                    ? Optional.of("{\n  \"good\": {},\n  " + quoted(name) + ": {\"machineClass\": \"nixos\"}\n}\n")
                    : Optional.empty();
        }

        String expectedPath(String name) {
            return switch (this) {
                case DARWIN_FOLDER -> "modules/machines/darwin/" + Names.printable(name);
                case NIXOS_FOLDER -> "modules/machines/nixos/" + Names.printable(name);
                case USER_FOLDER -> "modules/home/users/" + Names.printable(name);
                case OVERLAY_HOST_KEY, OVERLAY_USER_NAME -> "fleetward.yaml";
                case INVENTORY_MACHINE_NAME -> "inventory command output";
            };
        }

        int expectedLine() {
            return switch (this) {
                case DARWIN_FOLDER, NIXOS_FOLDER, USER_FOLDER -> 0;
                case OVERLAY_HOST_KEY, INVENTORY_MACHINE_NAME -> 3;
                case OVERLAY_USER_NAME -> 5;
            };
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Place.values()).flatMap(place -> HOSTILE.stream()
                // A folder cannot have an empty name; everything else applies everywhere.
                .filter(name -> !(name.isEmpty() && place.name().endsWith("FOLDER")))
                .map(name -> Arguments.of(place, name)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void hostileNameIsAProblemAndTheRestLoads(Place place, String name) throws Exception {
        InMemoryRevisionFiles files = new InMemoryRevisionFiles()
                .file("modules/machines/nixos/good/default.nix", "{ }\n")
                .file("modules/home/users/cameron/default.nix", "{ }\n");
        place.plant.apply(files, name);

        Inventory inventory = new InventoryLoader("fleetward.yaml", Optional.of("zt"), "local")
                .load(files, place.inventoryJson(name));

        assertEquals(1, inventory.problems().size(), () -> inventory.problems().toString());
        InventoryProblem problem = inventory.problems().get(0);
        assertEquals(place.expectedPath(name), problem.path());
        assertEquals(place.expectedLine(), problem.line());
        assertTrue(problem.message().contains(Names.rejection(name)), problem::toString);
        assertTrue(problem.toString().chars().noneMatch(c -> c < 0x20 || c == 0x7f), "one printable line");

        assertEquals(List.of("good"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(List.of("system:good"), InventoryLoaderTest.ids(inventory));
        assertEquals(List.of("cameron"), inventory.allUsers());
        for (Host host : inventory.hosts().values()) {
            assertFalse(host.name().equals(name) || host.users().stream().anyMatch(u -> u.name().equals(name)));
        }
    }

    /** A double-quoted string that is valid both as YAML and as JSON, so any name can be written. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
