package io.fleetward.fleet;

import com.fasterxml.jackson.core.JsonToken;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code rollout:} and {@code windows:} sections of {@code fleetward.yaml} into
 * {@link RolloutRules}. Every mistake refuses the whole overlay at its line: a rollout policy that is
 * half read would deploy more, or sooner, than the repository says.
 */
final class RolloutSectionReader {
    static final Set<String> ROLLOUT_KEYS = Set.of("waves", "soak", "halt-on-failure");
    static final Set<String> WAVE_KEYS = Set.of("name", "tags");
    static final Set<String> WINDOW_KEYS = Set.of("kind", "schedule", "duration", "tags", "hosts", "timezone",
            "manual-sync");
    private static final List<String> KINDS = List.of("allow", "deny");

    private final NodeReader reader;

    RolloutSectionReader(NodeReader reader) {
        this.reader = reader;
    }

    /** Both sections; {@link RolloutRules#NONE} when neither is there. */
    RolloutRules read(LocatedNode rollout, LocatedNode windows) throws InventoryException {
        Map<String, LocatedNode.Entry> fields = reader.mapping(rollout, "rollout", ROLLOUT_KEYS);
        List<RolloutRules.Wave> waves = waves(NodeReader.value(fields, "waves"));
        LocatedNode soakNode = NodeReader.value(fields, "soak");
        Optional<String> soakText = reader.string(soakNode, "rollout.soak");
        Duration soak = soakText.isEmpty() ? Duration.ZERO : duration(soakNode, "rollout.soak", soakText.get());
        // Halting is on by default within a rollout: section; without one nothing halts, as before waves existed.
        boolean halt = bool(NodeReader.value(fields, "halt-on-failure"), "rollout.halt-on-failure")
                .orElse(!fields.isEmpty() || rollout instanceof LocatedNode.Mapping);
        return new RolloutRules(waves, soak, halt, windows(windows));
    }

    private List<RolloutRules.Wave> waves(LocatedNode node) throws InventoryException {
        List<LocatedNode> items = reader.sequence(node, "rollout.waves").orElse(List.of());
        List<RolloutRules.Wave> waves = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String catchAll = null;
        for (int i = 0; i < items.size(); i++) {
            LocatedNode item = items.get(i);
            String keyPath = "rollout.waves[" + i + "]";
            Map<String, LocatedNode.Entry> fields = reader.mapping(item, keyPath, WAVE_KEYS);
            LocatedNode nameNode = NodeReader.value(fields, "name");
            String name = reader.string(nameNode, keyPath + ".name")
                    .orElseThrow(() -> reader.refuse(item.line(), keyPath, "missing key name"));
            if (!Names.isValid(name)) {
                throw reader.refuse(nameNode.line(), keyPath + ".name", Names.rejection(name));
            }
            if (!names.add(name)) {
                throw reader.refuse(nameNode.line(), keyPath + ".name", "wave " + name + " is already declared");
            }
            if (catchAll != null) {
                throw reader.refuse(item.line(), keyPath, "wave " + name + " comes after wave " + catchAll
                        + ", which has no tags and so takes every host left");
            }
            List<String> tags = names(NodeReader.value(fields, "tags"), keyPath + ".tags");
            if (tags.isEmpty()) {
                catchAll = name;
            }
            waves.add(new RolloutRules.Wave(name, tags, item.line()));
        }
        return waves;
    }

    private List<MaintenanceWindow> windows(LocatedNode node) throws InventoryException {
        List<LocatedNode> items = reader.sequence(node, "windows").orElse(List.of());
        List<MaintenanceWindow> windows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            LocatedNode item = items.get(i);
            String keyPath = "windows[" + i + "]";
            Map<String, LocatedNode.Entry> fields = reader.mapping(item, keyPath, WINDOW_KEYS);
            MaintenanceWindow.Kind kind = reader.choice(NodeReader.value(fields, "kind"), keyPath + ".kind", KINDS)
                    .map(text -> MaintenanceWindow.Kind.valueOf(text.toUpperCase(Locale.ROOT)))
                    .orElseThrow(() -> reader.refuse(item.line(), keyPath, "missing key kind (allow or deny)"));
            LocatedNode scheduleNode = NodeReader.value(fields, "schedule");
            String scheduleText = reader.string(scheduleNode, keyPath + ".schedule")
                    .orElseThrow(() -> reader.refuse(item.line(), keyPath, "missing key schedule"));
            CronSchedule schedule;
            try {
                schedule = CronSchedule.parse(scheduleText);
            } catch (IllegalArgumentException e) {
                throw reader.refuse(scheduleNode.line(), keyPath + ".schedule", "malformed cron expression "
                        + Names.printable(scheduleText) + ": " + e.getMessage());
            }
            LocatedNode durationNode = NodeReader.value(fields, "duration");
            Optional<String> durationText = reader.string(durationNode, keyPath + ".duration");
            if (durationText.isEmpty()) {
                throw reader.refuse(item.line(), keyPath, "missing key duration");
            }
            Duration duration = duration(durationNode, keyPath + ".duration", durationText.get());
            if (duration.isZero()) {
                throw reader.refuse(durationNode.line(), keyPath + ".duration", "a window lasts longer than zero");
            }
            LocatedNode zoneNode = NodeReader.value(fields, "timezone");
            ZoneId zone = ZoneId.of("UTC");
            Optional<String> zoneText = reader.string(zoneNode, keyPath + ".timezone");
            if (zoneText.isPresent()) {
                try {
                    zone = ZoneId.of(zoneText.get());
                } catch (DateTimeException e) {
                    throw reader.refuse(zoneNode.line(), keyPath + ".timezone", "unknown time zone "
                            + Names.printable(zoneText.get()) + " (expected an IANA name such as Europe/Berlin)");
                }
            }
            boolean manualSync = bool(NodeReader.value(fields, "manual-sync"), keyPath + ".manual-sync").orElse(true);
            windows.add(new MaintenanceWindow(item.line(), kind, schedule, duration,
                    names(NodeReader.value(fields, "tags"), keyPath + ".tags"),
                    names(NodeReader.value(fields, "hosts"), keyPath + ".hosts"), zone, manualSync));
        }
        return windows;
    }

    /** Tags or host names; a malformed one refuses the overlay (dropping it would widen what matches). */
    private List<String> names(LocatedNode node, String keyPath) throws InventoryException {
        List<String> names = new ArrayList<>();
        List<NodeReader.Text> items = reader.strings(node, keyPath);
        for (int i = 0; i < items.size(); i++) {
            NodeReader.Text item = items.get(i);
            if (!Names.isValid(item.text())) {
                throw reader.refuse(item.line(), keyPath + "[" + i + "]", Names.rejection(item.text()));
            }
            names.add(item.text());
        }
        return names;
    }

    private Duration duration(LocatedNode node, String keyPath, String text) throws InventoryException {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw reader.refuse(node.line(), keyPath, e.getMessage());
        }
    }

    private Optional<Boolean> bool(LocatedNode node, String keyPath) throws InventoryException {
        if (node == null || node instanceof LocatedNode.Scalar s && s.isNull()) {
            return Optional.empty();
        }
        if (node instanceof LocatedNode.Scalar scalar
                && (scalar.token() == JsonToken.VALUE_TRUE || scalar.token() == JsonToken.VALUE_FALSE)) {
            return Optional.of(scalar.token() == JsonToken.VALUE_TRUE);
        }
        throw reader.refuse(node.line(), keyPath, "expected true or false");
    }
}
