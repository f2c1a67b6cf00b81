package io.fleetward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A fleet as a JSON file: {@code {"hosts": {"<host>": {"platform": "nixos"|"darwin", "embedded": [users]}},
 * "user_folders": [...]}}. Gives its system targets and the user folder names.
 */
record FleetDescription(List<Target> systems, List<String> userFolders) {
    static FleetDescription read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Target> systems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> hosts = root.path("hosts").fields();
        while (hosts.hasNext()) {
            Map.Entry<String, JsonNode> entry = hosts.next();
            String name = entry.getKey();
            Platform platform = "darwin".equals(entry.getValue().path("platform").asText())
                    ? Platform.DARWIN : Platform.NIXOS;
            JsonNode embedded = entry.getValue().get("embedded");
            List<String> users = null;
            if (embedded != null) {
                users = new ArrayList<>();
                for (JsonNode user : embedded) {
                    users.add(user.asText());
                }
            }
            Host host = new Host(name, platform, "root@" + name, "ssh", List.of(), List.of(), true);
            systems.add(new Target(TargetId.system(name), host, null, users));
        }
        List<String> userFolders = new ArrayList<>();
        for (JsonNode user : root.path("user_folders")) {
            userFolders.add(user.asText());
        }
        return new FleetDescription(List.copyOf(systems), List.copyOf(userFolders));
    }
}
