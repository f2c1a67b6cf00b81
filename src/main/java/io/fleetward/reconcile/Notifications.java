package io.fleetward.reconcile;

/**
 * Where the loop tells people what happened (outgoing notifications). Called on the pass thread,
 * so an implementation must return at once: it hands the event over (a bounded queue) and delivers
 * it on threads of its own; it never throws. Implemented by {@code notify/}.
 */
public interface Notifications {

    /** Hands one event over for delivery; never blocks, never throws. */
    void post(FleetEvent event);

    /** Tells no one: for plain unit tests, and when no notifier is configured. */
    Notifications NONE = event -> {
    };
}
