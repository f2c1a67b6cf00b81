package io.fleetward.fleet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML or JSON document as a tree that remembers the line of every key and value, so that a
 * refusal can name {@code file:line}. Jackson's own tree nodes drop locations, hence this small one.
 */
sealed interface LocatedNode permits LocatedNode.Mapping, LocatedNode.Sequence, LocatedNode.Scalar {

    /** 1-based line where the node starts. */
    int line();

    /** A mapping; {@code entries} keeps document order. */
    record Mapping(int line, Map<String, Entry> entries) implements LocatedNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }

    /** One key of a mapping with the line of the key itself. */
    record Entry(String key, int keyLine, LocatedNode value) {
    }

    record Sequence(int line, List<LocatedNode> items) implements LocatedNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A scalar; {@code token} tells strings from numbers, booleans and null. */
    record Scalar(int line, JsonToken token, String text) implements LocatedNode {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }
    }

    /**
     * Reads the single document of {@code parser}.
     *
     * @param source the name used in problems ("fleetward.yaml", "inventory command output")
     * @return the root, or null when the document is empty
     * @throws InventoryException when the text is malformed, holds more than one document, repeats a
     *                            key or uses a YAML alias (aliases would silently read as strings)
     */
    static LocatedNode read(JsonParser parser, String source) throws InventoryException {
        try (parser) {
            if (parser.nextToken() == null) {
                return null;
            }
            LocatedNode root = readValue(parser, source);
            if (parser.nextToken() != null) {
                throw new InventoryException(new InventoryProblem(source, line(parser),
                        "more than one document; expected exactly one"));
            }
            return root;
        } catch (JsonProcessingException e) {
            // SnakeYAML's own mark points at the offending character; Jackson's at the enclosing construct.
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                throw new InventoryException(new InventoryProblem(source, yaml.getProblemMark().getLine() + 1,
                        "malformed YAML: " + firstLine(yaml.getProblem())));
            }
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw new InventoryException(new InventoryProblem(source, line, "malformed "
                    + (parser instanceof YAMLParser ? "YAML" : "JSON") + ": " + firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InventoryException(new InventoryProblem(source, 0, "unreadable: " + firstLine(e.getMessage())));
        }
    }

    private static LocatedNode readValue(JsonParser parser, String source) throws IOException, InventoryException {
        int line = line(parser);
        JsonToken token = parser.currentToken();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw new InventoryException(new InventoryProblem(source, line, "YAML aliases are not supported"));
        }
        if (token == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = line(parser);
                parser.nextToken();
                LocatedNode value = readValue(parser, source);
                if (entries.putIfAbsent(key, new Entry(key, keyLine, value)) != null) {
                    throw new InventoryException(new InventoryProblem(source, keyLine,
                            "duplicate key " + Names.printable(key)));
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new InventoryException(new InventoryProblem(source, line, "unterminated mapping"));
            }
            return new Mapping(line, entries);
        }
        if (token == JsonToken.START_ARRAY) {
            List<LocatedNode> items = new ArrayList<>();
            for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                if (next == null) {
                    throw new InventoryException(new InventoryProblem(source, line, "unterminated sequence"));
                }
                items.add(readValue(parser, source));
            }
            return new Sequence(line, items);
        }
        return new Scalar(line, token, token == JsonToken.VALUE_NULL ? null : parser.getText());
    }

    private static int line(JsonParser parser) {
        return Math.max(0, parser.currentTokenLocation().getLineNr());
    }

    /** Parser messages can quote the document over several lines; keep one escaped line. */
    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int end = message.indexOf('\n');
        String line = (end < 0 ? message : message.substring(0, end)).strip();
        return Names.printable(line);
    }
}
