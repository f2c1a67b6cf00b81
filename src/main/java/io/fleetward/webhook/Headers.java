package io.fleetward.webhook;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The request headers a receiver reads; names are matched case-insensitively, as HTTP does. */
@FunctionalInterface
public interface Headers {

    /** The header's value, if the request carries it. */
    Optional<String> get(String name);

    /** Headers from a map whose keys may be in any case. */
    static Headers of(Map<String, String> values) {
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(values);
        return name -> Optional.ofNullable(byName.get(name));
    }
}
