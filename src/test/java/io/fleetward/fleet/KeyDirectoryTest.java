package io.fleetward.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-host {@code ssh-identity} / {@code ssh-known-hosts} of the overlay (which comes from the
 * repository) are confined to {@code fleetward.ssh.key-dir}, on a real file system with real links.
 */
class KeyDirectoryTest {

    @TempDir
    Path temp;
    private Path keys;
    private Path outside;

    @BeforeEach
    void folders() throws IOException {
        keys = Files.createDirectories(temp.toRealPath().resolve("keys"));
        outside = Files.createDirectories(temp.toRealPath().resolve("elsewhere"));
        Files.writeString(keys.resolve("good_ed25519"), "key\n");
        Files.writeString(outside.resolve("id_ed25519"), "someone else's key\n");
    }

    private Inventory load(KeyDirectory dir, String key, Path value) throws InventoryException {
        return new InventoryLoader("fleetward.yaml", Optional.empty(), "local", dir).load(new InMemoryRevisionFiles()
                .file("modules/machines/nixos/good/default.nix", "{ }\n")
                .file("fleetward.yaml", "defaults:\n  transport: ssh\nhosts:\n  good:\n    tags: [a]\n    " + key
                        + ": " + value + "\n"), Optional.empty());
    }

    private InventoryException refused(KeyDirectory dir, String key, Path value) {
        InventoryException refused = org.junit.jupiter.api.Assertions.assertThrows(InventoryException.class,
                () -> load(dir, key, value));
        assertThat(refused.problem().line()).isEqualTo(6);
        assertThat(refused.getMessage()).startsWith("fleetward.yaml:6: hosts.good." + key + ": ");
        return refused;
    }

    @Test
    void aFileInTheKeyDirIsUsed() throws InventoryException {
        Host host = load(KeyDirectory.of(keys), "ssh-identity", keys.resolve("good_ed25519")).hosts().get("good");

        assertThat(host.ssh()).isEqualTo(new SshOverrides(keys.resolve("good_ed25519"), null));
    }

    @Test
    void withoutAKeyDirEveryPerHostKeyPathIsRefused() {
        assertThat(refused(KeyDirectory.NONE, "ssh-identity", keys.resolve("good_ed25519")).problem().message())
                .isEqualTo("hosts.good.ssh-identity: per-host key paths need fleetward.ssh.key-dir (unset)");
        refused(KeyDirectory.NONE, "ssh-known-hosts", keys.resolve("known_hosts"));
    }

    @Test
    void aFileOutsideTheKeyDirIsRefused() {
        assertThat(refused(KeyDirectory.of(keys), "ssh-identity", outside.resolve("id_ed25519")).problem().message())
                .isEqualTo("hosts.good.ssh-identity: " + outside.resolve("id_ed25519")
                        + " is outside fleetward.ssh.key-dir " + keys);
        refused(KeyDirectory.of(keys), "ssh-known-hosts", Path.of("/etc/ssh/ssh_known_hosts"));
    }

    @Test
    void theKeyDirItselfAndASiblingWithTheSamePrefixAreOutside() throws IOException {
        Path sibling = Files.createDirectories(temp.toRealPath().resolve("keys-extra"));
        refused(KeyDirectory.of(keys), "ssh-identity", sibling.resolve("id"));
        refused(KeyDirectory.of(keys), "ssh-identity", keys);
    }

    @Test
    void dotDotIsRefusedBeforeItCouldLeave() {
        assertThat(refused(KeyDirectory.of(keys), "ssh-identity", Path.of(keys + "/../elsewhere/id_ed25519"))
                .problem().message()).contains("expected an absolute path without '..'");
    }

    @Test
    void aLinkInTheKeyDirToAFileOutsideIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(keys.resolve("stolen"), outside.resolve("id_ed25519"));

        assertThat(refused(KeyDirectory.of(keys), "ssh-identity", link).problem().message())
                .isEqualTo("hosts.good.ssh-identity: " + link + " is outside fleetward.ssh.key-dir " + keys
                        + " (it resolves to " + outside.resolve("id_ed25519") + ")");
    }

    @Test
    void aLinkedFolderInTheKeyDirLeadingOutsideIsRefused() throws IOException {
        Files.createSymbolicLink(keys.resolve("sub"), outside);

        refused(KeyDirectory.of(keys), "ssh-known-hosts", keys.resolve("sub").resolve("known_hosts"));
    }

    @Test
    void aDanglingLinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(keys.resolve("later"), outside.resolve("not-yet"));

        assertThat(refused(KeyDirectory.of(keys), "ssh-identity", link).problem().message())
                .isEqualTo("hosts.good.ssh-identity: " + link + " is a dangling symbolic link");
    }

    @Test
    void aKeyDirReachedThroughALinkConfinesToItsRealFolder() throws IOException, InventoryException {
        Path linkedDir = Files.createSymbolicLink(temp.toRealPath().resolve("keys-link"), keys);

        Host host = load(KeyDirectory.of(linkedDir), "ssh-identity", linkedDir.resolve("good_ed25519"))
                .hosts().get("good");

        assertThat(host.ssh().identity()).isEqualTo(keys.resolve("good_ed25519"));
    }

    @Test
    void aKeyDirThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> KeyDirectory.of(temp.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("missing does not exist or cannot be read");
    }
}
