package io.fleetward.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar of a tree, written from the object database by commons-compress, checked by the real
 * consumer: GNU tar extracts it into the same files. Trees are built object by object, so crafted
 * (hostile) trees a normal commit cannot hold are tested too.
 */
class TreeTarTest {

    @TempDir
    Path scratch;
    private Repository repository;
    private ObjectInserter inserter;

    @BeforeEach
    void repository() throws IOException {
        repository = FileRepositoryBuilder.create(scratch.resolve("repo.git").toFile());
        repository.create(true);
        inserter = repository.newObjectInserter();
    }

    @AfterEach
    void close() {
        inserter.close();
        repository.close();
    }

    private ObjectId blob(String text) throws IOException {
        return blob(text.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectId blob(byte[] bytes) throws IOException {
        return inserter.insert(Constants.OBJ_BLOB, bytes);
    }

    private ObjectId tree(TreeFormatter formatter) throws IOException {
        ObjectId id = inserter.insert(formatter);
        inserter.flush();
        return id;
    }

    /** {@code names} as nested folders around one file {@code leaf} holding {@code text}. */
    private ObjectId nested(String[] names, String leaf, String text) throws IOException {
        TreeFormatter inner = new TreeFormatter();
        inner.append(leaf, FileMode.REGULAR_FILE, blob(text));
        ObjectId id = tree(inner);
        for (int i = names.length - 1; i >= 0; i--) {
            TreeFormatter outer = new TreeFormatter();
            outer.append(names[i], FileMode.TREE, id);
            id = tree(outer);
        }
        return id;
    }

    private Path extract(ObjectId tree) throws Exception {
        Path out = Files.createDirectories(scratch.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-xf", "-", "-C", out.toString()).redirectErrorStream(true).start();
        try (OutputStream stdin = tar.getOutputStream(); ObjectReader reader = repository.newObjectReader()) {
            TreeTar.write(reader, tree, stdin);
        }
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(output).isZero();
        return out;
    }

    @Test
    void gnuTarExtractsFilesModesLinksLongAndNonAsciiNamesAndSubmodules() throws Exception {
        String[] deepFolders = ("modules/" + "very-long-folder-name/".repeat(8)).split("/");
        TreeFormatter bin = new TreeFormatter();
        bin.append("tool", FileMode.EXECUTABLE_FILE, blob("#!/bin/sh\necho hi\n"));
        TreeFormatter root = new TreeFormatter();
        // Git's order: names sorted as bytes, folders as if they ended in '/'.
        root.append("bin", FileMode.TREE, tree(bin));
        root.append("block", FileMode.REGULAR_FILE, blob(new byte[512]));
        root.append("café.nix", FileMode.REGULAR_FILE, blob("{ }\n"));
        root.append("empty", FileMode.REGULAR_FILE, blob(new byte[0]));
        root.append("flake.nix", FileMode.REGULAR_FILE, blob("{ outputs = _: { }; }\n"));
        root.append("link", FileMode.SYMLINK, blob("flake.nix"));
        root.append("modules", FileMode.TREE, nested(java.util.Arrays.copyOfRange(deepFolders, 1, deepFolders.length),
                "default.nix", "{ deep = true; }\n"));
        root.append("vendor", FileMode.GITLINK, ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"));

        Path out = extract(tree(root));

        assertThat(Files.readString(out.resolve("flake.nix"))).isEqualTo("{ outputs = _: { }; }\n");
        assertThat(Files.isExecutable(out.resolve("bin/tool"))).isTrue();
        assertThat(Files.isExecutable(out.resolve("flake.nix"))).isFalse();
        String deep = String.join("/", deepFolders) + "/default.nix";
        assertThat(deep.length()).isGreaterThan(100);
        assertThat(Files.readString(out.resolve(deep))).isEqualTo("{ deep = true; }\n");
        assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("flake.nix"));
        assertThat(Files.size(out.resolve("empty"))).isZero();
        assertThat(Files.size(out.resolve("block"))).isEqualTo(512);
        assertThat(Files.readString(out.resolve("café.nix"))).isEqualTo("{ }\n");
        assertThat(out.resolve("vendor")).isEmptyDirectory();
    }

    @Test
    void theSameTreeGivesTheSameBytes() throws Exception {
        TreeFormatter root = new TreeFormatter();
        root.append("flake.nix", FileMode.REGULAR_FILE, blob("{ }\n"));
        ObjectId tree = tree(root);

        assertThat(tarOf(tree)).isEqualTo(tarOf(tree));
    }

    private byte[] tarOf(ObjectId tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectReader reader = repository.newObjectReader()) {
            TreeTar.write(reader, tree, out);
        }
        return out.toByteArray();
    }

    @Test
    void aFileBelowASymbolicLinkOfTheSameTreeIsRefused() throws Exception {
        // A crafted tree: "a" twice, once a link to /etc, once a folder holding "passwd".
        TreeFormatter inner = new TreeFormatter();
        inner.append("passwd", FileMode.REGULAR_FILE, blob("root::0:0::/:/bin/sh\n"));
        TreeFormatter root = new TreeFormatter();
        root.append("a", FileMode.SYMLINK, blob("/etc"));
        root.append("a", FileMode.TREE, tree(inner));

        assertThatThrownBy(() -> tarOf(tree(root))).isInstanceOf(IOException.class)
                .hasMessage("refusing a tree that holds a twice");
    }

    @Test
    void unsafeSegmentsAreRefused() throws Exception {
        for (String name : new String[] {"..", ".", ".git", ".GIT"}) {
            TreeFormatter root = new TreeFormatter();
            root.append(name, FileMode.TREE, nested(new String[0], "config", "x\n"));
            assertThatThrownBy(() -> tarOf(tree(root))).as(name).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("refusing unsafe path in tree: " + name);
        }
    }
}
