package io.fleetward.transport;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The transports this build has, by the name a host's overlay entry uses. */
public final class Transports {
    private final Map<String, Transport> byName = new TreeMap<>();

    public Transports(List<Transport> transports) {
        transports.forEach(t -> byName.put(t.name(), t));
    }

    /** The controller's own machine: where system deploys and inventory/evaluate commands run. */
    public Transport local() {
        return byName.get("local");
    }

    /** @throws TransportException when no transport of that name is available (the target becomes UNREACHABLE) */
    public Transport named(String name) throws TransportException {
        Transport transport = byName.get(name);
        if (transport == null) {
            throw new TransportException("transport '" + name + "' is not available (known: " + byName.keySet() + ")");
        }
        return transport;
    }
}
