package io.fleetward.transport.ssh;

import io.fleetward.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Private keys read from identity files (OpenSSH or PEM format, ed25519, ecdsa or rsa), cached
 * until the file changes. Errors name the file, never its content; encrypted keys are refused
 * because fleetward has no passphrase setting.
 */
final class IdentityFiles {
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    private record Loaded(FileTime modified, KeyPair keys) {
    }

    /** Signals that a key asked for a passphrase. */
    private static final class Encrypted extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** The key pair in {@code file}. */
    KeyPair load(Path file) throws TransportException {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new TransportException("SSH identity file " + file + " is missing or unreadable");
        }
        Loaded cached = cache.get(file);
        if (cached != null && cached.modified().equals(modified)) {
            return cached.keys();
        }
        FilePasswordProvider noPassphrase = (session, resource, retry) -> {
            throw new Encrypted();
        };
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, noPassphrase);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new TransportException("SSH identity file " + file + " holds no private key");
            }
            KeyPair keys = it.next();
            cache.put(file, new Loaded(modified, keys));
            return keys;
        } catch (Encrypted e) {
            throw new TransportException("SSH identity file " + file
                    + " is encrypted; passphrase-protected keys are not supported (use a key without passphrase, "
                    + "readable by the daemon only)");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // The parser's message may quote the file: only its kind is reported.
            throw new TransportException("SSH identity file " + file + " is missing, unreadable or not an "
                    + "ed25519, ecdsa or rsa private key (" + e.getClass().getSimpleName() + ")");
        }
    }
}
