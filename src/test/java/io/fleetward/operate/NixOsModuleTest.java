package io.fleetward.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/nix with Debian's Nix (nix-instantiate): every .nix file of the project parses, and the
 * module, evaluated against a stub of the module system (src/test/resources/nix), renders the
 * settings into application.properties and a service hardened like deploy/fleetward.service.
 * Not checked here: that the module evaluates against the real nixpkgs lib, that package.nix builds.
 */
class NixOsModuleTest {
    private static final Path MODULE = Path.of("deploy/nix/module.nix").toAbsolutePath();
    private static final Path EVALUATOR = Path.of("src/test/resources/nix/evaluate-module.nix").toAbsolutePath();
    private static final Path SYSTEMD_UNIT = Path.of("deploy/fleetward.service");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The module evaluated with {@code user} as services.fleetward's definitions. */
    private static JsonNode evaluate(Map<String, Object> user) throws IOException {
        InstalledTool.Run run = InstalledTool.NIX_INSTANTIATE.run(Path.of("."), "--eval", "--strict", "--json",
                EVALUATOR.toString(), "--argstr", "module", MODULE.toString(), "--argstr", "userJson",
                JSON.writeValueAsString(user)).succeeded();
        return JSON.readTree(run.stdout());
    }

    private static Properties properties(JsonNode evaluated) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(evaluated.path("properties").asText()));
        return properties;
    }

    @Test
    void everyNixFileParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("."))) {
            files = walk.filter(p -> p.toString().endsWith(".nix"))
                    .filter(p -> !p.startsWith("./target") && !p.startsWith("./data")).sorted().toList();
        }
        assertThat(files).contains(Path.of("./deploy/nix/module.nix"), Path.of("./deploy/nix/package.nix"));
        for (Path file : files) {
            InstalledTool.NIX_INSTANTIATE.run(Path.of("."), "--parse", file.toString()).succeeded();
        }
    }

    /** The check above can fail: nix-instantiate refuses a file that is not Nix. */
    @Test
    void aSyntaxErrorIsRefused() throws IOException {
        Path broken = Files.writeString(Files.createTempFile("broken", ".nix"), "{ config, ... }: { a = ; }");
        try {
            InstalledTool.Run run = InstalledTool.NIX_INSTANTIATE.run(Path.of("."), "--parse", broken.toString());
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.stderr()).contains("syntax error");
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void settingsAreRenderedToApplicationProperties() throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("fleetward.source.url", "ssh://git@forge.example/infra/fleet.git");
        settings.put("fleetward.deploy.parallelism", 8);
        settings.put("fleetward.deploy.dry-run", true);
        // A value with the quotes, backslashes and braces of a real template survives verbatim.
        settings.put("fleetward.commands.evaluate-home",
                "nix eval --raw {flake}#homeConfigurations.\\\"{configuration}\\\".activationPackage.outPath");
        settings.put("fleetward.fleet.domain", "zt\nline two");
        JsonNode evaluated = evaluate(Map.of("enable", true, "settings", settings, "port", 9090,
                "sshKeyFile", "/run/secrets/fleetward_ed25519", "knownHostsFile", "/etc/fleetward/known_hosts"));

        Properties properties = properties(evaluated);
        Map<String, String> expected = new LinkedHashMap<>();
        settings.forEach((key, value) -> expected.put(key, String.valueOf(value)));
        expected.put("fleetward.data-dir", "/var/lib/fleetward");
        expected.put("quarkus.http.port", "9090");
        expected.put("fleetward.ssh.identity", "/run/credentials/fleetward.service/ssh-key");
        expected.put("fleetward.ssh.known-hosts", "/run/credentials/fleetward.service/known-hosts");
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(expected);
        // The key files reach the service through systemd, never through the Nix store.
        assertThat(evaluated.path("properties").asText()).doesNotContain("/run/secrets/");
        assertThat(evaluated.at("/serviceConfig/LoadCredential")).extracting(JsonNode::asText)
                .containsExactly("ssh-key:/run/secrets/fleetward_ed25519", "known-hosts:/etc/fleetward/known_hosts");
        // A change of the settings restarts the service.
        assertThat(evaluated.at("/restartTriggers/0").asText()).isEqualTo(evaluated.path("properties").asText());
    }

    @Test
    void theServiceIsHardenedLikeTheSystemdUnit() throws IOException {
        JsonNode service = evaluate(Map.of("enable", true)).path("serviceConfig");
        Map<String, String> unit = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SYSTEMD_UNIT)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                unit.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String key : List.of("Type", "User", "Group", "WorkingDirectory", "KillSignal", "KillMode",
                "TimeoutStopSec", "Restart", "RestartSec", "NoNewPrivileges", "ProtectSystem", "PrivateTmp")) {
            assertThat(unit).as("deploy/fleetward.service sets " + key).containsKey(key);
            assertThat(service.path(key).asText()).as(key).isEqualTo(unit.get(key));
        }
        assertThat(service.path("ReadWritePaths")).extracting(JsonNode::asText).containsExactly(unit.get("ReadWritePaths"));
    }

    @Test
    void defaultsCreateTheUserAndPutTheToolsOnPath() throws IOException {
        JsonNode evaluated = evaluate(Map.of("enable", true));
        assertThat(evaluated.at("/users/fleetward/isSystemUser").asBoolean()).isTrue();
        assertThat(evaluated.at("/users/fleetward/home").asText()).isEqualTo("/var/lib/fleetward");
        assertThat(evaluated.path("groups")).extracting(JsonNode::asText).containsExactly("fleetward");
        assertThat(evaluated.path("path")).extracting(JsonNode::asText).contains("openssh", "git", "nix")
                .doesNotContain("clan-cli", "nh");
        assertThat(evaluated.path("firewallPorts")).isEmpty();
        assertThat(evaluated.at("/serviceConfig/EnvironmentFile")).isEmpty();
        assertThat(evaluated.at("/environment/FLEETWARD_DATA_DIR").asText()).isEqualTo("/var/lib/fleetward");
        assertThat(evaluated.at("/environment/MALLOC_ARENA_MAX").asText()).isEqualTo("2");
        assertThat(evaluated.at("/environment/JDK_JAVA_OPTIONS").asText())
                .contains("-Xmx128m", "-Dquarkus.config.locations=/etc/fleetward/application.properties");
        assertThat(evaluated.path("wantedBy")).extracting(JsonNode::asText).containsExactly("multi-user.target");
    }

    /**
     * The module's JVM and the image (quarkus.jib.jvm-arguments) get exactly the memory options of the
     * systemd unit (FLEETWARD_JAVA_OPTS in deploy/fleetward.service), the ones FleetScaleBench measured.
     */
    @Test
    void javaOptionsAreTheUnitsAndTheImages() throws IOException {
        String prefix = "Environment=\"FLEETWARD_JAVA_OPTS=";
        List<String> unitOptions = Files.readAllLines(Path.of("deploy/fleetward.service")).stream()
                .filter(line -> line.startsWith(prefix)).findFirst().map(line -> line.substring(prefix.length(),
                        line.length() - 1)).map(options -> List.of(options.split(" "))).orElseThrow();
        assertThat(unitOptions).contains("-Xmx128m");
        Properties build = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            build.load(in);
        }
        // The image: its command line, and its heap in JAVA_TOOL_OPTIONS (which the chart may replace).
        List<String> imageOptions = Stream.concat(Stream.of(build.getProperty("quarkus.jib.jvm-arguments").split(",")),
                Stream.of(build.getProperty("quarkus.jib.environment-variables.\"JAVA_TOOL_OPTIONS\"").split(" ")))
                .filter(option -> option.startsWith("-X")).toList();
        assertThat(imageOptions).containsExactlyInAnyOrderElementsOf(unitOptions);
        List<String> moduleOptions = List.of(evaluate(Map.of("enable", true)).at("/environment/JDK_JAVA_OPTIONS")
                .asText().split(" "));
        assertThat(moduleOptions).startsWith(unitOptions.toArray(String[]::new));
    }

    @Test
    void optionsAddClanNhTheFirewallAndTheEnvironmentFile() throws IOException {
        JsonNode evaluated = evaluate(Map.of("enable", true, "clanCli", "pkg:clan-cli", "nh", "pkg:nh",
                "openFirewall", true, "environmentFile", "/run/secrets/fleetward.env", "user", "deploy",
                "stateDir", "/srv/fleetward"));
        assertThat(evaluated.path("path")).extracting(JsonNode::asText).endsWith("clan-cli", "nh");
        assertThat(evaluated.path("firewallPorts")).extracting(JsonNode::asInt).containsExactly(8080);
        assertThat(evaluated.at("/serviceConfig/EnvironmentFile")).extracting(JsonNode::asText)
                .containsExactly("/run/secrets/fleetward.env");
        // Another user is the administrator's to declare; the state dir follows the option.
        assertThat(evaluated.path("users").isEmpty()).isTrue();
        assertThat(evaluated.at("/serviceConfig/User").asText()).isEqualTo("deploy");
        assertThat(evaluated.at("/serviceConfig/ReadWritePaths/0").asText()).isEqualTo("/srv/fleetward");
        assertThat(properties(evaluated)).containsEntry("fleetward.data-dir", "/srv/fleetward");
        assertThat(evaluated.path("tmpfiles")).extracting(JsonNode::asText)
                .containsExactly("d /srv/fleetward 0750 deploy fleetward - -");
    }

    @Test
    void disabledConfiguresNothing() throws IOException {
        assertThat(evaluate(Map.of()).path("enabled").asBoolean()).isFalse();
    }

    /** Option types hold: a list where a setting's string belongs is refused, naming the option. */
    @Test
    void aValueOfTheWrongTypeIsRefused() throws IOException {
        InstalledTool.Run run = InstalledTool.NIX_INSTANTIATE.run(Path.of("."), "--eval", "--strict", "--json",
                EVALUATOR.toString(), "--argstr", "module", MODULE.toString(), "--argstr", "userJson",
                JSON.writeValueAsString(Map.of("enable", true, "settings", Map.of("fleetward.source.url", List.of("a")))));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("services.fleetward.settings: not a attribute set of one of str, int, bool");
    }
}
