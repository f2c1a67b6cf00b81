package io.fleetward.observe;

import io.fleetward.transport.CommandResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Several probe command lines run as one shell command (one SSH channel, one local process), and
 * that command's output cut back into each part's own result.
 *
 * <p>Each part is an already rendered line (its placeholders substituted as single-quoted words by
 * {@code CommandTemplate}); it runs in a subshell of its own, on its own lines (so that a comment or
 * an {@code exit} in a template ends only that part), with no input, and is followed by a line
 * holding a marker, the part's name and its exit status:
 * <pre>
 *   m='fleetward-probe-&lt;32 random hex digits&gt;'
 *   (
 *   readlink /run/current-system
 *   ) &lt;/dev/null; printf '\n%s %s %s\n' "$m" current "$?"
 * </pre>
 * The marker is new for every command, so no text a machine prints can be taken for the end of a
 * part unless it can guess it. A part whose end line is missing (the command was killed, or timed
 * out) fails with exit status -1; the others keep their own status and output.
 */
public final class ProbeScript {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final String marker;
    private final Map<String, String> parts = new LinkedHashMap<>();

    private ProbeScript(String marker) {
        this.marker = marker;
    }

    /** An empty script with a fresh random marker. */
    public static ProbeScript create() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return new ProbeScript("fleetward-probe-" + HexFormat.of().formatHex(nonce));
    }

    /** An empty script with this marker (tests). */
    static ProbeScript withMarker(String marker) {
        return new ProbeScript(marker);
    }

    /**
     * Adds a part.
     *
     * @param name a short lower-case name ({@code current}, {@code booted}, {@code revision}, {@code home})
     * @param line the rendered command line
     */
    public ProbeScript add(String name, String line) {
        if (!NAME.matcher(name).matches() || parts.containsKey(name)) {
            throw new IllegalArgumentException("bad or repeated part name: " + name);
        }
        if (line.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a probe command may not contain a NUL character");
        }
        parts.put(name, line);
        return this;
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The one command line that runs every part in order. */
    public String commandLine() {
        StringBuilder script = new StringBuilder("m='").append(marker).append("'\n");
        parts.forEach((name, line) -> script.append("(\n").append(line).append("\n) </dev/null; printf '\\n%s %s %s\\n' \"$m\" ")
                .append(name).append(" \"$?\"\n"));
        return script.toString();
    }

    /**
     * Each part's result, by name, from the combined command's result. A part's output is exactly
     * what it printed; its stderr is the combined command's (shared by every part). Missing parts
     * (no end line) failed with status -1, marked timed out when the command timed out.
     */
    public Map<String, CommandResult> split(CommandResult combined) {
        Map<String, CommandResult> results = new LinkedHashMap<>();
        String out = combined.stdout();
        int from = 0;
        List<String> names = new ArrayList<>(parts.keySet());
        for (String name : names) {
            String end = "\n" + marker + " " + name + " ";
            int at = out.indexOf(end, from);
            if (at < 0) {
                results.put(name, new CommandResult(-1, "", combined.stderr(), combined.timedOut(), combined.took()));
                from = out.length();
                continue;
            }
            int lineEnd = out.indexOf('\n', at + end.length());
            String status = out.substring(at + end.length(), lineEnd < 0 ? out.length() : lineEnd).strip();
            int code;
            try {
                code = Integer.parseInt(status);
            } catch (NumberFormatException e) {
                code = -1;
            }
            results.put(name, new CommandResult(code, out.substring(from, at), combined.stderr(), false,
                    Duration.ZERO));
            from = lineEnd < 0 ? out.length() : lineEnd + 1;
        }
        return results;
    }
}
