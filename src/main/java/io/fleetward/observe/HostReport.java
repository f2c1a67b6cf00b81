package io.fleetward.observe;

import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Names;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a host says it runs, sent by the host itself (push mode, for machines the controller cannot
 * reach on its own). Every field is checked here, so nothing unchecked reaches the loop.
 *
 * @param host                  the reporting host's name
 * @param at                    when fleetward received it
 * @param system                its current system path
 * @param booted                its booted system path (NixOS), or null
 * @param configurationRevision the configurationRevision it reports, or null
 * @param homes                 current home-manager generation by user (standalone users), possibly empty
 */
public record HostReport(String host, Instant at, String system, String booted, String configurationRevision,
                         Map<String, String> homes) {
    /** More users than this on one machine is not a report, it is an attack. */
    static final int MAX_HOMES = 256;

    public HostReport {
        Objects.requireNonNull(at, "at");
        if (!Names.isValid(host)) {
            throw new IllegalArgumentException("host: " + Names.rejection(host));
        }
        if (!StorePath.isValid(system)) {
            throw new IllegalArgumentException("system: expected an absolute store path");
        }
        if (booted != null && !StorePath.isValid(booted)) {
            throw new IllegalArgumentException("booted: expected an absolute store path");
        }
        // deploy/fleetward-report sends only a clean SHA-1 id as git prints it, and null for anything else.
        if (configurationRevision != null && CommitId.parse(configurationRevision)
                .filter(id -> id.isSha1() && id.hex().equals(configurationRevision)).isEmpty()) {
            throw new IllegalArgumentException("configurationRevision: expected 40 lowercase hex digits");
        }
        homes = homes == null ? Map.of() : homes;
        if (homes.size() > MAX_HOMES) {
            throw new IllegalArgumentException("homes: more than " + MAX_HOMES + " users");
        }
        for (Map.Entry<String, String> home : homes.entrySet()) {
            if (!Names.isValid(home.getKey())) {
                throw new IllegalArgumentException("homes: " + Names.rejection(home.getKey()));
            }
            if (!StorePath.isValid(home.getValue())) {
                throw new IllegalArgumentException("homes." + home.getKey() + ": expected an absolute store path");
            }
        }
        homes = Collections.unmodifiableMap(new TreeMap<>(homes));
    }

    /** Whether the report speaks for {@code target}: its system, or a standalone user it lists. */
    public boolean covers(Target target) {
        return target.host().name().equals(host) && (target.user() == null || homes.containsKey(target.user()));
    }

    /** The report as the observation of one target it {@link #covers}. */
    public Observation observation(Target target) {
        return target.user() == null
                ? new Observation(target.id(), at, system, booted, configurationRevision, null)
                : new Observation(target.id(), at, homes.get(target.user()), null, null, null);
    }
}
