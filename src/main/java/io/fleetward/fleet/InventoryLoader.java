package io.fleetward.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Builds the {@link Inventory} of one revision from the repository layout, the optional
 * {@code fleetward.yaml} overlay and the optional inventory command output.
 *
 * <p>Two kinds of refusal: a malformed overlay or inventory output refuses the whole load
 * ({@link InventoryException}; the caller keeps the last good inventory), while a refused name only
 * drops its entry and is listed in {@link Inventory#problems()}.
 */
public final class InventoryLoader {
    private static final Logger LOG = Logger.getLogger(InventoryLoader.class);

    private final String overlayPath;
    private final Optional<String> defaultDomain;
    private final String defaultTransport;
    private final KeyDirectory keys;

    /**
     * @param overlayPath      repository path of the overlay (normally {@code fleetward.yaml})
     * @param defaultDomain    domain for default target hosts; the overlay's {@code defaults.domain} wins
     * @param defaultTransport {@code local} or {@code ssh}; the overlay's {@code defaults.transport} wins
     * @throws IllegalArgumentException when an argument is malformed
     */
    public InventoryLoader(String overlayPath, Optional<String> defaultDomain, String defaultTransport) {
        this(overlayPath, defaultDomain, defaultTransport, KeyDirectory.NONE);
    }

    /**
     * @param keys the folder per-host SSH key paths of the overlay must lie in ({@link KeyDirectory#NONE}:
     *             such paths are refused)
     */
    public InventoryLoader(String overlayPath, Optional<String> defaultDomain, String defaultTransport,
                           KeyDirectory keys) {
        if (overlayPath == null || overlayPath.isBlank()) {
            throw new IllegalArgumentException("the overlay path is empty");
        }
        Optional<String> domain = defaultDomain.filter(text -> !text.isBlank());
        if (domain.isPresent() && !TargetHost.isDnsName(domain.get())) {
            throw new IllegalArgumentException("default domain " + Names.printable(domain.get())
                    + " is not a DNS name");
        }
        if (!Overlay.TRANSPORTS.contains(defaultTransport)) {
            throw new IllegalArgumentException("default transport " + Names.printable(defaultTransport)
                    + " is not one of " + String.join(", ", Overlay.TRANSPORTS));
        }
        this.overlayPath = overlayPath;
        this.defaultDomain = domain;
        this.defaultTransport = defaultTransport;
        this.keys = java.util.Objects.requireNonNull(keys, "keys");
    }

    /**
     * Only the {@code impact:} section of {@code files}' overlay ({@link ImpactSection#NONE} without an
     * overlay or section), without discovering the layout: for the rules of an older, deployed revision.
     * Empty when that overlay is refused.
     */
    public Optional<ImpactSection> impactSection(RevisionFiles files) {
        Optional<String> overlayText = files.read(overlayPath);
        if (overlayText.isEmpty()) {
            return Optional.of(ImpactSection.NONE);
        }
        try {
            return Optional.of(Overlay.parse(overlayText.get(), overlayPath, keys).impact());
        } catch (InventoryException e) {
            return Optional.empty();
        }
    }

    /**
     * Loads the inventory of {@code files}' revision.
     *
     * @param inventoryJson the inventory command's output, when one is configured
     * @throws InventoryException when the overlay (or the inventory JSON) is malformed as a whole: the
     *                            caller keeps the last good inventory; the problem names file and line
     */
    public Inventory load(RevisionFiles files, Optional<String> inventoryJson) throws InventoryException {
        LayoutDiscovery.Layout layout = LayoutDiscovery.discover(files);
        Optional<String> overlayText = files.read(overlayPath);
        Overlay overlay = overlayText.isPresent() ? Overlay.parse(overlayText.get(), overlayPath, keys) : Overlay.NONE;
        MachineInventory machines = inventoryJson.isPresent()
                ? MachineInventory.parse(inventoryJson.get())
                : MachineInventory.NONE;

        List<InventoryProblem> problems = new ArrayList<>(layout.problems());
        problems.addAll(overlay.problems());
        problems.addAll(machines.problems());

        Map<String, Platform> platforms = platforms(layout, machines);
        for (Map.Entry<String, Overlay.HostEntry> entry : overlay.hosts().entrySet()) {
            if (!platforms.containsKey(entry.getKey()) && !layout.skipped().contains(entry.getKey())) {
                problems.add(new InventoryProblem(overlayPath, entry.getValue().line(), "hosts." + entry.getKey()
                        + ": no folder under modules/machines/darwin/ or modules/machines/nixos/ and not in the "
                        + MachineInventory.SOURCE + "; host skipped"));
            }
        }

        Optional<String> domain = overlay.domain().or(() -> defaultDomain);
        String transport = overlay.transport().orElse(defaultTransport);
        Map<String, Host> hosts = new TreeMap<>();
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, Platform> entry : platforms.entrySet()) {
            String name = entry.getKey();
            Host host = host(name, entry.getValue(), Optional.ofNullable(overlay.hosts().get(name)),
                    Optional.ofNullable(machines.machines().get(name)), domain, transport);
            hosts.put(name, host);
            targets.addAll(targets(host));
        }
        targets.sort((a, b) -> a.id().compareTo(b.id()));

        LOG.debugf("inventory of %s: %d hosts, %d targets, %d users, %d problems", files.revision(), hosts.size(),
                targets.size(), layout.users().size(), problems.size());
        return new Inventory(files.revision(), hosts, targets, layout.users(), overlay.impact(), problems,
                overlay.rollout());
    }

    /** Every host with its platform: folders, plus machines only the inventory command knows. */
    private static Map<String, Platform> platforms(LayoutDiscovery.Layout layout, MachineInventory machines) {
        Map<String, Platform> platforms = new TreeMap<>(layout.hosts());
        for (Map.Entry<String, MachineInventory.Machine> entry : machines.machines().entrySet()) {
            String name = entry.getKey();
            if (layout.skipped().contains(name)) {
                continue;
            }
            Optional<Platform> machineClass = entry.getValue().platform();
            Platform folder = platforms.get(name);
            if (folder == null) {
                // clan's own default machineClass is nixos.
                Platform platform = machineClass.orElse(Platform.NIXOS);
                LOG.debugf("host %s has no folder; added from the %s as %s", name, MachineInventory.SOURCE,
                        platform.label());
                platforms.put(name, platform);
            } else if (machineClass.isPresent() && machineClass.get() != folder) {
                // clan builds by machineClass, so it is what the host actually runs.
                LOG.debugf("host %s: machineClass %s from the %s overrides its %s folder", name,
                        machineClass.get().label(), MachineInventory.SOURCE, folder.label());
                platforms.put(name, machineClass.get());
            }
        }
        return platforms;
    }

    private static Host host(String name, Platform platform, Optional<Overlay.HostEntry> overlay,
                             Optional<MachineInventory.Machine> machine, Optional<String> domain,
                             String defaultTransport) {
        String targetHost = overlay.flatMap(Overlay.HostEntry::targetHost)
                .or(() -> machine.flatMap(MachineInventory.Machine::targetHost))
                .orElseGet(() -> "root@" + name + domain.map(d -> "." + d).orElse(""));
        String transport = overlay.flatMap(Overlay.HostEntry::transport).orElse(defaultTransport);
        Set<String> tags = new TreeSet<>();
        overlay.ifPresent(entry -> tags.addAll(entry.tags()));
        machine.ifPresent(entry -> tags.addAll(entry.tags()));
        Optional<List<HostUser>> users = overlay.flatMap(Overlay.HostEntry::users);
        return new Host(name, platform, targetHost, transport, List.copyOf(tags), users.orElse(List.of()),
                users.isPresent(), overlay.map(Overlay.HostEntry::ssh).orElse(SshOverrides.NONE),
                overlay.flatMap(Overlay.HostEntry::reportTokenHash).orElse(null),
                overlay.map(Overlay.HostEntry::health).orElse(List.of()));
    }

    /** {@code system:<host>}, and {@code home:<user>@<host>} for each standalone user. */
    private static List<Target> targets(Host host) {
        List<Target> targets = new ArrayList<>();
        List<String> embedded = host.usersDeclared()
                ? host.users().stream().filter(u -> u.mode() == UserMode.SYSTEM).map(HostUser::name).sorted().toList()
                : null;
        targets.add(new Target(TargetId.system(host.name()), host, null, embedded));
        for (HostUser user : host.users()) {
            if (user.mode() == UserMode.STANDALONE) {
                targets.add(new Target(TargetId.home(user.name(), host.name()), host, user.configuration(),
                        List.of()));
            }
        }
        return targets;
    }
}
