package io.fleetward.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

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
}
