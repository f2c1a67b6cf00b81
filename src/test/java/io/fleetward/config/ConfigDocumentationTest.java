package io.fleetward.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code config/application.properties} shows every key of every mapping, commented out, with the
 * default the mapping defines, and no key that does not exist. A key under a map of groups
 * ({@code fleetward.notify.<name>.type}) is documented with a {@code <placeholder>} segment where
 * SmallRye names it with {@code *}.
 */
class ConfigDocumentationTest {
    private static final Pattern DOCUMENTED = Pattern.compile("^#(fleetward\\.[^=\\s]+)=(.*)$");
    private static final Path FILE = Path.of("config", "application.properties");
    /** A documented map key's placeholder segment: {@code <name>}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\.<[a-z-]+>\\.");

    /** Every key by name (map keys as {@code prefix.*}), each with its leaf property. */
    private static Map<String, Property> keys() {
        Map<String, Property> keys = new TreeMap<>();
        for (Class<?> mapping : PlainConfig.all()) {
            ConfigMappings.getProperties(ConfigClass.configClass(mapping)).forEach((name, property) -> {
                if (!name.contains("[*]")) {
                    keys.put(name, property);
                }
            });
        }
        return keys;
    }

    /** The commented-out {@code #key=value} lines of the documentation file. */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(FILE)) {
            Matcher m = DOCUMENTED.matcher(line);
            if (m.matches()) {
                documented.put(PLACEHOLDER.matcher(m.group(1)).replaceAll(".*."), m.group(2));
            }
        }
        return documented;
    }

    @Test
    void everyKeyIsDocumented() throws IOException {
        Map<String, String> documented = documented();
        String text = Files.readString(FILE);

        List<String> undocumented = keys().keySet().stream()
                .filter(key -> key.endsWith(".*") ? !text.contains(key.substring(0, key.length() - 1))
                        : !documented.containsKey(key))
                .toList();

        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyDocumentedDefaultIsTheMappingsDefault() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        keys().forEach((key, property) -> {
            if (property.hasDefaultValue()) {
                defaults.put(key, property.getDefaultValue());
            }
        });

        assertThat(defaults).isNotEmpty();
        assertThat(documented()).containsAllEntriesOf(defaults);
    }

    @Test
    void everyDocumentedKeyExists() throws IOException {
        assertThat(keys().keySet()).containsAll(documented().keySet());
    }

    @Test
    void mapKeysAreDocumentedWithTheirPlaceholder() throws IOException {
        assertThat(keys()).containsKey("fleetward.notify.*.type");
        assertThat(documented()).containsKey("fleetward.notify.*.type");
        assertThat(Files.readString(FILE)).contains("#fleetward.notify.<name>.type=")
                .doesNotContain("#fleetward.notify.*.");
    }
}
