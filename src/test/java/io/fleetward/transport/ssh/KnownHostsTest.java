package io.fleetward.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.transport.ssh.KnownHosts.Verdict.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** known_hosts reading rules, without a server. */
class KnownHostsTest {
    @TempDir
    Path dir;

    static {
        // SshTransport and GitSsh register it when they are built; this test uses KnownHosts alone.
        BouncyCastle.register();
    }

    private static final PublicKey KEY = ec();
    private static final PublicKey OTHER = ec();

    @ParameterizedTest(name = "{0} for {1}:{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "galena|galena|22|KNOWN",
            "galena|galena|0|KNOWN",
            "galena|galena|2222|UNKNOWN",
            "[galena]:2222|galena|2222|KNOWN",
            "[galena]:2222|galena|22|UNKNOWN",
            "*.zt|rosegold.zt|22|KNOWN",
            "*.zt,!bad.zt|bad.zt|22|UNKNOWN",
            "rose?old|rosegold|22|KNOWN",
            "GALENA|galena|22|KNOWN",
            "other,galena|galena|22|KNOWN",
            "[10.0.0.?]:22022|10.0.0.7|22022|KNOWN"})
    void hostPatterns(String patterns, String host, int port, Status expected) throws Exception {
        Path file = write(patterns + " " + PublicKeyEntry.toString(KEY));
        assertThat(KnownHosts.of(file).check(host, port, KEY).status()).isEqualTo(expected);
    }

    @Test
    void anotherKeyForAKnownHostIsAChange() throws Exception {
        Path file = write("galena " + PublicKeyEntry.toString(OTHER));
        KnownHosts.Verdict verdict = KnownHosts.of(file).check("galena", 22, KEY);
        assertThat(verdict.status()).isEqualTo(Status.CHANGED);
        assertThat(verdict.describe()).contains("galena:22 CHANGED").contains(KnownHosts.fingerprint(KEY));
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhenAlsoListed() throws Exception {
        Path file = write("galena " + PublicKeyEntry.toString(KEY), "@revoked * " + PublicKeyEntry.toString(KEY));
        assertThat(KnownHosts.of(file).check("galena", 22, KEY).status()).isEqualTo(Status.REVOKED);
    }

    @Test
    void commentsBlankAndCertificateAuthorityLinesAreIgnored() throws Exception {
        Path file = write("# comment", "", "@cert-authority * " + PublicKeyEntry.toString(KEY), "broken-line");
        assertThat(KnownHosts.of(file).check("galena", 22, KEY).status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void theFileIsReReadWhenItChanges() throws Exception {
        Path file = write("# empty");
        KnownHosts known = KnownHosts.of(file);
        assertThat(known.check("galena", 22, KEY).status()).isEqualTo(Status.UNKNOWN);
        Files.writeString(file, "galena " + PublicKeyEntry.toString(KEY) + "\n");
        assertThat(known.check("galena", 22, KEY).status()).isEqualTo(Status.KNOWN);
    }

    @Test
    void concurrentRecordsOfOneHostWriteOneLineAndKeepOtherHosts() throws Exception {
        Path file = write("other " + PublicKeyEntry.toString(OTHER));
        // No trailing newline: the recorded line must still start on a line of its own.
        Files.writeString(file, Files.readString(file).strip());
        KnownHosts known = KnownHosts.of(file);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<KnownHosts.Verdict>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> known.admit("galena", 2222, KEY, HostKeyPolicy.ACCEPT_NEW)));
            }
            for (Future<KnownHosts.Verdict> r : results) {
                assertThat(r.get().accepted()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readAllLines(file)).containsExactly("other " + PublicKeyEntry.toString(OTHER),
                "[galena]:2222 " + PublicKeyEntry.toString(KEY));
        assertThat(known.admit("galena", 2222, OTHER, HostKeyPolicy.ACCEPT_NEW).status()).isEqualTo(Status.CHANGED);
        assertThat(known.keys("galena", 2222)).containsExactly(KEY);
    }

    @Test
    void strictNeverWrites() throws Exception {
        Path file = dir.resolve("absent");
        assertThat(KnownHosts.of(file).admit("galena", 22, KEY, HostKeyPolicy.STRICT).status()).isEqualTo(Status.UNKNOWN);
        assertThat(file).doesNotExist();
    }

    /** The library's edge cases: negation, IPv6, patterns the old hand-written matcher also read. */
    @ParameterizedTest(name = "{0} for {1}:{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "!galena|galena|22|UNKNOWN",
            "!other|galena|22|UNKNOWN",
            "*,!*.internal|db.internal|22|UNKNOWN",
            "*,!*.internal|web.zt|22|KNOWN",
            "!*.internal,*|db.internal|22|UNKNOWN",
            "[::1]:2222|::1|2222|KNOWN",
            "[*]:2222|galena|2222|KNOWN",
            "[*]:2222|galena|22|UNKNOWN"})
    void negationAndBrackets(String patterns, String host, int port, Status expected) throws Exception {
        Path file = write(patterns + " " + PublicKeyEntry.toString(KEY));
        assertThat(KnownHosts.of(file).check(host, port, KEY).status()).isEqualTo(expected);
    }

    /** Lines hashed by the real {@code ssh-keygen -H}: the same verdicts as before hashing. */
    @Test
    void linesHashedByOpenSshMatchTheirHostAndPortOnly() throws Exception {
        Path file = write("galena " + PublicKeyEntry.toString(KEY), "[rosegold.zt]:2222 " + PublicKeyEntry.toString(OTHER),
                "@revoked electrum " + PublicKeyEntry.toString(KEY));
        Process keygen = new ProcessBuilder("ssh-keygen", "-H", "-f", file.toString()).redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes());
        assertThat(keygen.waitFor()).as(output).isZero();
        List<String> hashed = Files.readAllLines(file);
        assertThat(hashed).noneMatch(line -> line.contains("galena") || line.contains("rosegold"));
        assertThat(hashed).filteredOn(line -> line.startsWith("|1|")).hasSize(2);
        KnownHosts knownHosts = KnownHosts.of(file);

        assertThat(knownHosts.check("galena", 22, KEY).status()).isEqualTo(Status.KNOWN);
        assertThat(knownHosts.check("GALENA", 22, KEY).status()).isEqualTo(Status.KNOWN);
        assertThat(knownHosts.check("galena", 22, OTHER).status()).isEqualTo(Status.CHANGED);
        assertThat(knownHosts.check("galena", 2222, KEY).status()).isEqualTo(Status.UNKNOWN);
        assertThat(knownHosts.check("rosegold.zt", 2222, OTHER).status()).isEqualTo(Status.KNOWN);
        assertThat(knownHosts.check("rosegold.zt", 22, OTHER).status()).isEqualTo(Status.UNKNOWN);
        assertThat(hashed).as("ssh-keygen -H leaves marked lines as they are").contains("@revoked electrum "
                + PublicKeyEntry.toString(KEY));
        assertThat(knownHosts.check("electrum", 22, KEY).status()).isEqualTo(Status.REVOKED);
        assertThat(knownHosts.keyTypes("rosegold.zt", 2222)).containsExactly(KnownHosts.keyType(OTHER));
    }

    @Test
    void aRevokedKeyOfAHashedHostIsRefused() throws Exception {
        // |1|salt|HMAC-SHA1(salt, "galena"), written by ssh-keygen -H; then marked @revoked by hand.
        Path plain = write("galena " + PublicKeyEntry.toString(KEY));
        Process keygen = new ProcessBuilder("ssh-keygen", "-H", "-f", plain.toString()).redirectErrorStream(true).start();
        keygen.getInputStream().readAllBytes();
        assertThat(keygen.waitFor()).isZero();
        String hashedName = Files.readAllLines(plain).get(0).split(" ")[0];
        Path file = write(hashedName + " " + PublicKeyEntry.toString(KEY), "@revoked " + hashedName + " "
                + PublicKeyEntry.toString(KEY));

        assertThat(KnownHosts.of(file).check("galena", 22, KEY).status()).isEqualTo(Status.REVOKED);
        assertThat(KnownHosts.of(file).check("galena", 22, OTHER).status()).isEqualTo(Status.CHANGED);
    }

    @Test
    void aCertificateAuthorityLineNeverAdmitsTheKeyItself() throws Exception {
        Path file = write("@cert-authority galena " + PublicKeyEntry.toString(KEY));

        assertThat(KnownHosts.of(file).check("galena", 22, KEY).status()).isEqualTo(Status.UNKNOWN);
        assertThat(KnownHosts.of(file).keyTypes("galena", 22)).isEmpty();
    }

    private Path write(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "known_hosts", "");
        Files.write(file, List.of(lines));
        return file;
    }

    private static PublicKey ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair().getPublic();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
