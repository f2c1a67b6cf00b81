package io.fleetward;

import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fleet of machines in memory behind the {@code local} transport, answering the command lines
 * fleetward's default templates render: the probes ({@code readlink /run/current-system},
 * {@code readlink /run/booted-system}, {@code nixos-version --json}, {@code darwin-version --json},
 * the current-home readlink) and the deploys ({@code clan machines update}, {@code nh home switch},
 * and {@code nix eval} for exact mode). A deploy at a revision yields the same store path on every
 * run, as Nix does. Faults: unreachable hosts, failing deploys and evaluations, deploys or
 * evaluations held until released.
 *
 * <p>By default a system's path is derived from its host and the revision. {@link #buildFromContent()}
 * makes it content-addressed, as Nix is: derived from what the host's configuration uses in the
 * checkout the command runs in (see {@link #builtPath}), the same for {@code nix eval} and for the
 * deploy, so that a commit that changes nothing a host uses leaves its path as it is.
 */
public final class InMemoryMachines implements Transport {
    private static final Pattern REV = Pattern.compile("rev=([0-9a-f]{40})");
    /** The combined probe command ({@code observe.ProbeScript}): its marker, then its parts. */
    private static final Pattern PROBE_SCRIPT = Pattern.compile("m='(fleetward-probe-[0-9a-f]{32})'\n");
    private static final Pattern PROBE_PART = Pattern.compile("\\(\n(.*?)\n\\) </dev/null; "
            + Pattern.quote("printf '\\n%s %s %s\\n' \"$m\" ") + "([a-z][a-z0-9-]*)" + Pattern.quote(" \"$?\"") + "\n",
            Pattern.DOTALL);
    private final Map<String, AtomicInteger> probeCommands = new ConcurrentHashMap<>();

    private final Map<String, String> systems = new ConcurrentHashMap<>();
    private final Map<String, String> homes = new ConcurrentHashMap<>();
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final Set<String> failingDeploys = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> deployHolds = new ConcurrentHashMap<>();
    private final Set<String> deploysStarted = ConcurrentHashMap.newKeySet();
    private final Set<String> failingEvaluations = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> evaluations = new ConcurrentHashMap<>();
    private final Set<String> varsMissing = ConcurrentHashMap.newKeySet();
    private final Set<String> generatingVars = ConcurrentHashMap.newKeySet();
    private final Set<String> unhealthyPaths = ConcurrentHashMap.newKeySet();
    private final Set<String> failingRollbacks = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> systemDeploys = new ConcurrentHashMap<>();
    private static final Pattern QUOTED_PATH = Pattern.compile("--set '([^']+)'");
    private static final Pattern HOME_ACTIVATE = Pattern.compile("'([^']+)'/activate");
    private volatile boolean contentAddressed;
    private volatile boolean inventoryFails;
    private volatile CountDownLatch evaluationHold;
    private volatile CountDownLatch evaluationStarted = new CountDownLatch(1);

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(CommandRequest request) throws TransportException, InterruptedException {
        String host = request.host();
        if (unreachable.contains(host)) {
            throw new TransportException("ssh: connect to host " + host + " port 22: Connection refused");
        }
        String line = request.commandLine();
        Matcher script = PROBE_SCRIPT.matcher(line);
        if (script.lookingAt()) {
            return combined(request, script.group(1));
        }
        if (line.equals("readlink /run/current-system") || line.equals("readlink /run/booted-system")) {
            return pathOrMissing(systems.get(host));
        }
        if (line.startsWith("readlink \"$HOME/")) {
            return pathOrMissing(homes.get(request.user() + "@" + host));
        }
        if (line.equals("nixos-version --json")) {
            return ok("{\"nixosVersion\": \"25.05.20250101.abcdef0\"}");
        }
        if (line.equals("darwin-version --json")) {
            return ok("{\"darwinLabel\": \"25.05.abcdef0\", \"nixpkgsRevision\": \"" + "0".repeat(40) + "\"}");
        }
        if (line.equals("clan vars check " + host + "") || line.equals("clan vars check '" + host + "'")) {
            return varsMissing.contains(host)
                    ? new CommandResult(1, "", "Secret var 'openssh/ssh.id_ed25519' for service 'openssh' in machine "
                    + host + " is missing.", false, Duration.ZERO)
                    : ok("");
        }
        if (line.equals("true")) {
            return ok("");
        }
        if (line.equals("systemctl is-system-running --wait")) {
            return unhealthyPaths.contains(String.valueOf(systems.get(host)))
                    ? new CommandResult(1, "degraded\n", "", false, Duration.ZERO) : ok("running\n");
        }
        if (line.startsWith("nix-env -p /nix/var/nix/profiles/system --set ")) {
            Matcher path = QUOTED_PATH.matcher(line);
            if (!path.find() || failingRollbacks.contains(host)) {
                return new CommandResult(1, "", "error: path '" + (path.find(0) ? path.group(1) : "?")
                        + "' is not valid", false, Duration.ZERO);
            }
            systems.put(host, path.group(1));
            return ok("activating the configuration...\n");
        }
        Matcher homeRollback = HOME_ACTIVATE.matcher(line);
        if (request.user() != null && homeRollback.matches()) {
            homes.put(request.user() + "@" + host, homeRollback.group(1));
            return ok("Starting Home Manager activation\n");
        }
        if (line.startsWith("clan machines update ")) {
            deploysStarted.add(host);
            systemDeploys.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            if (generatingVars.contains(host) && request.workingDirectory() != null) {
                try {
                    Path generated = request.workingDirectory().resolve("vars/per-machine/" + host
                            + "/openssh/ssh.id_ed25519.pub/value");
                    Files.createDirectories(generated.getParent());
                    Files.writeString(generated, "ssh-ed25519 AAAAgenerated " + host + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            CountDownLatch hold = deployHolds.get(host);
            if (hold != null) {
                hold.await(); // a long build; an interrupt (shutdown) kills it
            }
            if (failingDeploys.contains(host)) {
                return new CommandResult(1, "", "error: builder for '" + host + "' failed with exit code 1", false,
                        Duration.ZERO);
            }
            systems.put(host, contentAddressed ? builtPath(host, request.workingDirectory())
                    : systemPath(host, request.environment().get("FLEETWARD_REV")));
            return ok("[" + host + "] activated");
        }
        if (line.startsWith("nh home switch ")) {
            Matcher rev = REV.matcher(line);
            if (!rev.find() || failingDeploys.contains(host)) {
                return new CommandResult(1, "", "error: home-manager switch failed", false, Duration.ZERO);
            }
            homes.put(request.user() + "@" + host, homePath(request.user() + "@" + host, rev.group(1)));
            return ok("activated");
        }
        if (line.equals("nix eval --json .#clan.inventory.machines")) {
            return inventoryFails
                    ? new CommandResult(1, "", "error: cannot connect to the nix daemon", false, Duration.ZERO)
                    : ok("{}");
        }
        if (line.startsWith("nix eval ")) {
            evaluationStarted.countDown();
            CountDownLatch hold = evaluationHold;
            if (hold != null) {
                hold.await();
            }
            evaluations.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            if (failingEvaluations.contains(host)) {
                return new CommandResult(1, "", "error: attribute 'nixosConfigurations." + host + "' missing", false,
                        Duration.ZERO);
            }
            return ok((contentAddressed ? builtPath(host, request.workingDirectory())
                    : systemPath(host, request.environment().get("FLEETWARD_REV"))) + "\n");
        }
        return new CommandResult(127, "", "sh: 1: " + line.split(" ")[0] + ": not found", false, Duration.ZERO);
    }

    /**
     * Runs each part of a combined probe command as the shell would (in order, each with its own
     * exit status after the marker), so the machines answer the prober exactly as a real shell.
     */
    private CommandResult combined(CommandRequest request, String marker)
            throws TransportException, InterruptedException {
        probeCommands.computeIfAbsent(request.host(), h -> new AtomicInteger()).incrementAndGet();
        Matcher part = PROBE_PART.matcher(request.commandLine());
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int at = marker.length() + 5;
        while (part.find(at) && part.start() == at) {
            CommandResult result = run(new CommandRequest(request.host(), request.user(), request.destination(),
                    part.group(1), request.workingDirectory(), request.environment(), request.timeout(), null));
            out.append(result.stdout()).append('\n').append(marker).append(' ').append(part.group(2)).append(' ')
                    .append(result.exitCode()).append('\n');
            err.append(result.stderr());
            at = part.end();
        }
        if (at != request.commandLine().length()) {
            throw new IllegalStateException("not a probe script the machines understand: " + request.commandLine());
        }
        return new CommandResult(0, out.toString(), err.toString(), false, Duration.ZERO);
    }

    /** How many combined probe commands ran on {@code host} (one per target probed). */
    public int probeCommands(String host) {
        AtomicInteger count = probeCommands.get(host);
        return count == null ? 0 : count.get();
    }

    /** The path a system deploy of {@code host} at {@code revision} activates. */
    public static String systemPath(String host, String revision) {
        return "/nix/store/" + hash(host + " " + revision) + "-system-" + host;
    }

    public static String homePath(String userAtHost, String revision) {
        return "/nix/store/" + hash(userAtHost + " " + revision) + "-home-manager-generation";
    }

    /**
     * The content-addressed system path of {@code host} in {@code checkout}: a hash of the host's
     * folder, its platform's common module ({@code modules/<platform>/default.nix}), {@code flake.lock},
     * and every other shared file under {@code modules/} (outside {@code machines/} and
     * {@code home/users/}) whose repository path the host's folder mentions, e.g. in an import. (A
     * simplification: embedded users' folders are not part of it.)
     */
    public static String builtPath(String host, Path checkout) {
        try {
            Path hostDir = null;
            String platform = null;
            for (String p : new String[]{"nixos", "darwin"}) {
                Path dir = checkout.resolve("modules/machines").resolve(p).resolve(host);
                if (Files.isDirectory(dir)) {
                    hostDir = dir;
                    platform = p;
                }
            }
            if (hostDir == null) {
                throw new IllegalStateException("no host folder of " + host + " in " + checkout);
            }
            StringBuilder hostText = new StringBuilder();
            for (Path file : files(hostDir)) {
                hostText.append(checkout.relativize(file)).append('\n').append(Files.readString(file));
            }
            StringBuilder inputs = new StringBuilder(host).append('\n').append(hostText);
            for (String always : new String[]{"flake.lock", "modules/" + platform + "/default.nix"}) {
                Path file = checkout.resolve(always);
                if (Files.exists(file)) {
                    inputs.append(always).append('\n').append(Files.readString(file));
                }
            }
            for (Path file : files(checkout.resolve("modules"))) {
                String relative = checkout.relativize(file).toString();
                if (!relative.startsWith("modules/machines/") && !relative.startsWith("modules/home/users/")
                        && hostText.indexOf(relative) >= 0) {
                    inputs.append(relative).append('\n').append(Files.readString(file));
                }
            }
            return "/nix/store/" + hash(inputs.toString()) + "-nixos-system-" + host;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Makes {@code clan vars check <host>} fail (a var not generated yet), or pass again. */
    public void varsMissing(String host, boolean missing) {
        toggle(varsMissing, host, missing);
    }

    /** Makes {@code clan machines update <host>} write a generated var into its checkout, as clan's generators do. */
    public void generateVars(String host, boolean generate) {
        toggle(generatingVars, host, generate);
    }

    /** Makes {@code systemctl is-system-running} report "degraded" while {@code host} runs the system of {@code revision}. */
    public void failHealthAt(String host, String revision) {
        unhealthyPaths.add(systemPath(host, revision));
    }

    /** Makes the system rollback ({@code nix-env --set ...}) of {@code host} fail, or work again. */
    public void failRollbacks(String host, boolean fail) {
        toggle(failingRollbacks, host, fail);
    }

    /** How many system deploy commands ran for {@code host}. */
    public int systemDeploys(String host) {
        AtomicInteger count = systemDeploys.get(host);
        return count == null ? 0 : count.get();
    }

    private static void toggle(Set<String> set, String host, boolean on) {
        if (on) {
            set.add(host);
        } else {
            set.remove(host);
        }
    }

    /** From now on, system paths are content-addressed ({@link #builtPath}), for evaluations and deploys alike. */
    public void buildFromContent() {
        contentAddressed = true;
    }

    /** Makes {@code nix eval} for {@code host} fail (exit 1), or work again. */
    public void failEvaluations(String host, boolean fail) {
        if (fail) {
            failingEvaluations.add(host);
        } else {
            failingEvaluations.remove(host);
        }
    }

    /** How many times {@code nix eval} ran for {@code host}'s system. */
    public int evaluations(String host) {
        AtomicInteger count = evaluations.get(host);
        return count == null ? 0 : count.get();
    }

    /** How many times {@code nix eval} ran for a system, all hosts together. */
    public int evaluations() {
        return evaluations.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public String system(String host) {
        return systems.get(host);
    }

    /** Someone switched the host by hand to {@code path}. */
    public void switchByHand(String host, String path) {
        systems.put(host, path);
    }

    public void unreachable(String host, boolean down) {
        if (down) {
            unreachable.add(host);
        } else {
            unreachable.remove(host);
        }
    }

    public void failDeploys(String host, boolean fail) {
        if (fail) {
            failingDeploys.add(host);
        } else {
            failingDeploys.remove(host);
        }
    }

    /** Makes the inventory command fail (exit 1), as a broken Nix daemon would, or work again. */
    public void failInventory(boolean fail) {
        inventoryFails = fail;
    }

    /** Holds system deploys of {@code host} (a long build) until the returned latch is counted down. */
    public CountDownLatch holdDeploys(String host) {
        CountDownLatch hold = new CountDownLatch(1);
        deployHolds.put(host, hold);
        return hold;
    }

    public boolean deployStarted(String host) {
        return deploysStarted.contains(host);
    }

    /** Holds every {@code nix eval} until the returned latch is counted down. */
    public CountDownLatch holdEvaluations() {
        evaluationStarted = new CountDownLatch(1);
        evaluationHold = new CountDownLatch(1);
        return evaluationHold;
    }

    public boolean evaluationStarted() {
        return evaluationStarted.getCount() == 0;
    }

    private static CommandResult pathOrMissing(String path) {
        return path == null
                ? new CommandResult(1, "", "readlink: No such file or directory", false, Duration.ZERO)
                : ok(path + "\n");
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "", false, Duration.ZERO);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
