package io.fleetward.execute;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Port: writes a revision's files as a tar stream (what {@code tar -xf -} on a deployer host reads),
 * straight from the repository. The source implements it; execute never touches git objects itself.
 */
@FunctionalInterface
public interface CheckoutArchive {

    /**
     * @throws IOException when the revision is unknown, its tree is refused, or writing fails
     */
    void write(String revision, OutputStream out) throws IOException;
}
