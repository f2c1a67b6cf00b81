package io.fleetward.metrics;

import io.fleetward.api.StoreReadiness;
import io.fleetward.store.DataDirSpace;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.Readiness;

/** Whether the store is usable, and the data dir's free space. */
@Startup
@ApplicationScoped
public class StoreMetrics {
    @Inject
    public StoreMetrics(MeterRegistry registry, @Readiness StoreReadiness store, DataDirSpace space) {
        Gauge.builder("fleetward.store.up", store, s -> s.up() ? 1 : 0)
                .description("1 while the database answers and the data dir has room, as of the last check")
                .register(registry);
        Gauge.builder("fleetward.data.dir.free", space, s -> s.usable().orElse(-1))
                .description("Usable space of the data dir's file system (-1 when it cannot be read)")
                .baseUnit("bytes")
                .register(registry);
    }
}
