package io.fleetward.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fleetward.SimulatedFleet;
import io.fleetward.transport.CommandTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reference fleet on real OpenSSH: each of the eight demo hosts is an {@code sshd} on its own
 * loopback address ({@code 127.0.77.1..8}, in the order of the demo overlay, all on one free port),
 * with unix accounts for root and the host's users, and the desired-state repository is served by
 * a ninth sshd ({@code fleetward-git@127.0.77.200}, login shell git-shell).
 *
 * <p>It builds on {@link SimulatedFleet}: the same working repository (where {@link #commit} commits
 * before pushing to the served bare repository) and the same simulation root of stand-in tools and
 * per-host state ({@code <sim>/hosts/<host>/}). Every session a host's sshd starts sees, through
 * {@code SetEnv} in a {@code Match User} block per account, {@code FLEETWARD_HOST=<host>},
 * {@code FLEETWARD_SIMULATION=<sim>}, {@code PATH=<sim>/bin:/usr/bin:/bin} and
 * {@code HOME=<sim>/hosts/<host>/home/<user>}: the stand-ins then act on that host's state. Each
 * user owns only their simulated home; root owns the rest. {@code <sim>/hosts/<host>/ssh-target}
 * ({@code root@127.0.77.N:port}) makes the stand-in clan activate over SSH, with the fleet's client
 * key and known_hosts in {@code <sim>/ssh/}.
 *
 * <p>Needs root (useradd, sshd); see {@link E2eEnvironment#assumeReady()}. Closing stops every sshd
 * and the sessions under it; the accounts and the temporary folder stay.
 */
public final class OpenSshFleet implements AutoCloseable {
    /** The user that owns and serves the desired-state repository. */
    public static final String GIT_USER = "fleetward-git";

    private static final String HOST_ADDRESS_PREFIX = "127.0.77.";
    private static final String GIT_ADDRESS = "127.0.77.200";
    private static final String SHELL = "/bin/sh";
    private static final String GIT_SHELL = "/usr/bin/git-shell";
    private static final String NIX_BASE32 = "0123456789abcdfghijklmnpqrsvwxyz";
    private static final String STORE = "/nix/store/";

    private final SimulatedFleet simulated;
    private final Path root;
    private final Path simulation;
    private final Path keys;
    private final Path daemonsDir;
    private final Path bareRepository;
    private final Map<String, FleetHost> hosts = new LinkedHashMap<>();
    private final Map<String, SshDaemon> daemons = new LinkedHashMap<>();
    private SshDaemon gitDaemon;
    private int port;
    private Duration startupTime;
    private Thread shutdownHook;

    /**
     * One simulated host.
     *
     * @param platform nixos or darwin (its folder under modules/machines)
     * @param login    the user part of its demo target-host (root when the demo names none)
     * @param users    the users the demo overlay declares for it
     */
    private record FleetHost(String name, String platform, String address, String login, List<String> users) {
        /** Everyone who may log in: root (clan's activation), the target-host user and the declared users. */
        Set<String> accounts() {
            Set<String> accounts = new TreeSet<>(users);
            accounts.add("root");
            accounts.add(login);
            return accounts;
        }
    }

    private OpenSshFleet(SimulatedFleet simulated) {
        this.simulated = simulated;
        this.root = simulated.root();
        this.simulation = root.resolve("sim");
        this.keys = simulation.resolve("ssh");
        this.daemonsDir = root.resolve("sshd");
        this.bareRepository = root.resolve("git/fleet.git");
    }

    /** Lays out the fleet and starts its nine sshds; the caller closes it. */
    public static OpenSshFleet start() {
        OpenSshFleet fleet = new OpenSshFleet(SimulatedFleet.create());
        try {
            fleet.setUp();
            return fleet;
        } catch (IOException e) {
            fleet.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            fleet.close();
            throw e;
        }
    }

    private void setUp() throws IOException {
        readDemoHosts();
        // The temporary folder is private to root; sessions of the fleet's users must reach the
        // stand-in tools and their homes in it.
        for (Path dir : List.of(root, simulation, simulation.resolve("bin"), simulation.resolve("lib"))) {
            chmod(dir, "rwxr-xr-x");
        }
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        createAccounts();
        createKeys();
        port = freePort(Stream.concat(hosts.values().stream().map(FleetHost::address), Stream.of(GIT_ADDRESS)).toList());
        for (FleetHost host : hosts.values()) {
            createHostState(host);
        }
        String revision = commitSshOverlay();
        createBareRepository(revision);
        for (FleetHost host : hosts.values()) {
            daemons.put(host.name(), new SshDaemon(host.name(), host.address(), port, daemonsDir.resolve(host.name()),
                    hostSettings(host)));
        }
        gitDaemon = new SshDaemon("git", GIT_ADDRESS, port, daemonsDir.resolve("git"),
                commonSettings() + "AllowUsers " + GIT_USER + "\n");
        writeKnownHosts();

        shutdownHook = new Thread(this::stopAll, "fleetward-e2e-sshd-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long started = System.nanoTime();
        allDaemons().forEach(SshDaemon::launch);
        allDaemons().forEach(SshDaemon::awaitReady);
        startupTime = Duration.ofNanos(System.nanoTime() - started);
    }

    /** Hosts, their platform and users, from the demo repository's overlay and machine folders. */
    private void readDemoHosts() throws IOException {
        Path repo = root.resolve("repo");
        JsonNode overlay = new YAMLMapper().readTree(repo.resolve("fleetward.yaml").toFile());
        int index = 1;
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) overlay.path("hosts")::fields) {
            String name = entry.getKey();
            String platform = Files.isDirectory(repo.resolve("modules/machines/nixos").resolve(name)) ? "nixos" : "darwin";
            String targetHost = entry.getValue().path("target-host").asText("");
            String login = targetHost.contains("@") ? targetHost.substring(0, targetHost.indexOf('@')) : "root";
            List<String> users = new ArrayList<>();
            entry.getValue().path("users").forEach(user -> users.add(user.path("name").asText()));
            hosts.put(name, new FleetHost(name, platform, HOST_ADDRESS_PREFIX + index++, login, List.copyOf(users)));
        }
    }

    private void createAccounts() {
        hosts.values().stream().flatMap(host -> host.accounts().stream()).filter(user -> !user.equals("root"))
                .distinct().forEach(user -> UnixAccount.ensure(user, SHELL));
        UnixAccount.ensure(GIT_USER, GIT_SHELL);
    }

    /** The client key (fleetward's and the stand-in clan's) and who may log in with it. */
    private void createKeys() throws IOException {
        Files.createDirectories(keys);
        chmod(keys, "rwx------");
        ExternalCommand.require("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fleetward-e2e",
                "-f", clientKey().toString());
        String publicKey = Files.readString(Path.of(clientKey() + ".pub"));
        Path authorized = daemonsDir.resolve("authorized_keys");
        Files.createDirectories(authorized);
        chmod(daemonsDir, "rwxr-xr-x");
        chmod(authorized, "rwxr-xr-x");
        Set<String> accounts = new TreeSet<>(Set.of(GIT_USER));
        hosts.values().forEach(host -> accounts.addAll(host.accounts()));
        for (String account : accounts) {
            // sshd reads authorized keys with the user's own rights.
            Path file = authorized.resolve(account);
            Files.writeString(file, publicKey);
            chmod(file, "rw-r--r--");
        }
    }

    /** The host's state folder: root's, each user's home their own, and clan's SSH target. */
    private void createHostState(FleetHost host) throws IOException {
        Path state = hostState(host.name());
        Files.createDirectories(state.resolve("home"));
        chmod(simulation.resolve("hosts"), "rwxr-xr-x");
        chmod(state, "rwxr-xr-x");
        chmod(state.resolve("home"), "rwxr-xr-x");
        for (String account : host.accounts()) {
            Path home = home(host.name(), account);
            Files.createDirectories(home);
            chmod(home, "rwxr-xr-x");
            UnixAccount.own(home, account);
        }
        Files.writeString(state.resolve("ssh-target"), "root@" + host.address() + ":" + port + "\n");
        // Where the host's sshd writes its pid: fleetward-sim-activate --break-ssh stops it from there.
        Files.writeString(state.resolve("sshd-pid-file"), daemonsDir.resolve(host.name()).resolve("sshd.pid") + "\n");
    }

    /** Commits the demo overlay rewritten to reach every host over SSH at its address. */
    private String commitSshOverlay() throws IOException {
        YAMLMapper yaml = YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build();
        ObjectNode overlay = (ObjectNode) yaml.readTree(root.resolve("repo/fleetward.yaml").toFile());
        JsonNode defaults = overlay.get("defaults");
        (defaults instanceof ObjectNode object ? object : overlay.putObject("defaults")).put("transport", "ssh");
        for (FleetHost host : hosts.values()) {
            ObjectNode entry = (ObjectNode) overlay.path("hosts").path(host.name());
            entry.put("target-host", host.login() + "@" + host.address() + ":" + port);
            entry.put("transport", "ssh");
        }
        String text = "# The demo overlay, every host reached over SSH on its simulated address (OpenSshFleet).\n"
                + yaml.writeValueAsString(overlay);
        return simulated.commit("fleetward.yaml", text, "Reach the fleet over SSH");
    }

    private void createBareRepository(String revision) throws IOException {
        Files.createDirectories(bareRepository.getParent());
        chmod(bareRepository.getParent(), "rwxr-xr-x");
        ExternalCommand.require("git", "clone", "--quiet", "--bare", root.resolve("repo").toString(),
                bareRepository.toString());
        // Owned by the serving account, as on a git server: git refuses repositories of other owners.
        try (Stream<Path> files = Files.walk(bareRepository)) {
            files.forEach(file -> UnixAccount.own(file, GIT_USER));
        }
        String served = ExternalCommand.require("git", "--git-dir", bareRepository.toString(), "rev-parse",
                "refs/heads/main").strip();
        if (!served.equals(revision)) {
            throw new IllegalStateException("the bare repository serves " + served + ", not " + revision);
        }
    }

    private String commonSettings() {
        return "AuthorizedKeysFile " + daemonsDir.resolve("authorized_keys") + "/%u\n"
                + """
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                UseDNS no
                PermitUserEnvironment no
                AllowTcpForwarding no
                AllowAgentForwarding no
                X11Forwarding no
                PrintMotd no
                PrintLastLog no
                MaxStartups 64
                MaxSessions 64
                LogLevel VERBOSE
                """;
    }

    /**
     * A host's sshd settings. sshd keeps the first value of SetEnv it reads, so there is no global
     * SetEnv: each account's Match block carries its whole environment. SetEnv overrides the HOME and
     * PATH sshd would set (checked on OpenSSH 9.2 by {@code OpenSshFleetTest}).
     */
    private String hostSettings(FleetHost host) {
        StringBuilder settings = new StringBuilder(commonSettings());
        settings.append("AllowUsers ").append(String.join(" ", host.accounts())).append('\n');
        for (String account : host.accounts()) {
            settings.append("Match User ").append(account).append('\n')
                    .append("    SetEnv")
                    .append(setEnv("FLEETWARD_HOST", host.name()))
                    .append(setEnv("FLEETWARD_SIMULATION", simulation.toString()))
                    .append(setEnv("PATH", simulation.resolve("bin") + ":/usr/bin:/bin"))
                    .append(setEnv("HOME", home(host.name(), account).toString()))
                    .append('\n');
        }
        return settings.toString();
    }

    private static String setEnv(String name, String value) {
        if (value.contains("\"") || value.contains("\\") || value.contains("\n")) {
            throw new IllegalArgumentException("cannot write " + name + " into sshd_config: " + value);
        }
        return " \"" + name + "=" + value + "\"";
    }

    private void writeKnownHosts() throws IOException {
        String lines = allDaemons().map(SshDaemon::knownHostsLine).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(knownHostsFile(), lines);
        chmod(knownHostsFile(), "rw-r--r--");
    }

    /** One port free on every address, so that each host differs only by address. */
    private static int freePort(List<String> addresses) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(addresses.get(0)))) {
                candidate = probe.getLocalPort();
            }
            if (freeOnAll(addresses, candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no port is free on all of " + addresses);
    }

    private static boolean freeOnAll(List<String> addresses, int candidate) throws IOException {
        List<ServerSocket> bound = new ArrayList<>();
        try {
            for (String address : addresses) {
                bound.add(new ServerSocket(candidate, 1, InetAddress.getByName(address)));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket socket : bound) {
                socket.close();
            }
        }
    }

    /** The host names, in address order (127.0.77.1 first). */
    public List<String> hosts() {
        return List.copyOf(hosts.keySet());
    }

    /** The address the host's sshd listens on. */
    public String address(String host) {
        return host(host).address();
    }

    /** The port every sshd of the fleet listens on. */
    public int port() {
        return port;
    }

    /** nixos or darwin. */
    public String platform(String host) {
        return host(host).platform();
    }

    /** The users the overlay declares for the host. */
    public List<String> users(String host) {
        return host(host).users();
    }

    /** The desired-state repository: {@code ssh://fleetward-git@127.0.77.200:<port>/<root>/git/fleet.git}. */
    public String sourceUrl() {
        return "ssh://" + GIT_USER + "@" + GIT_ADDRESS + ":" + port + bareRepository;
    }

    /** Private key (ed25519, unencrypted, mode 600) that root and every fleet user accept. */
    public Path clientKey() {
        return keys.resolve("id_ed25519");
    }

    /** known_hosts with every sshd's key as {@code [127.0.77.N]:port ssh-ed25519 ...}. */
    public Path knownHostsFile() {
        return keys.resolve("known_hosts");
    }

    /** The simulation root: stand-in tools in {@code bin}, per-host state in {@code hosts/<host>}. */
    public Path simulation() {
        return simulation;
    }

    /** A host's state folder ({@code run/current-system}, system-version, fault files, homes). */
    public Path hostState(String host) {
        return simulation.resolve("hosts").resolve(host(host).name());
    }

    /** The HOME a session of {@code user} on {@code host} gets. */
    public Path home(String host, String user) {
        return hostState(host).resolve("home").resolve(user);
    }

    /** A fresh data dir for the fleetward instance under test. */
    public Path dataDir() {
        return simulated.data();
    }

    /** How long the nine sshds took from launch until all greeted. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Settings that point a fleetward instance at this fleet: the SSH source, SSH to every host with
     * the fleet's key and known_hosts, system deploys by the stand-in clan on the controller (local
     * transport with the simulation root), short timeouts; tests trigger passes themselves.
     */
    public Map<String, String> config() {
        Map<String, String> config = new TreeMap<>(simulated.config());
        config.put("fleetward.source.url", sourceUrl());
        config.put("fleetward.source.fetch-timeout", "15s");
        config.put("fleetward.transport.default", "ssh");
        config.put("fleetward.ssh.identity", clientKey().toString());
        config.put("fleetward.ssh.known-hosts", knownHostsFile().toString());
        config.put("fleetward.ssh.host-key-policy", "strict");
        config.put("fleetward.ssh.connect-timeout", "2s");
        config.put("fleetward.ssh.auth-timeout", "3s");
        config.put("fleetward.ssh.keep-alive", "2s");
        config.put("fleetward.ssh.idle-timeout", "1m");
        config.put("fleetward.probe.timeout", "5s");
        config.put("fleetward.deploy.timeout", "1m");
        // The simulation has no Nix store: a rollback re-activates a system the host ran before.
        config.put("fleetward.commands.rollback-system.nixos", "fleetward-sim-activate --rollback {previous}");
        config.put("fleetward.commands.rollback-system.darwin", "fleetward-sim-activate --rollback {previous}");
        config.put("fleetward.deploy.confirm-timeout", "20s");
        return config;
    }

    /** Stops the host's sshd: new connections are refused and open sessions break. */
    public void stop(String host) {
        daemon(host).stop();
    }

    /** Starts the host's sshd again and waits until it answers. */
    public void start(String host) {
        daemon(host).start();
    }

    public boolean running(String host) {
        return daemon(host).running();
    }

    /** Restarts the host's sshd with a new host key; known_hosts keeps the old one, so clients refuse it. */
    public void swapHostKey(String host) {
        SshDaemon daemon = daemon(host);
        daemon.stop();
        daemon.swapHostKey();
        daemon.start();
    }

    /** Restarts the host's sshd with the key known_hosts holds. */
    public void restoreHostKey(String host) {
        SshDaemon daemon = daemon(host);
        daemon.stop();
        daemon.restoreHostKey();
        daemon.start();
    }

    /** Makes the stand-in {@code clan machines update <host>} fail in its build (exit 1), or succeed again. */
    public void failDeploys(String host, boolean fail) {
        simulated.failDeploys(host(host).name(), fail);
    }

    /** Makes the host's deploy take {@code seconds} before it activates (a long build), or not (null). */
    public void deployDelay(String host, Integer seconds) {
        simulated.deployDelay(host(host).name(), seconds);
    }

    /**
     * Makes the system that {@code revision} builds for {@code host} cut the host off SSH when it is
     * activated (a firewall or sshd change gone wrong): its sshd and every other connection are killed.
     */
    public void breakSshAt(String host, String revision) {
        try {
            Files.writeString(hostState(host).resolve("break-ssh-at"), revision + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code path} in the working repository. */
    public String read(String path) {
        try {
            return Files.readString(root.resolve("repo").resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code nh home switch} of {@code user} on {@code host} fail (exit 1), or succeed again. */
    public void failHomeSwitches(String host, String user, boolean fail) {
        Path flag = home(host, user).resolve("fail-switch");
        try {
            if (fail) {
                Files.writeString(flag, "");
            } else {
                Files.deleteIfExists(flag);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What an administrator switching by hand does: as root on the host, over SSH, activates a system
     * path fleetward never deployed (same name, another store hash; no configurationRevision, like a
     * switch from a local tree). The host must have been deployed once.
     *
     * @return the new system path
     */
    public String manualSwitch(String host) {
        FleetHost fleetHost = host(host);
        String current = currentSystem(host)
                .orElseThrow(() -> new IllegalStateException(host + " was never deployed: nothing to switch from"));
        String[] version;
        try {
            version = Files.readString(hostState(host).resolve("system-version")).strip().split(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = STORE + randomStoreHash() + current.substring(STORE.length() + 32);
        String command = words("fleetward-sim-activate", "--platform", fleetHost.platform(), "--label", version[0],
                "--nixpkgs", version[1], "--darwin", version[2], path);
        ProcessOutcome outcome = ssh(host, "root", command);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("manual switch on " + host + " failed: " + outcome);
        }
        return path;
    }

    /** The system path the host runs ({@code /run/current-system}), if it was ever activated. */
    public Optional<String> currentSystem(String host) {
        return link(hostState(host).resolve("run/current-system"));
    }

    /** The user's current home-manager generation on the host, if any. */
    public Optional<String> currentHome(String host, String user) {
        return link(home(host, user).resolve(".local/state/home-manager/gcroots/current-home"));
    }

    /**
     * Every activation on the host, oldest first: the system ones (logged by root in the host's state)
     * and each user's home ones (logged in that user's home, by the user).
     */
    public List<Activation> activations(String host) {
        List<Path> logs = new ArrayList<>();
        logs.add(hostState(host).resolve("activations.log"));
        try (Stream<Path> homes = Files.list(hostState(host).resolve("home"))) {
            homes.map(home -> home.resolve("activations.log")).forEach(logs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Activation> activations = new ArrayList<>();
        for (Path log : logs) {
            if (Files.exists(log)) {
                try {
                    Files.readAllLines(log).stream().filter(line -> !line.isBlank()).map(Activation::parse)
                            .forEach(activations::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        activations.sort(Comparator.comparing(Activation::at));
        return activations;
    }

    /** Commits {@code text} at {@code path} and pushes it to the served repository; returns the revision. */
    public String commit(String path, String text, String message) {
        String revision = simulated.commit(path, text, message);
        push();
        return revision;
    }

    /** Appends a comment line to {@code path}, commits and pushes; returns the revision. */
    public String touch(String path, String message) {
        String revision = simulated.touch(path, message);
        push();
        return revision;
    }

    /** The revision the served repository's main branch points at. */
    public String head() {
        return ExternalCommand.require("git", "--git-dir", bareRepository.toString(), "rev-parse", "refs/heads/main")
                .strip();
    }

    private void push() {
        ProcessOutcome outcome = git(root.resolve("repo"), "push", "--quiet", sourceUrl(), "HEAD:refs/heads/main");
        if (!outcome.succeeded()) {
            throw new IllegalStateException("push to " + sourceUrl() + " failed: " + outcome);
        }
    }

    /** Runs {@code git ARGS} in {@code directory} with the fleet's key and known_hosts for ssh:// URLs. */
    public ProcessOutcome git(Path directory, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        String sshCommand = sshOptions().stream().map(CommandTemplate::quote).collect(Collectors.joining(" "));
        return ExternalCommand.run(argv, Map.of("GIT_SSH_COMMAND", sshCommand), directory);
    }

    /**
     * The OpenSSH client command that runs {@code commandLine} as {@code user} on {@code host}: the
     * fleet's key and known_hosts only, strict host key checking, no prompts, no ~/.ssh/config.
     */
    public List<String> sshArgv(String host, String user, String commandLine) {
        List<String> argv = new ArrayList<>(sshOptions());
        argv.addAll(List.of("-p", Integer.toString(port), "-l", user, "--", address(host), commandLine));
        return argv;
    }

    /** Runs {@code commandLine} as {@code user} on {@code host} with the OpenSSH client. */
    public ProcessOutcome ssh(String host, String user, String commandLine) {
        return ExternalCommand.run(sshArgv(host, user, commandLine), Map.of(), null);
    }

    private List<String> sshOptions() {
        return List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHostsFile(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=" + clientKey(), "-o", "ConnectTimeout=5");
    }

    /**
     * Runs the stand-in {@code clan machines update MACHINES} the way fleetward's local transport runs
     * a system deploy on the controller: in the working repository, with the simulation on PATH and
     * {@code FLEETWARD_REV=rev}.
     */
    public ProcessOutcome clan(String rev, String... machines) {
        List<String> argv = new ArrayList<>(List.of(simulation.resolve("bin/clan").toString(), "machines", "update"));
        argv.addAll(List.of(machines));
        Map<String, String> env = new TreeMap<>();
        env.put("FLEETWARD_SIMULATION", simulation.toString());
        env.put("PATH", simulation.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        if (machines.length > 0) {
            env.put("HOME", home(machines[0], "root").toString());
        }
        env.put("FLEETWARD_REV", rev);
        return ExternalCommand.run(argv, env, root.resolve("repo"));
    }

    /** The host's sshd log (sshd -e), for diagnostics. */
    public Path sshdLog(String host) {
        return daemon(host).log();
    }

    /** Stops every sshd and every session under them. */
    @Override
    public void close() {
        stopAll();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs stopAll itself.
            }
        }
    }

    private void stopAll() {
        RuntimeException failure = null;
        for (SshDaemon daemon : allDaemons().toList()) {
            try {
                daemon.stop();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Stream<SshDaemon> allDaemons() {
        return Stream.concat(daemons.values().stream(), Stream.ofNullable(gitDaemon));
    }

    private FleetHost host(String name) {
        FleetHost host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + " in the fleet " + hosts.keySet());
        }
        return host;
    }

    private SshDaemon daemon(String host) {
        return daemons.get(host(host).name());
    }

    private static Optional<String> link(Path link) {
        try {
            return Files.isSymbolicLink(link) ? Optional.of(Files.readSymbolicLink(link).toString()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomStoreHash() {
        StringBuilder hash = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            hash.append(NIX_BASE32.charAt(ThreadLocalRandom.current().nextInt(NIX_BASE32.length())));
        }
        return hash.toString();
    }

    /** A POSIX shell command line in which every argument is one single-quoted word. */
    public static String words(String... argv) {
        return Stream.of(argv).map(CommandTemplate::quote).collect(Collectors.joining(" "));
    }

    private static void chmod(Path path, String mode) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "OpenSshFleet[" + root + ", port " + port + "]";
    }
}
