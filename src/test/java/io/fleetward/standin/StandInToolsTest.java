package io.fleetward.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo fleet's stand-in tools ({@code config/demo/bin}), run the way fleetward's local
 * transport runs them: a simulation root whose {@code bin} comes first on PATH, and the
 * FLEETWARD_* variables and HOME of the target. Runs from the project root.
 */
class StandInToolsTest {
    private static final Path DEMO = Path.of("config/demo");
    private static final String REV_A = "3f1c2a9be0d47c6a8e5b1f0d9c2e7a6b5d4c3b2a";
    private static final String REV_B = "c0ffee4b7d2e9a1f3b5c7d9e0a2b4c6d8e0f1a2b";
    private static final String STORE_HASH = "/nix/store/[0-9abcdfghijklmnpqrsvwxyz]{32}-";
    private static final String NIXOS_SYSTEM = STORE_HASH + "nixos-system-%s-25\\.11\\.\\d{8}\\.[0-9a-f]{7}";
    private static final String HOME_LINK = ".local/state/home-manager/gcroots/current-home";

    @TempDir
    Path sim;
    @TempDir
    Path work;
    private Path checkout;
    private final AtomicInteger runs = new AtomicInteger();

    /** What a finished command left: exit code and its two streams. */
    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    @BeforeEach
    void installSimulation() throws IOException {
        copyTree(DEMO.resolve("bin"), sim.resolve("bin"));
        copyTree(DEMO.resolve("lib"), sim.resolve("lib"));
        try (Stream<Path> tools = Files.list(sim.resolve("bin"))) {
            tools.forEach(tool -> setExecutable(tool));
        }
        // The deploy runs in a clean export of the desired revision: no .git.
        checkout = work.resolve("checkout");
        copyTree(DEMO.resolve("repo"), checkout);
    }

    static Stream<List<String>> clanUsageErrors() {
        return Stream.of(
                List.of(),
                List.of("machines"),
                List.of("frobnicate"),
                List.of("machines", "frobnicate"),
                List.of("--nope", "machines", "update", "galena"),
                List.of("machines", "update", "--bogus", "galena"),
                List.of("machines", "update", "--flake"),
                List.of("machines", "update", "--host-key-check", "sometimes", "galena"));
    }

    @ParameterizedTest
    @MethodSource("clanUsageErrors")
    void clanUsageErrorExitsTwoWithUsage(List<String> args) {
        Run run = clan(args.toArray(String[]::new));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("usage: clan").contains("error: ");
        assertThat(sim.resolve("hosts")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosuch", "x;touch pwned", "$(touch pwned)", "`touch pwned`", "../galena",
            "galena/../cinnabar", "Galena", "galena\ntouch pwned", " galena", "galena "})
    void clanRefusesUnknownOrHostileMachineAndTouchesNothing(String machine) throws IOException {
        Run run = clan("machines", "update", machine);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: machine '");
        assertThat(run.out()).isEmpty();
        assertThat(sim.resolve("hosts")).doesNotExist();
        assertThat(filesNamed("pwned", sim, work)).isEmpty();
    }

    @Test
    void systemUpdateSwitchesCurrentSystemAndKeepsBootedSystem() throws IOException {
        Run first = deploy("galena", REV_A);

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.outLines()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("[galena] "));
        String installed = link("galena", "current-system");
        assertThat(installed).matches(NIXOS_SYSTEM.formatted("galena"));
        assertThat(link("galena", "booted-system")).isEqualTo(installed);

        Run second = deploy("galena", REV_B);

        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(link("galena", "current-system")).isNotEqualTo(installed).matches(NIXOS_SYSTEM.formatted("galena"));
        assertThat(link("galena", "booted-system")).isEqualTo(installed);
    }

    @Test
    void sameRevisionGivesSameSystemPath() throws IOException {
        deploy("galena", REV_A);
        String first = link("galena", "current-system");
        deploy("galena", REV_B);

        Run again = deploy("galena", REV_A);

        assertThat(again.exit()).isZero();
        assertThat(link("galena", "current-system")).isEqualTo(first);
    }

    @Test
    void systemUpdateAcceptsFlakeBeforeOrAfterTheSubcommand() throws IOException {
        Map<String, String> env = systemEnv("electrum", REV_A);
        Run global = run(work, env, "clan", "--flake", checkout.toString(), "machines", "update", "electrum");
        Run local = run(work, env, "clan", "machines", "update", "--flake=" + checkout, "cinnabar", "scheelite");
        Run noFlake = run(work, env, "clan", "machines", "update", "electrum");

        assertThat(global.exit()).as(global.err()).isZero();
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(local.out()).contains("[cinnabar] ").contains("[scheelite] ");
        assertThat(sim.resolve("hosts/cinnabar/run/current-system")).isSymbolicLink();
        assertThat(sim.resolve("hosts/scheelite/run/current-system")).isSymbolicLink();
        assertThat(noFlake.exit()).isEqualTo(1);
        assertThat(noFlake.err()).contains("not a flake");
    }

    @Test
    void darwinUpdateRecordsConfigurationRevisionThatDarwinVersionReports() throws IOException {
        Run update = deploy("stibnite", REV_A);
        Run version = shell(probeEnv("stibnite"), "darwin-version --json");

        assertThat(update.exit()).as(update.err()).isZero();
        assertThat(link("stibnite", "current-system")).matches(STORE_HASH + "darwin-system-25\\.11\\..+");
        assertThat(sim.resolve("hosts/stibnite/run/booted-system")).doesNotExist();
        assertThat(Files.readString(sim.resolve("hosts/stibnite/configuration-revision")).strip()).isEqualTo(REV_A);
        assertThat(version.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(version.out());
        assertThat(json.path("configurationRevision").asText()).isEqualTo(REV_A);
        assertThat(json.path("darwinRevision").asText()).matches("[0-9a-f]{40}");
        assertThat(json.path("nixpkgsRevision").asText()).matches("[0-9a-f]{40}");
        assertThat(json.path("darwinLabel").asText()).startsWith("25.11.");
    }

    @Test
    void nixosVersionReportsNoConfigurationRevisionForTheDemoNixosHosts() throws IOException {
        deploy("galena", REV_A);

        Run json = shell(probeEnv("galena"), "nixos-version --json");
        Run plain = shell(probeEnv("galena"), "nixos-version");

        assertThat(json.exit()).isZero();
        JsonNode version = new ObjectMapper().readTree(json.out());
        assertThat(version.has("configurationRevision")).isFalse();
        assertThat(version.path("nixosVersion").asText()).matches("25\\.11\\.\\d{8}\\.[0-9a-f]{7}");
        assertThat(version.path("nixpkgsRevision").asText()).matches("[0-9a-f]{40}");
        assertThat(plain.out().strip()).isEqualTo(version.path("nixosVersion").asText() + " (Xantusia)");
    }

    @Test
    void failDeployFailsWithTheMachinePrefixAndActivatesNothing() throws IOException {
        Files.createDirectories(sim.resolve("hosts/galena"));
        Files.writeString(sim.resolve("hosts/galena/fail-deploy"), "disk full\n");

        Run run = deploy("galena", REV_A);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("[galena] error: disk full");
        assertThat(sim.resolve("hosts/galena/run/current-system")).doesNotExist();
    }

    @Test
    void aThrowInTheMachineFolderFailsOnlyThatBuildUntilItIsRemoved() throws IOException {
        Path module = checkout.resolve("modules/machines/nixos/galena/default.nix");
        String fixed = Files.readString(module);
        Files.writeString(module, "{ ... }:\nthrow \"galena: broken on purpose\"\n");

        Run broken = run(checkout, systemEnv("galena", REV_A), "clan", "machines", "update", "galena", "cinnabar");

        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).startsWith("[galena] error: galena: broken on purpose\n")
                .endsWith("error: failed to update machines: galena\n");
        assertThat(broken.out()).doesNotContain("[galena] these 2 derivations").contains("[cinnabar] Done: ");
        assertThat(sim.resolve("hosts/galena/run/current-system")).doesNotExist();
        assertThat(sim.resolve("hosts/cinnabar/run/current-system")).isSymbolicLink();

        Files.writeString(module, fixed);
        Run repaired = deploy("galena", REV_B);

        assertThat(repaired.exit()).as(repaired.err()).isZero();
        assertThat(link("galena", "current-system")).matches(NIXOS_SYSTEM.formatted("galena"));
    }

    @Test
    void deployKilledDuringTheDelayActivatesNothing() throws Exception {
        Files.createDirectories(sim.resolve("hosts/galena"));
        Files.writeString(sim.resolve("hosts/galena/deploy-delay"), "300\n");
        Path out = work.resolve("delayed.out");
        Process process = processBuilder(checkout, systemEnv("galena", REV_A), "clan", "machines", "update", "galena")
                .redirectOutput(out.toFile())
                .redirectError(work.resolve("delayed.err").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(out).contains("[galena] copying path"));
            assertThat(process.isAlive()).isTrue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(sim.resolve("hosts/galena/run/current-system")).doesNotExist();
    }

    @Test
    void aHeldDeployWaitsBeforeActivatingUntilReleased() throws Exception {
        Path hold = Files.createDirectories(sim.resolve("hosts/galena")).resolve("deploy-hold");
        Files.writeString(hold, "");
        Path out = work.resolve("held.out");
        Process process = processBuilder(checkout, systemEnv("galena", REV_A), "clan", "machines", "update", "galena")
                .redirectOutput(out.toFile())
                .redirectError(work.resolve("held.err").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(out).contains("[galena] copying path"));
            assertThat(process.isAlive()).isTrue();
            assertThat(sim.resolve("hosts/galena/run/current-system")).doesNotExist();

            Files.delete(hold);

            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(link("galena", "current-system")).matches(NIXOS_SYSTEM.formatted("galena"));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void clanRefusesToRunOutsideASimulation() {
        Map<String, String> env = systemEnv("galena", REV_A);
        env.remove("FLEETWARD_SIMULATION");

        Run run = run(checkout, env, "clan", "machines", "update", "galena");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("FLEETWARD_SIMULATION");
    }

    @Test
    void homeSwitchWritesOneGenerationPerRevision() throws IOException {
        Run before = shell(homeEnv("janettesmith", "rosegold", null), "readlink \"$HOME/" + HOME_LINK + "\"");
        Run first = nh("janettesmith", "rosegold", REV_A);
        String generationA = homeLink("janettesmith", "rosegold");
        Run second = nh("janettesmith", "rosegold", REV_B);
        Run probe = shell(homeEnv("janettesmith", "rosegold", null), "readlink \"$HOME/" + HOME_LINK + "\"");

        assertThat(before.exit()).isEqualTo(1);
        assertThat(before.out()).isEmpty();
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(generationA).matches(STORE_HASH + "home-manager-generation");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(probe.out().strip()).isNotEqualTo(generationA).matches(STORE_HASH + "home-manager-generation");
    }

    @Test
    void dryHomeSwitchChangesNothing() throws IOException {
        nh("janettesmith", "rosegold", REV_A);
        String generation = homeLink("janettesmith", "rosegold");

        Run dry = nh("janettesmith", "rosegold", REV_B, "--dry");

        assertThat(dry.exit()).isZero();
        assertThat(homeLink("janettesmith", "rosegold")).isEqualTo(generation);
    }

    @Test
    void failSwitchFailsAndKeepsTheGeneration() throws IOException {
        nh("christophersmith", "argentum", REV_A);
        String generation = homeLink("christophersmith", "argentum");
        Files.writeString(home("christophersmith", "argentum").resolve("fail-switch"), "");

        Run run = nh("christophersmith", "argentum", REV_B);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: ");
        assertThat(homeLink("christophersmith", "argentum")).isEqualTo(generation);
    }

    @Test
    void homeSwitchOfAnotherUsersConfigurationFails() {
        Run run = run(work, homeEnv("janettesmith", "rosegold", REV_A), "nh", "home", "switch",
                flakeRef(REV_A), "--configuration", "cameron@rosegold");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(home("janettesmith", "rosegold").resolve(HOME_LINK)).doesNotExist();
    }

    @Test
    void homeSwitchUsageErrorExitsTwo() {
        Run run = run(work, homeEnv("janettesmith", "rosegold", REV_A), "nh", "home", "switch", "--bogus");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: nh home switch");
    }

    @Test
    void readlinkMapsTheRunLinksOfTheProbedHost() throws IOException {
        deploy("galena", REV_A);

        Run current = shell(probeEnv("galena"), "readlink /run/current-system");
        Run booted = shell(probeEnv("galena"), "readlink /run/booted-system");
        Run notInstalled = shell(probeEnv("cinnabar"), "readlink /run/current-system");

        assertThat(current.exit()).isZero();
        assertThat(current.out().strip()).isEqualTo(link("galena", "current-system"));
        assertThat(booted.out().strip()).isEqualTo(link("galena", "booted-system"));
        assertThat(notInstalled.exit()).isEqualTo(1);
        assertThat(notInstalled.out()).isEmpty();
    }

    @Test
    void readlinkFallsThroughToTheRealOneForOtherPaths() throws IOException {
        Path link = Files.createSymbolicLink(work.resolve("some link"), Path.of("/nix/store/target"));

        Run mapped = run(work, probeEnv("galena"), "readlink", link.toString());
        Run missing = run(work, probeEnv("galena"), "readlink", work.resolve("missing").toString());
        Run canonical = run(work, probeEnv("galena"), "readlink", "-f", checkout.resolve("flake.nix").toString());

        assertThat(mapped.exit()).isZero();
        assertThat(mapped.out()).isEqualTo("/nix/store/target\n");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(canonical.out().strip()).isEqualTo(checkout.resolve("flake.nix").toRealPath().toString());
    }

    @Test
    void everyActivationIsLoggedWithTheAccountThatRanIt() throws IOException {
        String account = shell(probeEnv("galena"), "id -un").out().strip();

        Run system = deploy("galena", REV_A);
        Run home = nh("janettesmith", "rosegold", REV_A);

        assertThat(system.exit()).as(system.err()).isZero();
        assertThat(home.exit()).as(home.err()).isZero();
        String time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z ";
        assertThat(Files.readAllLines(sim.resolve("hosts/galena/activations.log"))).singleElement().asString()
                .matches(time + Pattern.quote(account + " system " + link("galena", "current-system")));
        assertThat(Files.readAllLines(home("janettesmith", "rosegold").resolve("activations.log"))).singleElement()
                .asString().matches(time + Pattern.quote(account + " home " + homeLink("janettesmith", "rosegold")));
    }

    @Test
    void clanActivatesOverSshAtTheTargetHostAndFailsWithTheMachinePrefixWhenRefused() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Files.createDirectories(sim.resolve("hosts/galena"));
        Files.writeString(sim.resolve("hosts/galena/ssh-target"), "root@127.0.0.1:" + closed + "\n");

        Run run = deploy("galena", REV_A);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("' to 'ssh://root@127.0.0.1:" + closed + "'...");
        assertThat(run.err())
                .contains("[galena] ssh: connect to host 127.0.0.1 port " + closed + ": Connection refused")
                .contains("[galena] error: the activation on root@127.0.0.1 port " + closed + " failed (exit 255)")
                .endsWith("error: failed to update machines: galena\n");
        assertThat(sim.resolve("hosts/galena/run/current-system")).doesNotExist();
        assertThat(sim.resolve("hosts/galena/activations.log")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "root@", "@127.0.0.1:22", "root@127.0.0.1:", "Root@127.0.0.1:22",
            "root@127.0.0.1:ssh", "root@-oProxyCommand=touch pwned", "root@127.0.0.1:22;touch pwned",
            "x;touch pwned@127.0.0.1:22", "root@127.0.0.1:2 2", "root@host@127.0.0.1:22", "root@$(touch pwned):22"})
    void clanRefusesAMalformedSshTargetAndActivatesNothing(String target) throws IOException {
        Files.createDirectories(sim.resolve("hosts/galena"));
        Files.writeString(sim.resolve("hosts/galena/ssh-target"), target + "\n");

        Run run = deploy("galena", REV_A);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("[galena] error: ").contains("does not hold a target host user@address[:port]");
        assertThat(sim.resolve("hosts/galena/run/current-system")).doesNotExist();
        assertThat(filesNamed("pwned", sim, work)).isEmpty();
    }

    static Stream<Arguments> activatorRefusals() {
        String path = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-galena-25.11";
        String label = "25.11.20251120.8c7d460";
        return Stream.of(
                Arguments.of(2, List.of("--platform", "windows", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B, path)),
                Arguments.of(2, List.of("--platform", "nixos", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B)),
                Arguments.of(2, List.of("--platform", "nixos", "--force", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B, path)),
                Arguments.of(2, List.of("--platform", "nixos", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B, path, path)),
                Arguments.of(1, List.of("--platform", "nixos", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B, "/etc/passwd")),
                Arguments.of(1, List.of("--platform", "nixos", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B,
                        "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-x;touch pwned")),
                Arguments.of(1, List.of("--platform", "nixos", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B,
                        "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-../../../etc")),
                Arguments.of(1, List.of("--platform", "nixos", "--label", label + "$(touch pwned)", "--nixpkgs", REV_A,
                        "--darwin", REV_B, path)),
                Arguments.of(1, List.of("--platform", "nixos", "--label", label, "--nixpkgs", "main", "--darwin", REV_B, path)),
                Arguments.of(1, List.of("--platform", "darwin", "--label", label, "--nixpkgs", REV_A, "--darwin", REV_B,
                        "--configuration-revision", "HEAD", path)));
    }

    @ParameterizedTest
    @MethodSource("activatorRefusals")
    void activatorRefusesBadArgumentsAndChangesNothing(int exit, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("fleetward-sim-activate"));
        argv.addAll(args);

        Run run = run(work, probeEnv("galena"), argv.toArray(String[]::new));

        assertThat(run.exit()).as(run.err()).isEqualTo(exit);
        assertThat(run.out()).isEmpty();
        assertThat(sim.resolve("hosts/galena")).doesNotExist();
        assertThat(filesNamed("pwned", sim, work)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "two words", "it's", "'", "''", "$(touch pwned)", "`touch pwned`", "a\nb\n", "",
            "-n", "back\\slash", "*", "\"double\"", "$HOME", "; touch pwned"})
    void shellWordsReachAnotherShellAsExactlyTheirArguments(String value) throws IOException {
        // As over ssh: the line is handed to a second shell ("$SHELL -c LINE" on the far side).
        Run run = run(work, probeEnv("galena"), "/bin/sh", "-c",
                ". \"$1\"; line=$(standin_shell_words \"$2\" last); exec /bin/sh -c \"printf '[%s]' $line\"",
                "sh", sim.resolve("lib/standin.sh").toString(), value);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("[" + value + "][last]");
        assertThat(filesNamed("pwned", sim, work)).isEmpty();
    }

    /** Guards the template: every overlay host is a machine folder, every user a user folder. */
    @Test
    void demoOverlayNamesExactlyTheMachineAndUserFolders() throws IOException {
        JsonNode overlay = new YAMLMapper().readTree(checkout.resolve("fleetward.yaml").toFile());
        TreeSet<String> hosts = new TreeSet<>();
        overlay.path("hosts").fieldNames().forEachRemaining(hosts::add);
        TreeSet<String> users = new TreeSet<>();
        overlay.path("hosts").forEach(host -> host.path("users").forEach(user -> users.add(user.path("name").asText())));

        TreeSet<String> machineFolders = new TreeSet<>(folders("modules/machines/nixos"));
        machineFolders.addAll(folders("modules/machines/darwin"));
        assertThat(hosts).isEqualTo(machineFolders).hasSize(8);
        assertThat(users).isEqualTo(new TreeSet<>(folders("modules/home/users")));
        assertThat(checkout.resolve(".git")).doesNotExist();
    }

    /** {@code clan machines update HOST} as a system deployment runs it: in the checkout. */
    private Run deploy(String host, String rev) {
        return run(checkout, systemEnv(host, rev), "clan", "machines", "update", host);
    }

    /** clan with arbitrary arguments, in the checkout, with the environment of a galena deployment. */
    private Run clan(String... args) {
        String[] argv = Stream.concat(Stream.of("clan"), Stream.of(args)).toArray(String[]::new);
        return run(checkout, systemEnv("galena", REV_A), argv);
    }

    private Run nh(String user, String host, String rev, String... extra) {
        List<String> argv = new ArrayList<>(List.of("nh", "home", "switch", flakeRef(rev),
                "--configuration", user + "@" + host));
        argv.addAll(List.of(extra));
        return run(work, homeEnv(user, host, rev), argv.toArray(String[]::new));
    }

    private String flakeRef(String rev) {
        return "git+file://" + checkout.toAbsolutePath() + "?ref=main&rev=" + rev;
    }

    private Map<String, String> probeEnv(String host) {
        return baseEnv(host, sim.resolve("hosts").resolve(host).resolve("home/root"));
    }

    private Map<String, String> systemEnv(String host, String rev) {
        Map<String, String> env = probeEnv(host);
        env.put("FLEETWARD_REV", rev);
        env.put("FLEETWARD_TARGET", "system:" + host);
        return env;
    }

    private Map<String, String> homeEnv(String user, String host, String rev) {
        Map<String, String> env = baseEnv(host, home(user, host));
        env.put("FLEETWARD_USER", user);
        if (rev != null) {
            env.put("FLEETWARD_REV", rev);
            env.put("FLEETWARD_TARGET", "home:" + user + "@" + host);
        }
        return env;
    }

    private Map<String, String> baseEnv(String host, Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", sim.resolve("bin").toAbsolutePath() + ":" + System.getenv("PATH"));
        env.put("FLEETWARD_SIMULATION", sim.toAbsolutePath().toString());
        env.put("FLEETWARD_HOST", host);
        env.put("HOME", home.toAbsolutePath().toString());
        return env;
    }

    private Path home(String user, String host) {
        return sim.resolve("hosts").resolve(host).resolve("home").resolve(user);
    }

    private String link(String host, String name) throws IOException {
        return Files.readSymbolicLink(sim.resolve("hosts").resolve(host).resolve("run").resolve(name)).toString();
    }

    private String homeLink(String user, String host) throws IOException {
        return Files.readSymbolicLink(home(user, host).resolve(HOME_LINK)).toString();
    }

    /** Runs a command line exactly as the local transport does: {@code /bin/sh -c LINE}. */
    private Run shell(Map<String, String> env, String line) {
        return run(work, env, "/bin/sh", "-c", line);
    }

    /** Runs argv (a bare first word is a tool of the simulation) with exactly {@code env}. */
    private Run run(Path cwd, Map<String, String> env, String... argv) {
        int n = runs.incrementAndGet();
        Path out = work.resolve("run-" + n + ".out");
        Path err = work.resolve("run-" + n + ".err");
        try {
            Process process = processBuilder(cwd, env, argv)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time: %s", List.of(argv)).isTrue();
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ProcessBuilder processBuilder(Path cwd, Map<String, String> env, String... argv) {
        List<String> command = new ArrayList<>(List.of(argv));
        // ProcessBuilder looks programs up on the JVM's PATH, not the child's: resolve ours here.
        if (!command.get(0).contains("/")) {
            command.set(0, sim.resolve("bin").resolve(command.get(0)).toAbsolutePath().toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder;
    }

    private List<String> folders(String relative) throws IOException {
        try (Stream<Path> entries = Files.list(checkout.resolve(relative))) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        }
    }

    private static List<Path> filesNamed(String name, Path... roots) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().equals(name)).forEach(found::add);
            }
        }
        return found;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void setExecutable(Path tool) {
        try {
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
