package io.fleetward.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The keys whose commit signatures are trusted ({@code fleetward.source.trusted-keys}): a file, or a
 * folder of files (not descended into). {@code *.asc} files hold ASCII-armored OpenPGP public keys or
 * keyrings ({@code gpg --export --armor}); {@code allowed_signers} and {@code *.allowed_signers} are
 * OpenSSH allowed-signers files, as {@code git} and {@code ssh-keygen -Y verify} read them. Only these
 * files are read: never a GnuPG home or {@code ~/.ssh}. Read once, at start-up: a file that cannot be
 * read or parsed is refused with its name (and line).
 */
public final class TrustedKeys {
    /** Key types an allowed-signers line may name (plain keys and certificates' authorities). */
    private static final Set<String> SSH_KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");

    private final List<PGPPublicKeyRing> openPgp;
    private final List<Path> allowedSigners;

    private TrustedKeys(List<PGPPublicKeyRing> openPgp, List<Path> allowedSigners) {
        this.openPgp = List.copyOf(openPgp);
        this.allowedSigners = List.copyOf(allowedSigners);
    }

    /**
     * Reads the keys at {@code location}.
     *
     * @throws IllegalArgumentException naming the file (and line) that cannot be read or parsed, or a
     *                                  folder that holds no key file
     */
    public static TrustedKeys load(Path location) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        List<Path> signers = new ArrayList<>();
        if (Files.isDirectory(location)) {
            List<Path> files;
            try (Stream<Path> entries = Files.list(location)) {
                files = entries.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the folder " + location + ": " + e.getMessage());
            }
            for (Path file : files) {
                read(file, rings, signers, false);
            }
            if (rings.isEmpty() && signers.isEmpty()) {
                throw new IllegalArgumentException(location + " holds no *.asc, allowed_signers or *.allowed_signers file");
            }
        } else {
            read(location, rings, signers, true);
        }
        return new TrustedKeys(rings, signers);
    }

    /** No key at all: every signature is untrusted. For tests and {@code verify=none}. */
    public static TrustedKeys none() {
        return new TrustedKeys(List.of(), List.of());
    }

    /** OpenPGP public keyrings (a primary key with its subkeys, user ids and signatures each). */
    List<PGPPublicKeyRing> openPgp() {
        return openPgp;
    }

    /** OpenSSH allowed-signers files, absolute. */
    List<Path> allowedSigners() {
        return allowedSigners;
    }

    /** For the start-up log: how many keys and files. */
    public String describe() {
        return openPgp.size() + " OpenPGP key(s), " + allowedSigners.size() + " allowed_signers file(s)";
    }

    private static void read(Path file, List<PGPPublicKeyRing> rings, List<Path> signers, boolean named) {
        String name = file.getFileName().toString();
        if (name.endsWith(".asc")) {
            rings.addAll(readOpenPgp(file));
        } else if (name.equals("allowed_signers") || name.endsWith(".allowed_signers")) {
            checkAllowedSigners(file);
            signers.add(file.toAbsolutePath().normalize());
        } else if (named) {
            throw new IllegalArgumentException(file + ": not a key file: name it *.asc (armored OpenPGP public keys),"
                    + " allowed_signers or *.allowed_signers (OpenSSH allowed signers)");
        }
    }

    private static List<PGPPublicKeyRing> readOpenPgp(Path file) {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            PGPPublicKeyRingCollection collection = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            for (Iterator<PGPPublicKeyRing> it = collection.getKeyRings(); it.hasNext(); ) {
                rings.add(it.next());
            }
            if (rings.isEmpty()) {
                throw new IllegalArgumentException(file + ": holds no OpenPGP public key");
            }
            return rings;
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof IllegalArgumentException refused && String.valueOf(refused.getMessage()).startsWith(file.toString())) {
                throw refused;
            }
            throw new IllegalArgumentException(file + ": not an armored OpenPGP public key or keyring"
                    + " (export one with gpg --export --armor KEYID): " + e.getMessage());
        }
    }

    /**
     * Checks every line of an allowed-signers file names principals and a public key of a known type
     * whose base64 blob decodes to that type; JGit's own parser reads it when verifying.
     */
    private static void checkAllowedSigners(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        int keys = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            int type = -1;
            for (int t = 1; t < tokens.length - 1 && type < 0; t++) {
                if (SSH_KEY_TYPES.contains(tokens[t])) {
                    type = t;
                }
            }
            if (type < 0 || !blobOfType(tokens[type + 1], tokens[type])) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected"
                        + " \"principals [options] key-type base64-key\" (e.g. from ssh-keygen's .pub file)");
            }
            keys++;
        }
        if (keys == 0) {
            throw new IllegalArgumentException(file + ": holds no allowed signer");
        }
    }

    /** Whether {@code base64} decodes to an SSH public key blob that starts with the string {@code type}. */
    private static boolean blobOfType(String base64, String type) {
        try {
            byte[] blob = Base64.getDecoder().decode(base64);
            if (blob.length < 4) {
                return false;
            }
            int length = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
            return length == type.length() && blob.length >= 4 + length
                    && new String(blob, 4, length, StandardCharsets.US_ASCII).equals(type);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
