package io.fleetward.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit signatures made by the real tools (GnuPG through {@code git commit -S}, and {@code ssh-keygen}
 * through {@code gpg.format=ssh}), fetched into the daemon's bare clone and checked against trusted
 * keys given as files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommitVerifierTest {
    @TempDir
    static Path tmp;

    private SigningTools tools;
    private String alice;
    private String mallory;
    private String expired;
    private String revoked;
    private Path aliceSsh;
    private Path eveSsh;
    private Path keys;

    @BeforeAll
    void keys() throws Exception {
        assumeTrue(SigningTools.available(), "gpg, git and ssh-keygen are needed");
        tools = new SigningTools(tmp);
        alice = tools.gpgKey("Alice <alice@example.org>");
        mallory = tools.gpgKey("Mallory <mallory@example.org>");
        expired = tools.expiredGpgKey("Old <old@example.org>");
        revoked = tools.gpgKey("Gone <gone@example.org>");
        aliceSsh = tools.sshKey("alice_ssh");
        eveSsh = tools.sshKey("eve_ssh");
        keys = Files.createDirectories(tmp.resolve("keys"));
    }

    @AfterAll
    void stopAgent() throws Exception {
        if (tools != null) {
            tools.close();
        }
    }

    /** Exports the trusted keys as an operator would: Alice's, the expired and the (later) revoked key, and Alice's SSH key. */
    private CommitVerifier verifier(GitSource source) throws Exception {
        tools.exportGpg(keys.resolve("team.asc"), alice, expired, revoked);
        Files.writeString(keys.resolve("allowed_signers"), tools.allowedSigner("alice@example.org", aliceSsh) + "\n");
        return new CommitVerifier(source, TrustedKeys.load(keys), Clock.systemUTC());
    }

    private GitSource fetched(String name) throws Exception {
        GitSource source = new GitSource(new SourceSettings(tools.repo().toString(), "main",
                tmp.resolve(name + ".git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
        source.fetch();
        return source;
    }

    @Test
    void signaturesByTheRealToolsGetTheirVerdicts() throws Exception {
        String unsigned = tools.commit("a.nix", "1");
        String good = tools.gpgCommit(alice, "a.nix", "2");
        String unknown = tools.gpgCommit(mallory, "a.nix", "3");
        String sshGood = tools.sshCommit(aliceSsh, "a.nix", "4");
        String sshUnknown = tools.sshCommit(eveSsh, "a.nix", "5");
        String sshFileNamespace = tools.sshCommitInNamespace(aliceSsh, "file", "a.nix", "6");
        tools.committer("mallory@example.org");
        String sshOtherCommitter = tools.sshCommit(aliceSsh, "a.nix", "6b");
        tools.committer("alice@example.org");
        String expiredSig = tools.expiredGpgCommit(expired, "a.nix", "7");
        String revokedSig = tools.gpgCommit(revoked, "a.nix", "8");
        tools.sshCommit(aliceSsh, "a.nix", "9");
        String sshTampered = tools.tamperHead();
        tools.gpgCommit(alice, "a.nix", "10");
        String tampered = tools.tamperHead();
        tools.revoke(revoked);

        try (GitSource source = fetched("all")) {
            CommitVerifier verifier = verifier(source);

            assertThat(verifier.commit(unsigned).result()).isEqualTo(Verdict.Result.UNSIGNED);

            Verdict byAlice = verifier.commit(good);
            assertThat(byAlice.result()).isEqualTo(Verdict.Result.GOOD);
            assertThat(byAlice.signer()).contains("Alice <alice@example.org>").contains(alice);

            Verdict byMallory = verifier.commit(unknown);
            assertThat(byMallory.result()).isEqualTo(Verdict.Result.UNTRUSTED);
            assertThat(byMallory.detail()).contains(mallory).contains("not among the trusted keys");

            Verdict ssh = verifier.commit(sshGood);
            assertThat(ssh.result()).as(ssh.detail()).isEqualTo(Verdict.Result.GOOD);
            assertThat(ssh.signer()).contains("alice@example.org").contains("SHA256:");

            Verdict eve = verifier.commit(sshUnknown);
            assertThat(eve.result()).as(eve.detail()).isEqualTo(Verdict.Result.UNTRUSTED);

            Verdict otherCommitter = verifier.commit(sshOtherCommitter);
            // As with git (ssh-keygen -Y find-principals), a trusted key is trusted whoever the committer
            // is; the signer shown is the key's principal, not the committer.
            assertThat(otherCommitter.result()).as(otherCommitter.detail()).isEqualTo(Verdict.Result.GOOD);
            assertThat(otherCommitter.signer()).startsWith("alice@example.org ");

            Verdict namespace = verifier.commit(sshFileNamespace);
            assertThat(namespace.result()).as(namespace.detail()).isEqualTo(Verdict.Result.BAD);

            Verdict old = verifier.commit(expiredSig);
            assertThat(old.result()).as(old.detail()).isEqualTo(Verdict.Result.UNTRUSTED);
            assertThat(old.detail()).contains("expired");

            Verdict gone = verifier.commit(revokedSig);
            assertThat(gone.result()).as(gone.detail()).isEqualTo(Verdict.Result.UNTRUSTED);
            assertThat(gone.detail()).contains("revoked");

            Verdict changed = verifier.commit(tampered);
            assertThat(changed.result()).as(changed.detail()).isEqualTo(Verdict.Result.BAD);
            Verdict sshChanged = verifier.commit(sshTampered);
            assertThat(sshChanged.result()).as(sshChanged.detail()).isEqualTo(Verdict.Result.BAD);

            for (Verdict verdict : List.of(byAlice, byMallory, ssh, eve, namespace, old, gone, changed, sshChanged)) {
                assertThat(verdict.detail()).doesNotContain("BEGIN").doesNotContain("AAAAC3NzaC1lZDI1NTE5");
            }
        }
    }

    @Test
    void aSignedMergeOnTopOfUnsignedCommitsPassesHeadButNotAll() throws Exception {
        String base = tools.gpgCommit(alice, "m.nix", "base");
        tools.branch("feature", base);
        tools.checkout("feature");
        String unsigned = tools.commit("feature.nix", "unsigned work");
        tools.checkout("main");
        tools.gpgCommit(alice, "m.nix", "signed on main");
        String merge = tools.gpgMerge(alice, "feature");

        try (GitSource source = fetched("merge")) {
            CommitVerifier verifier = verifier(source);

            assertThat(verifier.commit(merge).result()).isEqualTo(Verdict.Result.GOOD);
            Verdict all = verifier.history(merge, List.of(base));
            assertThat(all.result()).isEqualTo(Verdict.Result.UNSIGNED);
            assertThat(all.commit()).isEqualTo(unsigned);
            // Without an anchor, the head alone is checked.
            assertThat(verifier.history(merge, List.of()).result()).isEqualTo(Verdict.Result.GOOD);
        }
    }

    @Test
    void everySignedCommitSinceTheAnchorPassesAll() throws Exception {
        String base = tools.commit("s.nix", "unsigned, before verification started");
        tools.gpgCommit(alice, "s.nix", "1");
        String head = tools.sshCommit(aliceSsh, "s.nix", "2");

        try (GitSource source = fetched("signed")) {
            Verdict all = verifier(source).history(head, List.of(base));

            assertThat(all.result()).as(all.detail()).isEqualTo(Verdict.Result.GOOD);
            assertThat(all.detail()).contains("2 new commits");
        }
    }

    @Test
    void descendsTellsFastForwardsFromRewrittenAndUnrelatedHistories() throws Exception {
        String first = tools.commit("d.nix", "1");
        String second = tools.commit("d.nix", "2");

        try (GitSource source = fetched("descends")) {
            String unrelated = tools.orphan("other.nix", "new root");
            source.fetch(); // the force-push: the clone now has both histories

            assertThat(source.descends(second, first)).contains(true);
            assertThat(source.descends(second, second)).contains(true);
            assertThat(source.descends(first, second)).contains(false);
            assertThat(source.descends(unrelated, second)).contains(false);
            assertThat(source.descends(unrelated, "0".repeat(40))).isEmpty();
        }
    }

    @Test
    void aKeyFileThatCannotBeParsedIsRefusedByName() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n");
        assertThatThrownBy(() -> TrustedKeys.load(broken)).hasMessageContaining(broken.toString());

        Path signers = Files.writeString(tmp.resolve("team.allowed_signers"),
                "# the team\n" + tools.allowedSigner("alice@example.org", aliceSsh) + "\nbob@example.org ssh-ed25519\n");
        assertThatThrownBy(() -> TrustedKeys.load(signers)).hasMessageContaining(signers + ":3");

        Path other = Files.writeString(tmp.resolve("keys.txt"), "whatever");
        assertThatThrownBy(() -> TrustedKeys.load(other)).hasMessageContaining(other.toString());

        Path empty = Files.createDirectories(tmp.resolve("empty-keys"));
        assertThatThrownBy(() -> TrustedKeys.load(empty)).hasMessageContaining(empty.toString());

        assertThatThrownBy(() -> TrustedKeys.load(tmp.resolve("missing.asc"))).hasMessageContaining("missing.asc");
    }
}
