package io.fleetward.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stream is checked by the real consumer: GNU tar extracts it into the same tree. */
class TarStreamTest {

    @TempDir
    Path scratch;

    @Test
    void gnuTarExtractsFilesModesLinksAndLongNames() throws Exception {
        Path tree = Files.createDirectories(scratch.resolve("tree"));
        Files.writeString(tree.resolve("flake.nix"), "{ outputs = _: { }; }\n");
        Path bin = Files.createDirectories(tree.resolve("bin"));
        Files.writeString(bin.resolve("tool"), "#!/bin/sh\necho hi\n");
        bin.resolve("tool").toFile().setExecutable(true);
        String deep = "modules/" + "very-long-folder-name/".repeat(8) + "default.nix";
        Files.createDirectories(tree.resolve(deep).getParent());
        Files.writeString(tree.resolve(deep), "{ }\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("flake.nix"));
        Files.write(tree.resolve("empty"), new byte[0]);
        Files.write(tree.resolve("block"), new byte[512]);

        Path out = Files.createDirectories(scratch.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-xf", "-", "-C", out.toString()).redirectErrorStream(true).start();
        try (OutputStream stdin = tar.getOutputStream()) {
            TarStream.write(tree, stdin);
        }
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, tar.exitValue(), output);

        assertEquals("{ outputs = _: { }; }\n", Files.readString(out.resolve("flake.nix")));
        assertTrue(Files.isExecutable(out.resolve("bin/tool")));
        assertFalse(Files.isExecutable(out.resolve("flake.nix")));
        assertEquals("{ }\n", Files.readString(out.resolve(deep)));
        assertEquals(Path.of("flake.nix"), Files.readSymbolicLink(out.resolve("link")));
        assertEquals(0, Files.size(out.resolve("empty")));
        assertEquals(512, Files.size(out.resolve("block")));
    }

    /** Lengths around the points where the record's length gains a digit (9/10, 99/100 bytes). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 88, 89, 90, 91, 92, 993, 994, 995, 996})
    void aPaxRecordCountsItsOwnLength(int valueLength) {
        String record = TarStream.paxRecord("path", "x".repeat(valueLength));

        assertEquals(record.getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(record.split(" ")[0]));
        assertTrue(record.endsWith("=" + "x".repeat(valueLength) + "\n"));
    }
}
