package io.fleetward.access;

import io.fleetward.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's bearer tokens, known only by their SHA-256: fleetward never holds a token itself, so a
 * leaked configuration file or heap dump gives no way in. Tokens are compared by their digests in
 * constant time.
 */
public final class ApiTokens {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<byte[]> digests;

    private ApiTokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * Reads the configured hashes. A malformed one fails start-up naming the key (and the file's line),
     * never the value: someone may have pasted a token where its hash belongs.
     *
     * @param hashes from {@code fleetward.api.token-hashes}
     * @param file   from {@code fleetward.api.token-hashes-file}: one hash per line, {@code #} starts a comment
     */
    public static ApiTokens of(List<String> hashes, Optional<Path> file) {
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            digests.add(parse(hashes.get(i).strip(), "fleetward.api.token-hashes: entry " + (i + 1)));
        }
        file.ifPresent(path -> digests.addAll(readFile(path)));
        return new ApiTokens(digests);
    }

    private static List<byte[]> readFile(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("fleetward.api.token-hashes-file: cannot read " + path, e);
        }
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String hash = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!hash.isEmpty()) {
                digests.add(parse(hash, "fleetward.api.token-hashes-file: " + path + " line " + (i + 1)));
            }
        }
        return digests;
    }

    private static byte[] parse(String hash, String where) {
        if (!SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException(where + ": expected a SHA-256 digest as 64 hex digits"
                    + " (the hash of a token, e.g. from `printf %s TOKEN | sha256sum`, not the token)");
        }
        return HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether any token is configured; without one, mutating endpoints refuse every request. */
    public boolean configured() {
        return !digests.isEmpty();
    }

    /** Whether {@code token} is one of the configured tokens. Every digest is compared, matching or not. */
    public boolean accepts(String token) {
        byte[] digest = Secrets.sha256(token);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(known, digest);
        }
        return match;
    }

    /**
     * Whether {@code token} hashes to {@code sha256Hex} (a host's check-in token, as the inventory
     * holds it). False for a null or malformed hash.
     */
    public static boolean matches(String token, String sha256Hex) {
        if (sha256Hex == null || !SHA256_HEX.matcher(sha256Hex).matches()) {
            return false;
        }
        return MessageDigest.isEqual(HexFormat.of().parseHex(sha256Hex.toLowerCase(java.util.Locale.ROOT)),
                Secrets.sha256(token));
    }
}
