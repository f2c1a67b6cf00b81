package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds one of fleetward's config mappings without Quarkus, with the converters Quarkus registers
 * (so {@code 60s} and {@code 30d} are durations, as at start-up).
 */
public final class PlainConfig {
    private PlainConfig() {
    }

    /** The mapping from these properties and the defaults; a malformed value throws, naming its key. */
    public static <T> T mapping(Class<T> type, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .addDiscoveredConverters()
                .withMapping(type)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(type);
    }

    /** The mapping as its defaults alone make it. */
    public static <T> T defaults(Class<T> type) {
        return mapping(type, Map.of());
    }

    /** Every {@code @ConfigMapping} interface of {@code io.fleetward.config}, from the compiled classes folder. */
    public static List<Class<?>> all() {
        String pkg = DataDirConfig.class.getPackageName();
        try {
            Path classes = Path.of(DataDirConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                return files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".class") && !name.contains("$"))
                        .<Class<?>>map(name -> load(pkg + "." + name.substring(0, name.length() - ".class".length())))
                        .filter(type -> type.isAnnotationPresent(ConfigMapping.class))
                        .sorted(Comparator.comparing(Class::getName))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
