package io.fleetward.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Ansi;

/**
 * A plain-text table like {@code kubectl get}: upper-case headers, columns padded to their widest
 * cell and separated by three spaces, the last column not padded. A status column may be coloured
 * (only when {@code ansi} is on, which picocli decides from whether stdout is a terminal).
 */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(String... cells) {
        List<String> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(cell == null ? "" : cell.replaceAll("[\\p{Cntrl}]", " "));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, Ansi ansi, int statusColumn) {
        print(out, ansi, statusColumn, true);
    }

    /** The rows alone, as {@code kubectl get --watch} prints a change. */
    void printRows(PrintWriter out, Ansi ansi, int statusColumn) {
        print(out, ansi, statusColumn, false);
    }

    private void print(PrintWriter out, Ansi ansi, int statusColumn, boolean header) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        if (header) {
            out.println(line(headers, widths, null, -1));
        }
        for (List<String> row : rows) {
            out.println(line(row, widths, ansi, statusColumn));
        }
        out.flush();
    }

    private static String line(List<String> cells, int[] widths, Ansi ansi, int statusColumn) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            String shown = i == statusColumn && ansi != null ? colour(ansi, cell) : cell;
            line.append(shown);
            if (!last) {
                line.append(" ".repeat(widths[i] - cell.length() + 3));
            }
        }
        return line.toString().stripTrailing();
    }

    /** The status in its colour on a terminal, as it is otherwise. */
    static String colour(Ansi ansi, String status) {
        String style = switch (status) {
            case "IN_SYNC", "SUCCEEDED", "UNCHANGED" -> "green";
            case "DRIFTED", "SUSPENDED" -> "yellow";
            case "DEPLOYING", "RUNNING" -> "cyan";
            case "FAILED", "UNREACHABLE", "INTERRUPTED" -> "red";
            default -> null;
        };
        return style == null || !ansi.enabled() ? status : ansi.string("@|" + style + " " + status + "|@");
    }
}
