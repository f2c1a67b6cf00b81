package io.fleetward.fleet;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code fleetward.yaml} overlay: defaults and per-host settings, validated.
 * Structure errors refuse the whole file; hostile names only drop their entry (see {@link #problems}).
 *
 * @param domain    {@code defaults.domain}
 * @param transport {@code defaults.transport}
 * @param hosts     entries by valid host name, in document order
 * @param impact    the {@code impact:} section ({@link ImpactSection#NONE} when absent)
 * @param problems  entries that were dropped, with their line
 * @param rollout   the {@code rollout:} and {@code windows:} sections ({@link RolloutRules#NONE} when absent)
 */
record Overlay(Optional<String> domain, Optional<String> transport, Map<String, HostEntry> hosts,
               ImpactSection impact, List<InventoryProblem> problems, RolloutRules rollout) {

    static final List<String> TRANSPORTS = List.of("local", "ssh");
    static final Overlay NONE = new Overlay(Optional.empty(), Optional.empty(), Map.of(), ImpactSection.NONE,
            List.of(), RolloutRules.NONE);

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Set<String> TOP_KEYS = Set.of("defaults", "hosts", "impact", "rollout", "windows");
    private static final Set<String> IMPACT_KEYS = Set.of("ignore", "host-paths", "user-paths");
    private static final Set<String> DEFAULTS_KEYS = Set.of("domain", "transport");
    private static final Set<String> HOST_KEYS = Set.of("target-host", "transport", "tags", "users", "ssh-identity",
            "ssh-known-hosts", "report-token-sha256", "health");
    /** Placeholders a host's {@code health:} command may use. */
    static final Set<String> HEALTH_PLACEHOLDERS = Set.of("host", "platform", "rev", "previous");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> USER_KEYS = Set.of("name", "mode", "configuration");
    private static final List<String> MODES = List.of("system", "standalone");

    Overlay {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        problems = List.copyOf(problems);
    }

    /**
     * One host of the overlay.
     *
     * @param line       line of the host's key
     * @param targetHost validated {@code [user@]host[:port]}
     * @param tags       valid tags
     * @param users      the declared users (sorted by name); empty when {@code users} is absent or null,
     *                   which is not the same as an empty list
     * @param ssh        {@code ssh-identity} / {@code ssh-known-hosts}
     * @param reportTokenHash {@code report-token-sha256}: the SHA-256 of the host's check-in token
     * @param health     {@code health:} commands run on the host after each verified system deploy
     */
    record HostEntry(int line, Optional<String> targetHost, Optional<String> transport, List<String> tags,
                     Optional<List<HostUser>> users, SshOverrides ssh, Optional<String> reportTokenHash,
                     List<String> health) {
        HostEntry {
            health = List.copyOf(health);
            tags = List.copyOf(tags);
            users = users.map(List::copyOf);
        }
    }

    /**
     * Parses and validates the overlay text.
     *
     * @param path the overlay's repository path, used in problems
     * @param keys the folder per-host {@code ssh-identity} / {@code ssh-known-hosts} must lie in
     * @throws InventoryException when the overlay is malformed as a whole
     */
    static Overlay parse(String text, String path, KeyDirectory keys) throws InventoryException {
        NodeReader reader = new NodeReader(path);
        LocatedNode root;
        try {
            root = LocatedNode.read(YAML.createParser(text), path);
        } catch (IOException e) {
            throw reader.refuse(0, "", "unreadable YAML");
        }
        List<InventoryProblem> problems = new ArrayList<>();
        Map<String, LocatedNode.Entry> top = reader.mapping(root, "", TOP_KEYS);

        Map<String, LocatedNode.Entry> defaults = reader.mapping(NodeReader.value(top, "defaults"), "defaults",
                DEFAULTS_KEYS);
        LocatedNode domainNode = NodeReader.value(defaults, "domain");
        Optional<String> domain = reader.string(domainNode, "defaults.domain");
        if (domain.isPresent() && !TargetHost.isDnsName(domain.get())) {
            throw reader.refuse(domainNode.line(), "defaults.domain",
                    "expected a DNS name, got " + Names.printable(domain.get()));
        }
        Optional<String> transport = reader.choice(NodeReader.value(defaults, "transport"), "defaults.transport",
                TRANSPORTS);

        Map<String, HostEntry> hosts = new LinkedHashMap<>();
        for (LocatedNode.Entry entry : reader.mapping(NodeReader.value(top, "hosts"), "hosts").values()) {
            if (!Names.isValid(entry.key())) {
                problems.add(new InventoryProblem(path, entry.keyLine(),
                        "hosts: " + Names.rejection(entry.key()) + "; host skipped"));
                continue;
            }
            hosts.put(entry.key(), hostEntry(reader, entry, problems, keys));
        }
        ImpactSection impact = impact(reader, NodeReader.value(top, "impact"));
        RolloutRules rollout = new RolloutSectionReader(reader).read(NodeReader.value(top, "rollout"),
                NodeReader.value(top, "windows"));
        return new Overlay(domain, transport, hosts, impact, problems, rollout);
    }

    /** The {@code impact:} section: any bad glob refuses the whole overlay, at its line. */
    private static ImpactSection impact(NodeReader reader, LocatedNode node) throws InventoryException {
        Map<String, LocatedNode.Entry> fields = reader.mapping(node, "impact", IMPACT_KEYS);
        return new ImpactSection(globs(reader, fields, "ignore", null), globs(reader, fields, "host-paths", "host"),
                globs(reader, fields, "user-paths", "user"));
    }

    private static List<String> globs(NodeReader reader, Map<String, LocatedNode.Entry> fields, String key,
                                      String placeholder) throws InventoryException {
        String keyPath = "impact." + key;
        List<NodeReader.Text> items = reader.strings(NodeReader.value(fields, key), keyPath);
        List<String> globs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            NodeReader.Text item = items.get(i);
            String glob = item.text().trim();
            String rejection = ImpactSection.rejection(glob, placeholder);
            if (rejection != null) {
                throw reader.refuse(item.line(), keyPath + "[" + i + "]", rejection + ", got "
                        + Names.printable(item.text()));
            }
            globs.add(glob);
        }
        return globs;
    }

    private static HostEntry hostEntry(NodeReader reader, LocatedNode.Entry entry, List<InventoryProblem> problems,
                                       KeyDirectory keys) throws InventoryException {
        String host = entry.key();
        String keyPath = "hosts." + host;
        Map<String, LocatedNode.Entry> fields = reader.mapping(entry.value(), keyPath, HOST_KEYS);

        Optional<String> targetHost = reader.targetHost(NodeReader.value(fields, "target-host"), keyPath + ".target-host");
        Optional<String> transport = reader.choice(NodeReader.value(fields, "transport"), keyPath + ".transport",
                TRANSPORTS);
        List<String> tags = reader.validNames(reader.strings(NodeReader.value(fields, "tags"), keyPath + ".tags"),
                keyPath + ".tags", problems);

        Optional<List<LocatedNode>> userNodes = reader.sequence(NodeReader.value(fields, "users"), keyPath + ".users");
        Optional<List<HostUser>> users = Optional.empty();
        if (userNodes.isPresent()) {
            List<HostUser> declared = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < userNodes.get().size(); i++) {
                LocatedNode userNode = userNodes.get().get(i);
                Optional<HostUser> user = hostUser(reader, host, keyPath + ".users[" + i + "]", userNode, problems);
                if (user.isEmpty()) {
                    continue;
                }
                if (!seen.add(user.get().name())) {
                    problems.add(new InventoryProblem(reader.source(), userNode.line(), keyPath + ".users[" + i
                            + "]: user " + user.get().name() + " is already declared for this host; skipped"));
                    continue;
                }
                declared.add(user.get());
            }
            declared.sort(Comparator.comparing(HostUser::name));
            users = Optional.of(declared);
        }
        SshOverrides ssh = new SshOverrides(keyPath(reader, fields, keyPath, "ssh-identity", keys),
                keyPath(reader, fields, keyPath, "ssh-known-hosts", keys));
        LocatedNode tokenNode = NodeReader.value(fields, "report-token-sha256");
        Optional<String> tokenHash = reader.string(tokenNode, keyPath + ".report-token-sha256")
                .map(text -> text.toLowerCase(Locale.ROOT));
        if (tokenHash.isPresent() && !SHA256_HEX.matcher(tokenHash.get()).matches()) {
            // The value is not echoed: someone may have pasted the token itself instead of its hash.
            throw reader.refuse(tokenNode.line(), keyPath + ".report-token-sha256",
                    "expected the token's SHA-256 as 64 hex digits (sha256sum of the token), not the token");
        }
        return new HostEntry(entry.keyLine(), targetHost, transport, tags, users, ssh, tokenHash,
                health(reader, fields, keyPath));
    }

    /**
     * A host's {@code health:} commands: one line of printable text each, placeholders only of
     * {@link #HEALTH_PLACEHOLDERS}; anything else refuses the overlay at the command's line.
     */
    private static List<String> health(NodeReader reader, Map<String, LocatedNode.Entry> fields, String keyPath)
            throws InventoryException {
        List<NodeReader.Text> items = reader.strings(NodeReader.value(fields, "health"), keyPath + ".health");
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            NodeReader.Text item = items.get(i);
            String command = item.text().strip();
            String where = keyPath + ".health[" + i + "]";
            if (command.isEmpty() || command.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw reader.refuse(item.line(), where, "expected one non-empty line of shell, got "
                        + Names.printable(item.text()));
            }
            Matcher m = PLACEHOLDER.matcher(command);
            while (m.find()) {
                if (!HEALTH_PLACEHOLDERS.contains(m.group(1))) {
                    throw reader.refuse(item.line(), where, "unknown placeholder {" + Names.printable(m.group(1))
                            + "}; known: " + new java.util.TreeSet<>(HEALTH_PLACEHOLDERS));
                }
            }
            commands.add(command);
        }
        return commands;
    }

    /** An absolute, normalized path (no '..'), or null when the key is absent. */
    private static Path absolutePath(NodeReader reader, Map<String, LocatedNode.Entry> fields, String keyPath,
                                     String key) throws InventoryException {
        LocatedNode node = NodeReader.value(fields, key);
        Optional<String> text = reader.string(node, keyPath + "." + key);
        if (text.isEmpty()) {
            return null;
        }
        String value = text.get();
        boolean printable = value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        Path path = printable ? Path.of(value) : null;
        if (path == null || !path.isAbsolute() || !path.normalize().equals(path)) {
            throw reader.refuse(node.line(), keyPath + "." + key,
                    "expected an absolute path without '..' or spaces, got " + Names.printable(value));
        }
        return path;
    }

    /** {@link #absolutePath}, confined to {@code keys} (symbolic links resolved): the resolved path. */
    private static Path keyPath(NodeReader reader, Map<String, LocatedNode.Entry> fields, String keyPath,
                                String key, KeyDirectory keys) throws InventoryException {
        Path path = absolutePath(reader, fields, keyPath, key);
        if (path == null) {
            return null;
        }
        KeyDirectory.Confined confined = keys.confine(path);
        if (confined.path().isEmpty()) {
            throw reader.refuse(NodeReader.value(fields, key).line(), keyPath + "." + key, confined.rejection());
        }
        return confined.path().get();
    }

    /** One entry of a host's {@code users}; empty (with a problem) when its name is refused. */
    private static Optional<HostUser> hostUser(NodeReader reader, String host, String keyPath, LocatedNode node,
                                               List<InventoryProblem> problems) throws InventoryException {
        Map<String, LocatedNode.Entry> fields = reader.mapping(node, keyPath, USER_KEYS);
        LocatedNode nameNode = NodeReader.value(fields, "name");
        String name = reader.string(nameNode, keyPath + ".name")
                .orElseThrow(() -> reader.refuse(node.line(), keyPath, "missing key name"));
        UserMode mode = reader.choice(NodeReader.value(fields, "mode"), keyPath + ".mode", MODES)
                .map(text -> UserMode.valueOf(text.toUpperCase(Locale.ROOT)))
                .orElse(UserMode.SYSTEM);
        LocatedNode configurationNode = NodeReader.value(fields, "configuration");
        Optional<String> configuration = reader.string(configurationNode, keyPath + ".configuration");
        if (configuration.isPresent() && mode != UserMode.STANDALONE) {
            throw reader.refuse(configurationNode.line(), keyPath + ".configuration",
                    "only used with mode: standalone");
        }
        if (!Names.isValid(name)) {
            problems.add(new InventoryProblem(reader.source(), nameNode.line(),
                    keyPath + ".name: " + Names.rejection(name) + "; user skipped"));
            return Optional.empty();
        }
        if (mode == UserMode.SYSTEM) {
            return Optional.of(new HostUser(name, mode, null));
        }
        String chosen = configuration.orElse(name + "@" + host);
        if (!isConfigurationName(chosen)) {
            problems.add(new InventoryProblem(reader.source(), configurationNode.line(), keyPath
                    + ".configuration: invalid configuration " + Names.printable(chosen)
                    + ": expected <name> or <name>@<name>; user skipped"));
            return Optional.empty();
        }
        return Optional.of(new HostUser(name, mode, chosen));
    }

    /** {@code <name>} or {@code <name>@<name>}: what {@code nh home switch -c} gets. */
    static boolean isConfigurationName(String text) {
        int at = text.indexOf('@');
        return at < 0 ? Names.isValid(text)
                : Names.isValid(text.substring(0, at)) && Names.isValid(text.substring(at + 1));
    }
}
