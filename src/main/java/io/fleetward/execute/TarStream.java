package io.fleetward.execute;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a folder as a POSIX tar stream (ustar, with a pax header for paths longer than ustar
 * holds), the way {@code tar -xf -} on a deployer host reads it. Regular files keep their
 * executable bit, symbolic links stay links, ownership and times are left to the extracting
 * side (owner: whoever extracts, times: zero, as a checkout's times carry no meaning).
 */
final class TarStream {
    private static final int BLOCK = 512;

    private TarStream() {
    }

    /** Writes every entry under {@code root} (sorted, so the stream is the same for the same tree), then the end marker. */
    static void write(Path root, OutputStream out) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).sorted().forEach(entries::add);
        }
        for (Path entry : entries) {
            String name = root.relativize(entry).toString().replace('\\', '/');
            if (Files.isSymbolicLink(entry)) {
                header(out, name, 0777, 0, '2', Files.readSymbolicLink(entry).toString());
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                header(out, name + "/", 0755, 0, '5', "");
            } else {
                long size = Files.size(entry);
                header(out, name, Files.isExecutable(entry) ? 0755 : 0644, size, '0', "");
                try (InputStream in = Files.newInputStream(entry)) {
                    long copied = in.transferTo(out);
                    if (copied != size) {
                        throw new IOException(name + " changed while it was archived");
                    }
                }
                pad(out, size);
            }
        }
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private static void header(OutputStream out, String name, int mode, long size, char type, String link)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        String ustarName = name;
        if (nameBytes.length > 100 || linkBytes.length > 100) {
            // A pax header carries the full name and link; the ustar fields get shortened stand-ins.
            StringBuilder records = new StringBuilder();
            if (nameBytes.length > 100) {
                records.append(paxRecord("path", name));
                ustarName = "pax-long-name";
            }
            if (linkBytes.length > 100) {
                records.append(paxRecord("linkpath", link));
                link = "pax-long-link";
            }
            byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
            out.write(block("PaxHeader", 0644, data.length, 'x', ""));
            out.write(data);
            pad(out, data.length);
        }
        out.write(block(ustarName, mode, size, type, link));
    }

    /** One pax record, "LEN key=value\n", where LEN counts the whole record including its own digits. */
    static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + String.valueOf(body).length();
        if (String.valueOf(length).length() != String.valueOf(body).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static byte[] block(String name, int mode, long size, char type, String link) {
        byte[] header = new byte[BLOCK];
        put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 0);
        header[156] = (byte) type;
        put(header, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        // The checksum is computed with its own field read as spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        return header;
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
    }

    /** A zero-padded octal number of {@code length - 1} digits followed by NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("value too large for a tar header field");
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(header, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
        header[offset + length - 1] = 0;
    }

    private static void pad(OutputStream out, long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
