package io.fleetward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Stream;

/** Secrets as fleetward handles them: read from a file named by a config key, compared by SHA-256. */
public final class Secrets {
    private Secrets() {
    }

    /**
     * The first line of {@code file}, stripped (empty for an empty file).
     *
     * @throws IllegalArgumentException naming {@code key} and the file (never its content) when it cannot be read
     */
    public static String firstLine(String key, Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().orElse("").strip();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file, e);
        }
    }

    /** The SHA-256 of {@code text} (UTF-8): tokens are stored and compared as digests. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
