package io.fleetward.notify;

import io.fleetward.reconcile.FleetEvent;
import java.util.Optional;

/** How one kind of receiver is told of an event: the request it needs. */
interface Channel {

    /** The request telling {@code event}; empty when this receiver has nothing to say about it. */
    Optional<HttpCall> call(FleetEvent event);
}
