package io.fleetward.webhook;

/** Remembers which webhook deliveries were handled, so a redelivery triggers nothing. */
@FunctionalInterface
public interface Deliveries {

    /** Records the delivery; true if it was not seen before. */
    boolean firstSeen(Provider provider, String deliveryId);
}
