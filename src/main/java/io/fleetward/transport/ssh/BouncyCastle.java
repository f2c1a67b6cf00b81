package io.fleetward.transport.ssh;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jboss.logging.Logger;

/**
 * BouncyCastle as the JVM's "BC" security provider, which SSHD needs for ed25519 keys.
 *
 * <p>The provider list is JVM-wide, but classes are per class loader: when an application is
 * restarted in the same JVM under a new class loader (Quarkus tests, dev mode), a "BC" provider left
 * by the previous one hands out key classes the new SSHD cannot cast. Such a stale provider is
 * replaced by this class loader's own before SSHD first looks.
 */
public final class BouncyCastle {
    private static final Logger LOG = Logger.getLogger(BouncyCastle.class);

    private BouncyCastle() {
    }

    /** Registers this class loader's BouncyCastle as "BC", replacing one from another class loader. */
    public static synchronized void register() {
        Provider current = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (current != null && current.getClass() == BouncyCastleProvider.class) {
            return;
        }
        if (current != null) {
            LOG.debug("replacing a BouncyCastle provider registered by another class loader");
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
        Security.addProvider(new BouncyCastleProvider());
    }
}
