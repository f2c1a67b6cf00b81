package io.fleetward.transport.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * One OpenSSH known_hosts file, read strictly: a host key is accepted only when a line for that
 * host holds exactly that key. Lines are parsed and matched by sshd-core's {@link KnownHostEntry}
 * (plain, wildcard {@code *} {@code ?}, negated {@code !} and hashed {@code |1|salt|hash} host
 * patterns, the {@code [host]:port} form for ports other than 22); {@code @revoked} lines refuse
 * their key, {@code @cert-authority} lines are ignored (no certificates). This class keeps only
 * fleetward's policy: the verdicts, accept-new recording and the messages.
 *
 * <p>Used for SSH commands and for git over SSH, so its signatures use JDK types only. One
 * instance per file ({@link #of}); safe for concurrent use. The file is re-read when it changes.
 */
public final class KnownHosts {
    private static final Map<Path, KnownHosts> BY_FILE = new ConcurrentHashMap<>();
    /** The marker of a revoked key, as sshd-core reads it (without its '@'). */
    private static final String REVOKED = "revoked";

    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, -1, List.of());

    private KnownHosts(Path file) {
        this.file = file;
    }

    /** The checker of {@code file}; the same instance for the same file, so recording is serialized per file. */
    public static KnownHosts of(Path file) {
        return BY_FILE.computeIfAbsent(file.toAbsolutePath().normalize(), KnownHosts::new);
    }

    public Path file() {
        return file;
    }

    /** How a host key compares with the file. */
    public record Verdict(Status status, String hostPort, String keyType, String fingerprint, Path file) {
        public enum Status {
            /** The file holds this key for this host. */
            KNOWN,
            /** The host was not in the file; the key has just been recorded ({@link HostKeyPolicy#ACCEPT_NEW}). */
            RECORDED,
            /** The file holds no key for this host. */
            UNKNOWN,
            /** The file holds other keys for this host, not this one: possibly an impostor. */
            CHANGED,
            /** The file marks this key {@code @revoked}. */
            REVOKED
        }

        /** Whether a connection may go on. */
        public boolean accepted() {
            return status == Status.KNOWN || status == Status.RECORDED;
        }

        /** One line for an error or a log, naming the host, the file and the key seen (type and fingerprint). */
        public String describe() {
            String seen = keyType + " " + fingerprint;
            return switch (status) {
                case KNOWN -> "host key of " + hostPort + " is known (" + seen + ")";
                case RECORDED -> "host key of " + hostPort + " recorded in " + file + " (" + seen + ")";
                case UNKNOWN -> "host key of " + hostPort + " is not in " + file + " (" + seen + ")";
                case CHANGED -> "host key of " + hostPort + " CHANGED: " + file + " holds other keys for this host, "
                        + "the server offered " + seen + " (an impostor, or the host was reinstalled: "
                        + "remove the old line after checking)";
                case REVOKED -> "host key of " + hostPort + " is marked @revoked in " + file + " (" + seen + ")";
            };
        }
    }

    /** Compares {@code key} with what the file says about {@code host} on {@code port} (0 means 22). */
    public Verdict check(String host, int port, PublicKey key) {
        String encoded = encode(key);
        return verdict(host, port, encoded, read());
    }

    /**
     * {@link #check}, and under {@link HostKeyPolicy#ACCEPT_NEW} records an unknown host's key
     * (returning {@link Verdict.Status#RECORDED}). A changed key is never recorded.
     *
     * @throws IOException when the key should be recorded but the file cannot be written
     */
    public Verdict admit(String host, int port, PublicKey key, HostKeyPolicy policy) throws IOException {
        Verdict verdict = check(host, port, key);
        if (verdict.status() != Verdict.Status.UNKNOWN || policy != HostKeyPolicy.ACCEPT_NEW) {
            return verdict;
        }
        return record(host, port, key);
    }

    /**
     * Appends a line for {@code host} with {@code key}, unless by now the file holds a key for that
     * host (another connection may have recorded it first: then that line decides). Safe against
     * concurrent connections in this JVM (one lock per file) and in other processes (a file lock);
     * the line is written with one append, so readers never see half a line.
     */
    public synchronized Verdict record(String host, int port, PublicKey key) throws IOException {
        String encoded = encode(key);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); FileLock lock = channel.lock()) {
            Verdict current = verdict(host, port, encoded, read());
            if (current.status() != Verdict.Status.UNKNOWN) {
                return current;
            }
            String line = hostPattern(host, port) + " " + encoded + "\n";
            if (channel.size() > 0 && !endsWithNewline(file, channel.size())) {
                line = "\n" + line;
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        snapshot = new Snapshot(null, -1, List.of());
        Verdict recorded = verdict(host, port, encoded, read());
        return new Verdict(Verdict.Status.RECORDED, recorded.hostPort(), recorded.keyType(), recorded.fingerprint(), file);
    }

    /** Key types ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa} ...) the file holds for a host. */
    public Set<String> keyTypes(String host, int port) {
        Set<String> types = new LinkedHashSet<>();
        for (Entry entry : read()) {
            if (!entry.revoked() && entry.matches(host, port)) {
                types.add(entry.keyType());
            }
        }
        return types;
    }

    /**
     * The keys the file holds for a host (not revoked), for clients that order their host key
     * algorithms by what is known (as OpenSSH does). Lines whose key cannot be decoded are skipped.
     */
    public List<PublicKey> keys(String host, int port) {
        List<PublicKey> keys = new ArrayList<>();
        for (Entry entry : read()) {
            if (!entry.revoked() && entry.matches(host, port)) {
                try {
                    // IGNORING yields null for key types this build cannot decode.
                    PublicKey key = PublicKeyEntry.parsePublicKeyEntry(entry.keyType() + " " + entry.blob())
                            .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
                    if (key != null) {
                        keys.add(key);
                    }
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    // An unsupported or damaged line cannot match a key either.
                }
            }
        }
        return keys;
    }

    /** {@code SHA256:<base64>} of the key, as {@code ssh-keygen -l} prints it. */
    public static String fingerprint(PublicKey key) {
        return fingerprintOf(encode(key));
    }

    /** The key's type name as known_hosts writes it, e.g. {@code ssh-ed25519}. */
    public static String keyType(PublicKey key) {
        String encoded = encode(key);
        return encoded.substring(0, encoded.indexOf(' '));
    }

    /** {@code host} for port 22, {@code [host]:port} otherwise: the name a known_hosts line uses. */
    static String hostPattern(String host, int port) {
        return port == 0 || port == 22 ? host : "[" + host + "]:" + port;
    }

    private Verdict verdict(String host, int port, String encoded, List<Entry> entries) {
        String keyType = encoded.substring(0, encoded.indexOf(' '));
        String blob = encoded.substring(encoded.indexOf(' ') + 1);
        String hostPort = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + (port == 0 ? 22 : port);
        boolean hostKnown = false;
        boolean keyKnown = false;
        for (Entry entry : entries) {
            if (!entry.matches(host, port)) {
                continue;
            }
            if (entry.blob().equals(blob)) {
                if (entry.revoked()) {
                    return new Verdict(Verdict.Status.REVOKED, hostPort, keyType, fingerprintOf(encoded), file);
                }
                keyKnown = true;
            } else if (!entry.revoked()) {
                hostKnown = true;
            }
        }
        Verdict.Status status = keyKnown ? Verdict.Status.KNOWN
                : hostKnown ? Verdict.Status.CHANGED : Verdict.Status.UNKNOWN;
        return new Verdict(status, hostPort, keyType, fingerprintOf(encoded), file);
    }

    private List<Entry> read() {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
        }
        Snapshot current = snapshot;
        if (modified.equals(current.modified()) && size == current.size()) {
            return current.entries();
        }
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Entry entry = Entry.parse(line);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
        }
        snapshot = new Snapshot(modified, size, List.copyOf(entries));
        return entries;
    }

    private static boolean endsWithNewline(Path file, long size) throws IOException {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    private static String encode(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return PublicKeyEntry.toString(key);
    }

    private static String fingerprintOf(String encoded) {
        byte[] blob = Base64.getDecoder().decode(encoded.substring(encoded.indexOf(' ') + 1));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Snapshot(FileTime modified, long size, List<Entry> entries) {
    }

    /**
     * One usable line, parsed and matched by sshd-core's {@link KnownHostEntry} (host patterns with
     * {@code *}, {@code ?} and {@code !} negation, hashed {@code |1|salt|hash} names, {@code [host]:port},
     * markers): its key type and base64 key blob.
     */
    private record Entry(boolean revoked, KnownHostEntry line, String keyType, String blob) {
        /** null for comments, blank, malformed and {@code @cert-authority} lines (no certificates). */
        static Entry parse(String text) {
            KnownHostEntry line;
            try {
                line = KnownHostEntry.parseKnownHostEntry(text);
            } catch (RuntimeException e) {
                return null;
            }
            if (line == null || line.getKeyEntry() == null || line.getKeyEntry().getKeyType() == null
                    || line.getKeyEntry().getKeyData() == null) {
                return null;
            }
            String marker = line.getMarker();
            boolean revoked = marker != null && marker.equals(REVOKED);
            if (marker != null && !revoked) {
                return null;
            }
            return new Entry(revoked, line, line.getKeyEntry().getKeyType(),
                    Base64.getEncoder().encodeToString(line.getKeyEntry().getKeyData()));
        }

        /** OpenSSH rules: some pattern matches and no negated pattern does. */
        boolean matches(String host, int port) {
            return line.isHostMatch(host.toLowerCase(Locale.ROOT), port == 0 ? 22 : port);
        }
    }
}
