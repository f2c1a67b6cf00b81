package io.fleetward.transport.ssh;

import io.fleetward.transport.TransportException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;
import org.jboss.logging.Logger;

/**
 * Authenticated SSH sessions, one per (destination, identity file, known_hosts file), shared by
 * all commands to that destination: each command is one exec channel, and channels on one session
 * may run at the same time. Sessions unused for the idle timeout are closed; a session that the
 * peer closed leaves the pool by itself.
 */
final class SessionPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionPool.class);
    private static final AttributeKey<Attempt> ATTEMPT = new AttributeKey<>();
    /** Missed keep-alive replies after which a session counts as dead. */
    private static final int KEEP_ALIVE_MISSES = 3;

    /**
     * A session lent to one command.
     *
     * @param fresh whether it was opened for this command (a fresh session that fails is not retried)
     */
    record Pooled(SshDestination destination, Entry entry, boolean fresh) {
        ClientSession session() {
            return entry.session;
        }
    }

    /** What one connection attempt learnt, read back after a failure (the key verifier runs on an I/O thread). */
    private static final class Attempt {
        final SshDestination destination;
        final KnownHosts knownHosts;
        volatile KnownHosts.Verdict verdict;

        Attempt(SshDestination destination, KnownHosts knownHosts) {
            this.destination = destination;
            this.knownHosts = knownHosts;
        }
    }

    private final SshSettings settings;
    private final SshMetrics metrics;
    private final IdentityFiles identities = new IdentityFiles();
    private final SshClient client;
    private final Map<SshDestination, Entry> sessions = new ConcurrentHashMap<>();
    private final Map<SshDestination, Object> openLocks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private final AtomicLong opened = new AtomicLong();

    /** One pooled session and its users; a retired one leaves the pool and closes when its last user is done. */
    static final class Entry {
        final ClientSession session;
        final AtomicInteger users = new AtomicInteger();
        volatile long lastUsed = System.nanoTime();
        volatile boolean retired;

        Entry(ClientSession session) {
            this.session = session;
        }
    }

    SessionPool(SshSettings settings, SshMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.client = SshClient.setUpDefaultClient();
        // Nothing implicit: no ~/.ssh/config, no default keys, no passwords, only public key auth.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setServerKeyVerifier(this::verifyServerKey);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.keepAliveInterval());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, KEEP_ALIVE_MISSES);
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, settings.keepAliveInterval());
        // The pool closes idle sessions itself; SSHD's own idle limit must not come first.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.idleTimeout().plus(settings.keepAliveInterval()).multipliedBy(2));
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                preferKnownKeyTypes((ClientSession) session);
            }

            @Override
            public void sessionClosed(Session session) {
                forget((ClientSession) session);
            }
        });
        client.start();
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleetward-ssh-idle");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(30_000, settings.idleTimeout().toMillis() / 4));
        reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** A session to {@code destination} for one command: a pooled one, or a new one. Give it back with {@link #release}. */
    Pooled acquire(SshDestination destination) throws TransportException, InterruptedException {
        synchronized (openLocks.computeIfAbsent(destination, d -> new Object())) {
            Entry entry = sessions.get(destination);
            if (entry != null && entry.session.isOpen() && !entry.session.isClosing()) {
                entry.users.incrementAndGet();
                LOG.debugf("ssh session to %s reused", destination);
                return new Pooled(destination, entry, false);
            }
            if (entry != null && sessions.remove(destination, entry)) {
                entry.retired = true;
                if (entry.users.get() == 0) {
                    entry.session.close(true);
                }
            }
            ClientSession session = open(destination);
            Entry created = new Entry(session);
            created.users.incrementAndGet();
            sessions.put(destination, created);
            opened.incrementAndGet();
            metrics.sshSessionsOpen(sessions.size());
            return new Pooled(destination, created, true);
        }
    }

    /**
     * A session to {@code destination} opened for one command alone: never shared, never pooled, closed
     * when the command is {@linkplain #release released}. Proves that the machine accepts a new connection.
     */
    Pooled acquireUnpooled(SshDestination destination) throws TransportException, InterruptedException {
        Entry created = new Entry(open(destination));
        created.retired = true;
        created.users.incrementAndGet();
        opened.incrementAndGet();
        return new Pooled(destination, created, true);
    }

    /** The command on {@code pooled} has ended. */
    void release(Pooled pooled) {
        Entry entry = pooled.entry();
        entry.lastUsed = System.nanoTime();
        if (entry.users.decrementAndGet() == 0 && entry.retired) {
            entry.session.close(false);
        }
    }

    /**
     * Takes a session that failed to open a channel out of the pool. Commands still running on it
     * keep it until they end (the server may just have refused one more channel: MaxSessions).
     */
    void broken(Pooled pooled) {
        Entry entry = pooled.entry();
        entry.retired = true;
        if (sessions.remove(pooled.destination(), entry)) {
            metrics.sshSessionsOpen(sessions.size());
        }
        release(pooled);
    }

    /** Sessions open now. */
    int openSessions() {
        return sessions.size();
    }

    /** Sessions opened since start (a reused session counts once). */
    long sessionsOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        List<Entry> all = new ArrayList<>(sessions.values());
        sessions.clear();
        all.forEach(e -> e.session.close(true));
        metrics.sshSessionsOpen(0);
        try {
            client.stop();
        } catch (RuntimeException e) {
            LOG.debugf("stopping the SSH client: %s", e.toString());
        }
    }

    private ClientSession open(SshDestination destination) throws TransportException, InterruptedException {
        KeyPair keys = identities.load(destination.identity());
        Attempt attempt = new Attempt(destination, KnownHosts.of(destination.knownHosts()));
        ClientSession session = null;
        try {
            ConnectFuture connect = client.connect(destination.user(), destination.host(), destination.port(),
                    AttributeRepository.ofKeyValuePair(ATTEMPT, attempt), null);
            if (!connect.await(settings.connectTimeout())) {
                connect.cancel();
                throw unreachable(destination, "no connection within " + settings.connectTimeout().toSeconds() + " s");
            }
            if (connect.getException() != null) {
                throw unreachable(destination, reason(connect.getException()));
            }
            session = connect.getSession();
            // Key exchange (and so the host key check) finishes before the server asks for authentication.
            Set<ClientSessionEvent> state = session.waitFor(
                    EnumSet.of(ClientSessionEvent.WAIT_AUTH, ClientSessionEvent.CLOSED), settings.connectTimeout());
            refuseIfKeyNotAccepted(attempt);
            if (!state.contains(ClientSessionEvent.WAIT_AUTH)) {
                throw unreachable(destination, state.contains(ClientSessionEvent.TIMEOUT)
                        ? "no key exchange within " + settings.connectTimeout().toSeconds() + " s"
                        : "the server closed the connection during the key exchange");
            }
            session.addPublicKeyIdentity(keys);
            try {
                if (!session.auth().verify(settings.authTimeout()).isSuccess()) {
                    throw authFailed(destination);
                }
            } catch (IOException e) {
                refuseIfKeyNotAccepted(attempt);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (timedOut(e)) {
                    // A slow PAM or LDAP is no refused key: say so, or an admin rotates keys for nothing.
                    throw unreachable(destination, "no answer to authentication within "
                            + settings.authTimeout().toSeconds() + " s (fleetward.ssh.auth-timeout)");
                }
                throw authFailed(destination);
            }
            metrics.sshConnect("ok");
            KnownHosts.Verdict verdict = attempt.verdict;
            LOG.infof("ssh session opened to %s with key %s (%s %s, %s)", destination, destination.identity(),
                    verdict.keyType(), verdict.fingerprint(),
                    verdict.status() == KnownHosts.Verdict.Status.RECORDED ? "host key recorded" : "host key known");
            return session;
        } catch (TransportException e) {
            closeQuietly(session);
            throw e;
        } catch (InterruptedIOException e) {
            closeQuietly(session);
            throw interrupted(e);
        } catch (IOException e) {
            closeQuietly(session);
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(e);
            }
            refuseIfKeyNotAccepted(attempt);
            throw unreachable(destination, reason(e));
        }
    }

    private void refuseIfKeyNotAccepted(Attempt attempt) throws TransportException {
        KnownHosts.Verdict verdict = attempt.verdict;
        if (verdict != null && !verdict.accepted()) {
            metrics.sshConnect("host_key_refused");
            throw new TransportException(verdict.describe() + "; nothing was run");
        }
    }

    /** Called on an I/O thread during key exchange. */
    private boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        Attempt attempt = session.getConnectionContext() == null ? null
                : session.getConnectionContext().getAttribute(ATTEMPT);
        if (attempt == null) {
            return false;
        }
        SshDestination d = attempt.destination;
        KnownHosts.Verdict verdict;
        try {
            verdict = attempt.knownHosts.admit(d.host(), d.port(), key, settings.policy());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("ssh host key of %s not checked: %s", d, e.getMessage());
            return false;
        }
        attempt.verdict = verdict;
        switch (verdict.status()) {
            case KNOWN -> LOG.debugf("ssh %s", verdict.describe());
            case RECORDED -> LOG.infof("ssh %s (policy accept-new)", verdict.describe());
            default -> LOG.warnf("ssh %s; refused", verdict.describe());
        }
        return verdict.accepted();
    }

    /**
     * Offers the host key algorithms that known_hosts holds for this host first, as OpenSSH does:
     * otherwise a host whose file line is ed25519 could present its ecdsa key and look changed.
     */
    private void preferKnownKeyTypes(ClientSession session) {
        Attempt attempt = session.getConnectionContext() == null ? null
                : session.getConnectionContext().getAttribute(ATTEMPT);
        if (attempt == null) {
            return;
        }
        Set<String> known = attempt.knownHosts.keyTypes(attempt.destination.host(), attempt.destination.port());
        if (known.isEmpty()) {
            return;
        }
        List<NamedFactory<Signature>> first = new ArrayList<>();
        List<NamedFactory<Signature>> rest = new ArrayList<>();
        for (NamedFactory<Signature> factory : session.getSignatureFactories()) {
            (known.contains(keyTypeOf(factory.getName())) ? first : rest).add(factory);
        }
        first.addAll(rest);
        session.setSignatureFactories(first);
    }

    /** The key type a signature algorithm uses: the RSA SHA-2 signatures use {@code ssh-rsa} keys. */
    private static String keyTypeOf(String signatureAlgorithm) {
        return signatureAlgorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : signatureAlgorithm;
    }

    private void closeIdle() {
        long now = System.nanoTime();
        long idle = settings.idleTimeout().toNanos();
        for (Map.Entry<SshDestination, Entry> e : sessions.entrySet()) {
            Entry entry = e.getValue();
            if (entry.users.get() == 0 && now - entry.lastUsed >= idle) {
                synchronized (openLocks.computeIfAbsent(e.getKey(), d -> new Object())) {
                    if (entry.users.get() == 0 && System.nanoTime() - entry.lastUsed >= idle
                            && sessions.remove(e.getKey(), entry)) {
                        LOG.debugf("ssh session to %s closed after %d s idle", e.getKey(),
                                settings.idleTimeout().toSeconds());
                        entry.session.close(false);
                        metrics.sshSessionsOpen(sessions.size());
                    }
                }
            }
        }
    }

    private void forget(ClientSession session) {
        for (Map.Entry<SshDestination, Entry> e : sessions.entrySet()) {
            if (e.getValue().session == session && sessions.remove(e.getKey(), e.getValue())) {
                LOG.infof("ssh session to %s was closed by the peer or the network; the next command opens a new one",
                        e.getKey());
                metrics.sshSessionsOpen(sessions.size());
            }
        }
    }

    private TransportException unreachable(SshDestination destination, String reason) {
        metrics.sshConnect("unreachable");
        return new TransportException("cannot reach " + destination + " over SSH: " + reason);
    }

    private TransportException authFailed(SshDestination destination) {
        metrics.sshConnect("auth_failed");
        return new TransportException("SSH authentication as " + destination.user() + " on " + destination
                + " with key " + destination.identity() + " was refused");
    }

    private static InterruptedException interrupted(Exception cause) {
        InterruptedException e = new InterruptedException("interrupted while connecting");
        e.initCause(cause);
        return e;
    }

    /** The root cause's message: SSHD wraps the useful part in future descriptions. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            session.close(true);
        }
    }

    /** Whether SSHD gave up waiting (its futures report a timeout as an exception caused by TimeoutException). */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
