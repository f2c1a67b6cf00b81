package io.fleetward.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed values out of a {@link LocatedNode} tree for one source file, refusing the whole file
 * with {@code file:line: key: reason} on the first unknown key or wrong type. A null value means
 * "not set" everywhere, so {@code users:} with nothing after it is the same as leaving it out.
 */
final class NodeReader {
    /** A string value with its line, for per-item problems. */
    record Text(String text, int line) {
    }

    private final String source;

    NodeReader(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** {@code parent.key}, or {@code key} at the top. */
    static String keyPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    InventoryException refuse(int line, String keyPath, String reason) {
        return new InventoryException(new InventoryProblem(source, line,
                (keyPath.isEmpty() ? "" : keyPath + ": ") + reason));
    }

    /** A mapping, or empty when the value is null. */
    Map<String, LocatedNode.Entry> mapping(LocatedNode node, String keyPath) throws InventoryException {
        if (node == null || isNull(node)) {
            return Map.of();
        }
        if (node instanceof LocatedNode.Mapping mapping) {
            return mapping.entries();
        }
        throw refuse(node.line(), keyPath, "expected a mapping, got " + describe(node));
    }

    /** Like {@link #mapping} but also refuses keys outside {@code allowed}, at the key's line. */
    Map<String, LocatedNode.Entry> mapping(LocatedNode node, String keyPath, Set<String> allowed)
            throws InventoryException {
        Map<String, LocatedNode.Entry> entries = mapping(node, keyPath);
        for (LocatedNode.Entry entry : entries.values()) {
            if (!allowed.contains(entry.key())) {
                throw refuse(entry.keyLine(), keyPath, "unknown key " + Names.printable(entry.key())
                        + " (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return entries;
    }

    /** A sequence, or empty when the value is null or absent. */
    Optional<List<LocatedNode>> sequence(LocatedNode node, String keyPath) throws InventoryException {
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        if (node instanceof LocatedNode.Sequence sequence) {
            return Optional.of(sequence.items());
        }
        throw refuse(node.line(), keyPath, "expected a list, got " + describe(node));
    }

    /** A string, or empty when the value is null or absent. Numbers and booleans are refused. */
    /**
     * A {@code [user@]host[:port]} value in its normal form, or empty when absent.
     *
     * @throws InventoryException naming the line and key when the value is malformed
     */
    Optional<String> targetHost(LocatedNode node, String keyPath) throws InventoryException {
        Optional<String> text = string(node, keyPath);
        if (text.isEmpty()) {
            return text;
        }
        try {
            return Optional.of(TargetHost.parse(text.get()).toString());
        } catch (IllegalArgumentException e) {
            String key = keyPath.substring(keyPath.lastIndexOf('.') + 1);
            throw refuse(node.line(), keyPath, "malformed " + key + " " + Names.printable(text.get()) + ": "
                    + e.getMessage() + " (expected [user@]host[:port])");
        }
    }

    Optional<String> string(LocatedNode node, String keyPath) throws InventoryException {
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        if (node instanceof LocatedNode.Scalar scalar && scalar.isString()) {
            return Optional.of(scalar.text());
        }
        throw refuse(node.line(), keyPath, "expected a string, got " + describe(node) + " (quote the value)");
    }

    /** A string that must be one of {@code choices}. */
    Optional<String> choice(LocatedNode node, String keyPath, List<String> choices) throws InventoryException {
        Optional<String> value = string(node, keyPath);
        if (value.isPresent() && !choices.contains(value.get())) {
            throw refuse(node.line(), keyPath, "expected one of " + String.join(", ", choices)
                    + ", got " + Names.printable(value.get()));
        }
        return value;
    }

    /** A list of strings (null: empty). */
    List<Text> strings(LocatedNode node, String keyPath) throws InventoryException {
        List<LocatedNode> items = sequence(node, keyPath).orElse(List.of());
        List<Text> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            LocatedNode item = items.get(i);
            String itemPath = keyPath + "[" + i + "]";
            values.add(new Text(string(item, itemPath)
                    .orElseThrow(() -> refuse(item.line(), itemPath, "expected a string, got null")), item.line()));
        }
        return values;
    }

    /** The items that are valid {@link Names}; each other one becomes a problem and is dropped. */
    List<String> validNames(List<Text> items, String keyPath, List<InventoryProblem> problems) {
        List<String> valid = new ArrayList<>();
        for (Text item : items) {
            if (Names.isValid(item.text())) {
                valid.add(item.text());
            } else {
                problems.add(new InventoryProblem(source, item.line(),
                        keyPath + ": " + Names.rejection(item.text()) + "; dropped"));
            }
        }
        return valid;
    }

    static LocatedNode value(Map<String, LocatedNode.Entry> entries, String key) {
        LocatedNode.Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    private static boolean isNull(LocatedNode node) {
        return node instanceof LocatedNode.Scalar scalar && scalar.isNull();
    }

    private static String describe(LocatedNode node) {
        if (node instanceof LocatedNode.Mapping) {
            return "a mapping";
        }
        if (node instanceof LocatedNode.Sequence) {
            return "a list";
        }
        LocatedNode.Scalar scalar = (LocatedNode.Scalar) node;
        return switch (scalar.token()) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "an unsupported value";
        };
    }
}
