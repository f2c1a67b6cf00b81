package io.fleetward.transport;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What a command reads on its standard input, written by the transport while the command runs
 * (for example a tar stream of a checkout). The transport closes the stream afterwards, so the
 * command sees end-of-file; a command given no stdin sees end-of-file at once.
 */
@FunctionalInterface
public interface Stdin {
    /** Writes the whole input; must not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;
}
