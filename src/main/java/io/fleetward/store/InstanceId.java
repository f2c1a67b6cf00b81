package io.fleetward.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The name of this daemon among the daemons that share one database: deployments it starts carry
 * it, and it only marks its own unfinished deployments INTERRUPTED.
 *
 * <p>Chosen as {@code fleetward.instance.id} when set; otherwise the one written in
 * {@code <data-dir>/instance-id}, which the first start creates as {@code <hostname>-<8 random hex>}.
 * The data dir holds the clone, logs and embedded database, so a restart of the same daemon finds the
 * same id, while two daemons (two data dirs) never share one, even on the same machine.
 */
public final class InstanceId {

    private static final Logger LOG = Logger.getLogger(InstanceId.class);
    /** Letters, digits, '.', '_', '-': it appears in logs and the owner column. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final String FILE = "instance-id";

    private InstanceId() {
    }

    /** Whether {@code id} may name an instance. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /**
     * The configured id, or the one kept in {@code dataDir} (created on first use).
     *
     * @throws IllegalArgumentException naming {@code fleetward.instance.id} when the configured or
     *                                  kept id is malformed
     */
    public static String choose(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            String id = configured.get().strip();
            if (!isValid(id)) {
                throw new IllegalArgumentException("fleetward.instance.id: expected 1 to 128 letters, digits, '.', '_'"
                        + " or '-' (starting with a letter or digit)");
            }
            LOG.infof("instance id %s (fleetward.instance.id)", id);
            return id;
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!isValid(kept)) {
                    throw new IllegalArgumentException("fleetward.instance.id: " + file
                            + " does not hold a valid instance id; fix or delete it, or set the key");
                }
                LOG.infof("instance id %s (kept in %s)", kept, file);
                return kept;
            }
            String fresh = fresh();
            Path temporary = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(temporary, fresh + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("instance id %s (new; kept in %s)", fresh, file);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("fleetward.instance.id: cannot read or create " + file, e);
        }
    }

    private static String fresh() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return hostname() + "-" + HexFormat.of().formatHex(random);
    }

    private static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9.-]", "-");
            int dot = name.indexOf('.');
            name = dot > 0 ? name.substring(0, dot) : name;
            name = name.length() > 63 ? name.substring(0, 63) : name;
            return isValid(name) ? name : "fleetward";
        } catch (IOException e) {
            return "fleetward";
        }
    }
}
