package io.fleetward.transport;

/**
 * How a command reaches a machine. Implementations enforce the request's timeout, kill what they
 * started when the calling thread is interrupted, and never put secrets in exception messages.
 */
public interface Transport {
    /** {@code local} or {@code ssh}; the value of a host's {@code transport:} in the overlay. */
    String name();

    /**
     * Runs the command and waits for it.
     *
     * @throws TransportException   when it could not be started or the machine could not be reached
     * @throws InterruptedException when the calling thread was interrupted (the command was killed)
     */
    CommandResult run(CommandRequest request) throws TransportException, InterruptedException;
}
