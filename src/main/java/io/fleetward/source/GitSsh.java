package io.fleetward.source;

import io.fleetward.transport.ssh.BouncyCastle;
import io.fleetward.transport.ssh.KnownHosts;
import io.fleetward.transport.ssh.SshSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.jboss.logging.Logger;

/**
 * Git over SSH with fleetward's SSH settings: JGit's Apache MINA transport with the configured
 * identity file, host keys checked by {@link KnownHosts} under the configured policy, no
 * {@code ~/.ssh/config}, no ssh-agent, and home and ssh folders pointing at an empty private
 * folder so nothing under {@code ~/.ssh} is read.
 *
 * <p>JGit reports a refused host key only as "did not validate"; the last refusal's reason (host,
 * file, fingerprint) is kept so that the fetch error can name it ({@link #takeRefusal()}).
 */
final class GitSsh implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GitSsh.class);

    private final Path privateHome;
    private final SshdSessionFactory factory;
    private final AtomicReference<String> refusal = new AtomicReference<>();

    GitSsh(SshSettings settings) {
        BouncyCastle.register();
        Path identity = settings.identity().orElseThrow(() -> new IllegalArgumentException(
                "an ssh:// source needs an SSH identity (fleetward.ssh.identity)"));
        KnownHosts knownHosts = KnownHosts.of(settings.knownHosts());
        try {
            this.privateHome = Files.createTempDirectory("fleetward-git-ssh");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private folder for git over SSH", e);
        }
        File home = privateHome.toFile();
        this.factory = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(home)
                .setConfigStoreFactory((homeDir, configFile, localUser) -> null)
                .setDefaultIdentities(sshDir -> List.of(identity))
                .setDefaultKnownHostsFiles(sshDir -> List.of())
                .setPreferredAuthentications("publickey")
                .setServerKeyDatabase((homeDir, sshDir) -> new CheckedKeys(knownHosts, settings))
                .build(null);
    }

    /** The factory to set on JGit's SSH transports. */
    SshSessionFactory factory() {
        return factory;
    }

    /** The reason of the last refused host key, once; null when none was refused since the last call. */
    String takeRefusal() {
        return refusal.getAndSet(null);
    }

    @Override
    public void close() {
        factory.close();
        try (var files = Files.list(privateHome)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(privateHome);
        } catch (IOException e) {
            LOG.debugf("private git ssh folder %s not removed: %s", privateHome, e.toString());
        }
    }

    /** Host keys from {@link KnownHosts}: strict, or accept-new with changed keys always refused. */
    private final class CheckedKeys implements ServerKeyDatabase {
        private final KnownHosts knownHosts;
        private final SshSettings settings;

        CheckedKeys(KnownHosts knownHosts, SshSettings settings) {
            this.knownHosts = knownHosts;
            this.settings = settings;
        }

        @Override
        public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
            return knownHosts.keys(host(connectAddress), port(connectAddress, remoteAddress));
        }

        @Override
        public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                              Configuration config, CredentialsProvider provider) {
            String host = host(connectAddress);
            int port = port(connectAddress, remoteAddress);
            KnownHosts.Verdict verdict;
            try {
                verdict = knownHosts.admit(host, port, serverKey, settings.policy());
            } catch (IOException | RuntimeException e) {
                refusal.set("host key of " + host + ":" + port + " not checked: " + e.getMessage());
                return false;
            }
            if (verdict.accepted()) {
                if (verdict.status() == KnownHosts.Verdict.Status.RECORDED) {
                    LOG.infof("git ssh %s (policy accept-new)", verdict.describe());
                }
                return true;
            }
            LOG.warnf("git ssh %s; refused", verdict.describe());
            refusal.set(verdict.describe());
            return false;
        }

        /** JGit names the server {@code host} for port 22 and {@code [host]:port} otherwise. */
        private static String host(String connectAddress) {
            if (connectAddress.startsWith("[")) {
                return connectAddress.substring(1, connectAddress.indexOf(']'));
            }
            return connectAddress;
        }

        private static int port(String connectAddress, InetSocketAddress remoteAddress) {
            int close = connectAddress.indexOf("]:");
            if (connectAddress.startsWith("[") && close > 0) {
                return Integer.parseInt(connectAddress.substring(close + 2));
            }
            return remoteAddress != null ? remoteAddress.getPort() : 22;
        }
    }
}
