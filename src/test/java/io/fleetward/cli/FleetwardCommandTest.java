package io.fleetward.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fleetward} command against the shared reference fleet's daemon: every subcommand's
 * output and exit code, and where the URL and token come from.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetwardCommandTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;
    private static final Duration LIVE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Path tokenFile;
    private static Path wrongTokenFile;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void tokenFiles() throws IOException {
        tokenFile = Files.writeString(dir.resolve("token"), FleetProfile.TOKEN + "\n");
        wrongTokenFile = Files.writeString(dir.resolve("wrong"), "not-the-token\n");
    }

    @BeforeEach
    void convergedFleet() {
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
    }

    private static String url() {
        return "http://localhost:" + RestAssured.port;
    }

    /** Runs the command with the daemon's URL and the token in the environment (HOME points at an empty folder). */
    private static Run run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("FLEETWARD_URL", url());
        env.put("FLEETWARD_TOKEN_FILE", tokenFile.toString());
        return run(env, args);
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FleetwardCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void statusPrintsATableOfEveryTarget() {
        Run run = run("status");
        assertThat(run.code()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("TARGET +STATUS +DESIRED +DEPLOYED +AGE +REASON");
        assertThat(lines).hasSize(1 + FleetApi.REFERENCE_TARGETS.size());
        String revision = given().get("/api/v1/source").then().extract().path("revision");
        assertThat(lines.get(1)).startsWith("home:christophersmith@argentum").contains("IN_SYNC")
                .contains(revision.substring(0, 7));
        assertThat(lines.get(1).split(" +")[4]).matches("\\d+[smhd]");
        assertThat(run.out()).doesNotContain("\u001B["); // no colour when stdout is no terminal
        assertThat(run.err()).isEmpty();
    }

    @Test
    @Order(2)
    void statusAsJsonIsTheApisArrayAndWideHasMoreColumns() {
        Run json = run("status", "-o", "json");
        assertThat(json.code()).isZero();
        List<Map<String, Object>> targets = io.restassured.path.json.JsonPath.from(json.out()).getList("$");
        assertThat(targets).extracting(t -> t.get("id")).containsExactlyElementsOf(FleetApi.REFERENCE_TARGETS);
        assertThat(targets.get(0)).containsKeys("status", "reason", "desiredRevision", "deployedRevision", "currentPath");

        Run wide = run("status", "--output=wide");
        assertThat(wide.code()).isZero();
        assertThat(wide.out().lines().findFirst().orElseThrow())
                .matches("TARGET +STATUS +DESIRED +DEPLOYED +AGE +HOST +PLATFORM +SUSPENDED +LAST-PROBE +CURRENT +REASON");
        assertThat(wide.out()).contains("/nix/store/");

        Run bad = run("status", "-o", "yaml");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("-o", "yaml");
    }

    @Test
    @Order(3)
    void statusWatchPrintsTheChangesOfACommit() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("HOME", dir.toString(), "FLEETWARD_URL", url());
        CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() -> FleetwardCommand.run(
                new String[] {"status", "--watch", "--interval", "1", "--for", "40"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, env));
        await().atMost(LIVE).until(() -> galenaLines(out).size() == 1); // the table is out
        FLEET.holdDeploys("galena", true);
        String revision;
        try {
            revision = FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: watch me");
            Run refresh = run("refresh");
            assertThat(refresh.code()).isZero();
            assertThat(refresh.out()).isEqualTo("refresh requested\n");
            await().atMost(LIVE).until(() -> galenaLines(out).stream().anyMatch(l -> l.contains("DEPLOYING")));
        } finally {
            FLEET.holdDeploys("galena", false);
        }
        await().atMost(LIVE).until(() -> galenaLines(out).get(galenaLines(out).size() - 1).contains("IN_SYNC"));
        assertThat(watching.get()).isZero();
        List<String> galena = galenaLines(out);
        assertThat(galena.get(0)).contains("IN_SYNC").doesNotContain(revision.substring(0, 7));
        assertThat(galena.subList(1, galena.size())).anySatisfy(l -> assertThat(l).contains("DEPLOYING")
                .contains(revision.substring(0, 7)));
        assertThat(galena.get(galena.size() - 1)).contains("IN_SYNC").contains(revision.substring(0, 7));
        // After the table only changes of status or reason are printed: the commit cannot change cinnabar,
        // whose reason names the revision it runs, so it is in the table only.
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("system:cinnabar ")))
                .hasSize(1).first().asString().contains("no relevant change since");
    }

    private static List<String> galenaLines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("system:galena ")).toList();
    }

    @Test
    @Order(4)
    void syncHistoryAndLogsOfATarget() {
        int before = FleetApi.deploymentCounts().getOrDefault("system:cinnabar", 0);
        Run sync = run("sync", "system:cinnabar");
        assertThat(sync.code()).isZero();
        assertThat(sync.out()).startsWith("sync of system:cinnabar requested");
        await().atMost(LIVE).until(() -> FleetApi.deploymentCounts().getOrDefault("system:cinnabar", 0) == before + 1);

        Run history = run("history", "system:cinnabar", "--limit", "3");
        assertThat(history.code()).isZero();
        List<String> lines = history.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +REVISION +TRIGGER +AGE +DURATION +OUTCOME +REASON");
        assertThat(lines.get(1)).contains("sync system:cinnabar").contains("SUCCEEDED");
        String id = lines.get(1).split(" +")[0];

        Run logs = run("logs", id);
        assertThat(logs.code()).isZero();
        assertThat(logs.out()).startsWith("# fleetward deployment " + id + ": system:cinnabar")
                .contains("$ clan machines update 'cinnabar'").contains("# outcome: SUCCEEDED");
        Run followed = run("logs", "-f", id);
        assertThat(followed.code()).isZero();
        assertThat(followed.out()).isEqualTo(given().get("/api/v1/deployments/" + id + "/log").then().extract().asString());

        assertThat(run("history", "system:nosuchhost").code()).isEqualTo(3);
        assertThat(run("logs", "999999").code()).isEqualTo(3);
        Run malformed = run("sync", "system:Bad!");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("malformed target id");
    }

    @Test
    @Order(5)
    void followingARunningDeploymentsLogEndsWithIt() throws Exception {
        FLEET.holdDeploys("blackphos", true);
        CompletableFuture<Run> following;
        try {
            assertThat(run("sync", "system:blackphos").code()).isZero();
            long id = await().atMost(LIVE).until(() -> {
                Map<String, Object> last = given().queryParam("target", "system:blackphos").queryParam("limit", 1)
                        .get("/api/v1/deployments").then().extract().jsonPath().getMap("[0]");
                return "RUNNING".equals(last.get("outcome")) ? ((Number) last.get("id")).longValue() : null;
            }, java.util.Objects::nonNull);
            following = CompletableFuture.supplyAsync(() -> run("logs", "--follow", Long.toString(id)));
        } finally {
            FLEET.holdDeploys("blackphos", false);
        }
        Run followed = following.get();
        assertThat(followed.code()).isZero();
        assertThat(followed.out()).contains("[blackphos] activating the configuration...")
                .contains("# outcome: SUCCEEDED");
    }

    @Test
    @Order(6)
    void suspendResumePauseUnpauseAndPlan() {
        Run suspend = run("suspend", "system:electrum", "--reason", "disk replacement");
        assertThat(suspend.code()).isZero();
        assertThat(suspend.out()).isEqualTo("system:electrum suspended: disk replacement\n");
        assertThat(FleetApi.target("system:electrum").getString("status")).isEqualTo("SUSPENDED");
        Run resume = run("resume", "system:electrum");
        assertThat(resume.code()).isZero();
        assertThat(resume.out()).isEqualTo("system:electrum resumed\n");

        Run pause = run("pause", "--reason", "change freeze");
        assertThat(pause.code()).isZero();
        assertThat(pause.out()).isEqualTo("fleet paused: change freeze\n");
        try {
            String revision = FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: planned");
            assertThat(run("refresh").code()).isZero();
            await().atMost(LIVE).until(() -> run("plan").out().contains("system:galena"));
            Run plan = run("plan");
            assertThat(plan.code()).isZero();
            assertThat(plan.out()).startsWith("Plan at " + revision.substring(0, 7) + " (fleet paused: nothing starts)\n")
                    .contains("Nothing would deploy now.").containsPattern("WAITING +REASON")
                    .containsPattern("system:galena +fleet paused");
            Run json = run("plan", "-o", "json");
            assertThat(json.code()).isZero();
            assertThat(io.restassured.path.json.JsonPath.from(json.out()).getBoolean("paused")).isTrue();
        } finally {
            Run unpause = run("unpause");
            assertThat(unpause.code()).isZero();
            assertThat(unpause.out()).isEqualTo("fleet resumed\n");
        }
        assertThat(run("suspend", "system:nosuchhost").code()).isEqualTo(3);
    }

    @Test
    @Order(7)
    void rollbackIsAskedForOrExplained() {
        // cinnabar was deployed by the sync test (Order 4), so the path before that deployment is known.
        Run rollback = run("rollback", "system:cinnabar");
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(rollback.out()).isEqualTo("rollback of system:cinnabar requested\n");
        // Recorded as a deployment with trigger rollback, outcome ROLLED_BACK (the newest in the history).
        await().atMost(LIVE).until(() -> run("history", "system:cinnabar", "--limit", "1").out().lines().skip(1)
                .anyMatch(line -> line.contains(" rollback ") && line.contains("ROLLED_BACK")));

        // Rolled back, the revision is held on cinnabar; an operator's sync deploys it again.
        assertThat(run("sync", "system:cinnabar").code()).isZero();
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
    }

    @Test
    @Order(8)
    void tokensUrlsAndExitCodes() throws IOException {
        Map<String, String> noToken = Map.of("HOME", dir.toString(), "FLEETWARD_URL", url());
        Run refused = run(noToken, "sync", "system:cinnabar");
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).isEqualTo("error: 401: missing bearer token (Authorization: Bearer <token>)\n");
        Run wrong = run(noToken, "--token-file", wrongTokenFile.toString(), "refresh");
        assertThat(wrong.code()).isEqualTo(4);
        assertThat(wrong.err()).contains("invalid bearer token").doesNotContain("not-the-token");
        // Reads need no token.
        assertThat(run(noToken, "status").code()).isZero();

        // The config file: url and token-file.
        Path config = Files.writeString(dir.resolve("cli.properties"),
                "url=" + url() + "/\ntoken-file=" + tokenFile + "\n");
        Run fromConfig = run(Map.of("HOME", dir.toString()), "--config", config.toString(), "refresh");
        assertThat(fromConfig.code()).isZero();
        Path xdg = Files.createDirectories(dir.resolve("xdg/fleetward"));
        Files.copy(config, xdg.resolve("cli.properties"));
        assertThat(run(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), "refresh").code()).isZero();
        // A flag wins over the environment.
        Run flagWins = run(Map.of("FLEETWARD_URL", "http://127.0.0.1:1"), "--url", url(), "status");
        assertThat(flagWins.code()).isZero();

        Run unreachable = run(Map.of("HOME", dir.toString(), "FLEETWARD_URL", "http://127.0.0.1:1"), "status");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("error: cannot reach fleetward at http://127.0.0.1:1");
        Run unknownKey = run(Map.of("HOME", dir.toString()), "--config",
                Files.writeString(dir.resolve("bad.properties"), "token=x\n").toString(), "status");
        assertThat(unknownKey.code()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("unknown key token");

        Run usage = run("frobnicate");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Unmatched argument");
        Run missing = run("sync");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameter: 'TARGET'");
    }

    @Test
    @Order(9)
    void helpAndCompletion() {
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("status", "plan", "sync", "suspend", "resume", "pause", "unpause", "refresh",
                "logs", "history", "rollback", "generate-completion", "4   unauthorized");
        Run completion = run("generate-completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F _complete_fleetward", "suspend", "--reason");
    }
}
