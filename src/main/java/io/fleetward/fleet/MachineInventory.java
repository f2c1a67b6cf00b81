package io.fleetward.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The output of the inventory command (e.g. {@code nix eval --json .#clan.inventory.machines}):
 * {@code {"<machine>": {"machineClass": "nixos"|"darwin", "tags": [..], "deploy": {"targetHost": ".."}}}}.
 * Keys fleetward does not use are ignored (clan adds more over time); the ones it uses are checked.
 *
 * @param machines machines by valid name, in document order
 * @param problems machines or tags that were dropped
 */
record MachineInventory(Map<String, Machine> machines, List<InventoryProblem> problems) {

    /** The name used for this input in problems. */
    static final String SOURCE = "inventory command output";

    static final MachineInventory NONE = new MachineInventory(Map.of(), List.of());

    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> MACHINE_CLASSES = List.of("nixos", "darwin");

    MachineInventory {
        machines = Collections.unmodifiableMap(new LinkedHashMap<>(machines));
        problems = List.copyOf(problems);
    }

    /**
     * @param platform   from {@code machineClass}, when set
     * @param tags       valid tags
     * @param targetHost validated {@code deploy.targetHost}, when set
     */
    record Machine(Optional<Platform> platform, List<String> tags, Optional<String> targetHost) {
        Machine {
            tags = List.copyOf(tags);
        }
    }

    /** @throws InventoryException when the output is malformed as a whole */
    static MachineInventory parse(String json) throws InventoryException {
        NodeReader reader = new NodeReader(SOURCE);
        LocatedNode root;
        try {
            root = LocatedNode.read(JSON.createParser(json), SOURCE);
        } catch (IOException e) {
            throw reader.refuse(0, "", "unreadable JSON");
        }
        if (root == null) {
            throw reader.refuse(0, "", "empty output; expected a JSON object of machines");
        }
        if (!(root instanceof LocatedNode.Mapping)) {
            throw reader.refuse(root.line(), "", "expected a JSON object of machines");
        }
        List<InventoryProblem> problems = new ArrayList<>();
        Map<String, Machine> machines = new LinkedHashMap<>();
        for (LocatedNode.Entry entry : reader.mapping(root, "").values()) {
            if (!Names.isValid(entry.key())) {
                problems.add(new InventoryProblem(SOURCE, entry.keyLine(),
                        "machine " + Names.rejection(entry.key()) + "; machine skipped"));
                continue;
            }
            machines.put(entry.key(), machine(reader, entry, problems));
        }
        return new MachineInventory(machines, problems);
    }

    private static Machine machine(NodeReader reader, LocatedNode.Entry entry, List<InventoryProblem> problems)
            throws InventoryException {
        String keyPath = entry.key();
        if (!(entry.value() instanceof LocatedNode.Mapping machine)) {
            throw reader.refuse(entry.value().line(), keyPath, "expected an object");
        }
        Map<String, LocatedNode.Entry> fields = machine.entries();
        Optional<Platform> platform = reader.choice(NodeReader.value(fields, "machineClass"),
                        keyPath + ".machineClass", MACHINE_CLASSES)
                .map(text -> Platform.valueOf(text.toUpperCase(Locale.ROOT)));
        List<String> tags = reader.validNames(reader.strings(NodeReader.value(fields, "tags"), keyPath + ".tags"),
                keyPath + ".tags", problems);
        Map<String, LocatedNode.Entry> deploy = reader.mapping(NodeReader.value(fields, "deploy"), keyPath + ".deploy");
        Optional<String> targetHost = reader.targetHost(NodeReader.value(deploy, "targetHost"), keyPath + ".deploy.targetHost");
        return new Machine(platform, tags, targetHost);
    }
}
