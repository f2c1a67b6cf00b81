package io.fleetward.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documented values of a chart's values.yaml, as argo-helm writes them: a {@code # -- text}
 * comment right above a key documents that key and everything under it. The table of the chart's
 * README is generated from these rows.
 */
final class ChartValues {
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.\\-]+):(.*)$");
    private static final Pattern DOC = Pattern.compile("^ *# -- (.+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One documented value: its dotted path, its default (as JSON) and its description. */
    record Row(String key, String defaultJson, String description) {
        String markdown() {
            return "| `" + key + "` | `" + defaultJson.replace("|", "\\|") + "` | " + description.replace("|", "\\|") + " |";
        }
    }

    private ChartValues() {
    }

    static JsonNode tree(Path values) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(values.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented keys, in file order, with their defaults read from the parsed file. */
    static List<Row> documented(Path values) {
        JsonNode tree = tree(values);
        List<Row> rows = new ArrayList<>();
        Deque<String[]> parents = new ArrayDeque<>(); // {indent, key}
        String pendingDoc = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            Matcher doc = DOC.matcher(line);
            if (doc.matches()) {
                pendingDoc = doc.group(1).trim();
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                continue;
            }
            int indent = key.group(1).length();
            while (!parents.isEmpty() && Integer.parseInt(parents.peek()[0]) >= indent) {
                parents.pop();
            }
            List<String> path = new ArrayList<>();
            parents.descendingIterator().forEachRemaining(p -> path.add(p[1]));
            path.add(key.group(2));
            String dotted = String.join(".", path);
            if (pendingDoc != null) {
                rows.add(new Row(dotted, defaultOf(tree, path), pendingDoc));
                pendingDoc = null;
            }
            parents.push(new String[] {String.valueOf(indent), key.group(2)});
        }
        return rows;
    }

    /** Every leaf (scalar, list or empty map) of the file, dotted. */
    static List<String> leaves(Path values) {
        List<String> leaves = new ArrayList<>();
        collect(tree(values), "", leaves);
        return leaves;
    }

    private static void collect(JsonNode node, String prefix, List<String> leaves) {
        if (node.isObject() && !node.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), leaves);
            }
        } else {
            leaves.add(prefix);
        }
    }

    private static String defaultOf(JsonNode tree, List<String> path) {
        JsonNode node = tree;
        for (String segment : path) {
            node = node.path(segment);
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README's values table: header and one row per documented value. */
    static String markdownTable(List<Row> rows) {
        StringBuilder table = new StringBuilder("| key | default | description |\n| --- | --- | --- |\n");
        rows.forEach(row -> table.append(row.markdown()).append('\n'));
        return table.toString();
    }
}
