package io.fleetward.transport;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured POSIX shell command line with {@code {placeholder}} words. The template text is the
 * administrator's; every substituted value is rendered as one single-quoted shell word, so quotes,
 * {@code ;}, {@code $(...)}, newlines or a leading {@code -} arrive as one literal argument.
 */
public final class CommandTemplate {
    /** The placeholders a template may use. */
    public static final Set<String> PLACEHOLDERS = Set.of("host", "user", "configuration", "flake", "rev", "platform",
            "previous", "deployment", "seconds", "window", "rollback");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    private final String key;
    private final String template;

    private CommandTemplate(String key, String template) {
        this.key = key;
        this.template = template;
    }

    /**
     * Checks the template once, at start-up.
     *
     * @param key the config key it came from, named in the error
     * @throws IllegalArgumentException naming the key when the template is empty or uses an unknown placeholder
     */
    public static CommandTemplate of(String key, String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException(key + ": the command template is empty");
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException(key + ": unknown placeholder {" + m.group(1) + "}; known: "
                        + new TreeSet<>(PLACEHOLDERS));
            }
        }
        return new CommandTemplate(key, template);
    }

    public String key() {
        return key;
    }

    /** The placeholders this template uses. */
    public Set<String> placeholders() {
        Set<String> used = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    /**
     * Renders the command line.
     *
     * @throws IllegalArgumentException when a used placeholder has no value or a value holds a NUL character
     */
    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(key + ": no value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(quote(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** One POSIX shell word that expands to exactly {@code value}. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a command argument may not contain a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return template;
    }
}
