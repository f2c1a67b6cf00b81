package io.fleetward.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.transport.ssh.DefaultSshSettings;
import io.fleetward.transport.ssh.HostKeyPolicy;
import io.fleetward.transport.ssh.OpenSshServer;
import io.fleetward.transport.ssh.SshSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GitSource} fetching over SSH from a real OpenSSH server running git-upload-pack. */
class GitSshTest {
    @TempDir
    static Path shared;
    static OpenSshServer server;
    static Path key;
    static Path work;
    static Path bare;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = OpenSshServer.start(shared.resolve("sshd"), "127.0.0.31");
        key = OpenSshServer.keygen("ed25519", shared.resolve("id_ed25519"));
        server.authorize(Path.of(key + ".pub"));
        bare = shared.resolve("fleet.git");
        work = shared.resolve("work");
        git(shared, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(shared, "init", "-q", "-b", "main", work.toString());
        commit("flake.nix", "{ }\n");
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void clonesAndFetchesOverSsh() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        server.writeKnownHosts(knownHosts);
        try (GitSource source = new GitSource(settings(knownHosts, HostKeyPolicy.STRICT))) {
            FetchResult first = source.fetch();
            assertThat(first.revision()).isEqualTo(tip());
            String next = commit("modules/machines/nixos/galena/default.nix", "{ }\n");
            FetchResult second = source.fetch();
            assertThat(second.changed()).isTrue();
            assertThat(second.revision()).isEqualTo(next);
            assertThat(source.files(next).read("modules/machines/nixos/galena/default.nix")).isPresent();
        }
    }

    @Test
    void anUnknownHostKeyFailsTheFetchNamingHostAndFingerprint() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        try (GitSource source = new GitSource(settings(knownHosts, HostKeyPolicy.STRICT))) {
            assertThatThrownBy(source::fetch)
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("host key of 127.0.0.31:" + server.port() + " is not in " + knownHosts)
                    .hasMessageContaining(server.fingerprint("ed25519"))
                    .message().doesNotContain("root@");
        }
        assertThat(linesOf(knownHosts)).isEmpty();
    }

    @Test
    void acceptNewRecordsTheHostKeyOnTheFirstFetch() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        try (GitSource source = new GitSource(settings(knownHosts, HostKeyPolicy.ACCEPT_NEW))) {
            assertThat(source.fetch().revision()).isEqualTo(tip());
        }
        assertThat(Files.readAllLines(knownHosts)).containsExactlyElementsOf(server.knownHostsLines());
    }

    private static List<String> linesOf(Path knownHosts) throws IOException {
        return Files.exists(knownHosts) ? Files.readAllLines(knownHosts) : List.of();
    }

    private SourceSettings settings(Path knownHosts, HostKeyPolicy policy) {
        SshSettings ssh = DefaultSshSettings.of(Optional.of(key), knownHosts, policy);
        return new SourceSettings("ssh://root@127.0.0.31:" + server.port() + bare, "main", dir.resolve("clone.git"),
                Duration.ofSeconds(20), Optional.empty(), Optional.empty(), Optional.of(ssh));
    }

    private static String commit(String path, String content) throws Exception {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + System.nanoTime());
        git(work, "add", "-A");
        git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "change " + path);
        git(work, "push", "-q", bare.toString(), "main");
        return tip();
    }

    private static String tip() throws Exception {
        return git(work, "rev-parse", "HEAD").trim();
    }

    private static String git(Path in, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", in.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + out);
        }
        return out;
    }
}
