package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetward.fleet.CommitId;
import io.fleetward.source.CommitVerifier;
import io.fleetward.source.SigningTools;
import io.fleetward.source.TrustedKeys;
import io.fleetward.source.VerifyMode;
import io.fleetward.store.DeployedFromStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The source checks in the loop, pass by pass: a refused revision keeps the fleet on the last revision
 * deployed from (targets keep their state), a later good one deploys; force-pushes are refused unless
 * allowed or accepted, also after a restart. Real git repository and signatures (GnuPG, ssh-keygen),
 * real stores (H2 in memory), machines in memory.
 */
class SourceTrustLoopTest {
    private static final String HOST_FILE = "modules/machines/nixos/galena/default.nix";

    private LoopHarness harness;
    private SigningTools tools;
    private ReconcileLoop restarted;

    @AfterEach
    void close() throws Exception {
        if (restarted != null) {
            restarted.close();
        }
        if (harness != null) {
            harness.close();
        }
        if (tools != null) {
            tools.close();
        }
    }

    /** A loop that requires signed heads; the fleet's tip is signed by Alice, whose key is trusted. */
    private LoopHarness signedHeads() throws Exception {
        return signed(VerifyMode.HEAD);
    }

    private LoopHarness signed(VerifyMode mode) throws Exception {
        assumeTrue(SigningTools.available(), "gpg, git and ssh-keygen are needed");
        Path keys = Files.createTempDirectory("fleetward-keys-");
        String[] alice = new String[1];
        harness = new LoopHarness(LoopHarness.Options.standard(), h -> {
            try {
                tools = new SigningTools(h.fleet.root());
                alice[0] = tools.gpgKey("Alice <alice@example.org>");
                tools.exportGpg(keys.resolve("alice.asc"), alice[0]);
                return new SourceTrust(mode, Optional.empty(), false,
                        new CommitVerifier(h.source, TrustedKeys.load(keys), h.clock), new DeployedFromStore(h.database));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        this.alice = alice[0];
        tools.gpgCommit(this.alice, "README.md", "signed by alice\n");
        return harness.started();
    }

    private String alice;

    /** A loop with today's defaults but the revision deployed from kept in the store. */
    private LoopHarness antiRollback(boolean allowNonFastForward) throws Exception {
        assumeTrue(SigningTools.available(), "git is needed");
        harness = new LoopHarness(LoopHarness.Options.standard(), h -> {
            try {
                tools = new SigningTools(h.fleet.root());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new SourceTrust(VerifyMode.NONE, Optional.empty(), allowNonFastForward,
                    new CommitVerifier(h.source, TrustedKeys.none(), h.clock), new DeployedFromStore(h.database));
        });
        return harness.started();
    }

    @Test
    void aRefusedHeadKeepsTheLastVerifiedRevisionAndALaterGoodHeadDeploys() throws Exception {
        LoopHarness h = signedHeads();
        String verified = h.source.revision().orElseThrow();
        assertThat(h.loop.targets()).extracting(TargetView::status).containsOnly(TargetStatus.IN_SYNC);
        int deployments = h.deploymentCount();

        String unsigned;
        try (CapturedLog log = CapturedLog.of("io.fleetward")) {
            unsigned = h.fleet.touch(HOST_FILE, "galena: unsigned change");
            h.fetchAndSettle();
            h.fetchAndSettle(); // decided once, not once per pass

            assertThat(log.warnings("revision " + CommitId.abbreviate(unsigned) + " refused (unsigned)")).hasSize(1);
        }
        SourceView source = h.loop.sourceView(false);
        assertThat(source.revision()).isEqualTo(unsigned);
        assertThat(source.verification().revision()).isEqualTo(unsigned);
        assertThat(source.verification().result()).isEqualTo("unsigned");
        assertThat(source.stalled().revision()).isEqualTo(unsigned);
        assertThat(source.deployedFrom().revision()).isEqualTo(verified);
        assertThat(h.loop.targets()).allSatisfy(view -> {
            assertThat(view.status()).isEqualTo(TargetStatus.IN_SYNC);
            assertThat(view.desiredRevision()).isEqualTo(verified);
            assertThat(view.reason()).contains("newer revision " + CommitId.abbreviate(unsigned) + " refused: unsigned");
        });
        assertThat(h.deploymentCount()).isEqualTo(deployments);
        assertThat(h.metrics.verifications).containsExactly("good", "unsigned");
        assertThat(h.metrics.stalled).isTrue();
        assertThat(h.metrics.refusals).containsExactly(Refusal.VERIFICATION);

        String signed = tools.gpgCommit(alice, HOST_FILE, "# galena: signed change\n");
        h.fetchAndSettle();

        assertThat(h.loop.sourceView(false).verification().result()).isEqualTo("good");
        assertThat(h.loop.sourceView(false).verification().signer()).contains(alice);
        assertThat(h.loop.sourceView(false).stalled()).isNull();
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(signed);
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(signed);
        assertThat(h.metrics.stalled).isFalse();
    }

    @Test
    void withAllAnUnsignedCommitUnderASignedHeadIsRefusedUntilTheHistoryIsClean() throws Exception {
        LoopHarness h = signed(VerifyMode.ALL);
        String verified = h.source.revision().orElseThrow();
        assertThat(h.loop.sourceView(false).deployedFrom().verified()).isEqualTo(VerifyMode.ALL);

        String unsigned = h.fleet.touch(HOST_FILE, "galena: unsigned change");
        String signedOnTop = tools.gpgCommit(alice, HOST_FILE, "# galena: signed on top\n");
        h.fetchAndSettle();

        SourceView source = h.loop.sourceView(false);
        assertThat(source.verification().revision()).isEqualTo(signedOnTop);
        assertThat(source.verification().result()).isEqualTo("unsigned");
        assertThat(source.verification().commit()).isEqualTo(unsigned);
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(verified);

        // The unsigned commit is taken out of the history (verify=all checks only what is new since the
        // last verified revision): the signed history deploys.
        tools.resetHard(verified);
        String clean = tools.gpgCommit(alice, HOST_FILE, "# galena: signed change\n");
        h.fetchAndSettle();

        assertThat(h.loop.sourceView(false).verification().result()).isEqualTo("good");
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(clean);
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(clean);
    }

    @Test
    void aForcePushToAnOlderCommitOrAnotherHistoryIsRefusedUntilAnOperatorAcceptsIt() throws Exception {
        LoopHarness h = antiRollback(false);
        String older = h.source.revision().orElseThrow();
        String newer = h.fleet.touch(HOST_FILE, "galena: open port 443");
        h.fetchAndSettle();
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(newer);
        int deployments = h.deploymentCount();

        tools.resetHard(older);
        h.fetchAndSettle();

        SourceView source = h.loop.sourceView(false);
        assertThat(source.verification().result()).isEqualTo("not-a-descendant");
        assertThat(source.verification().detail()).contains("does not descend from " + CommitId.abbreviate(newer));
        assertThat(source.deployedFrom().revision()).isEqualTo(newer);
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(newer);
        assertThat(h.deploymentCount()).isEqualTo(deployments);

        String unrelated = tools.orphan("flake.nix", "{ outputs = _: { }; }\n");
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).verification().revision()).isEqualTo(unrelated);
        assertThat(h.loop.sourceView(false).verification().result()).isEqualTo("not-a-descendant");
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(newer);

        // Only the refused revision can be accepted.
        assertThatThrownBy(() -> h.controls.accept(older, "test")).isInstanceOf(ControlException.class)
                .hasMessageContaining("not the fetched revision");

        tools.resetHard(older);
        h.fetchAndSettle();
        h.controls.accept(older, "the API token sha256:5f0c1a2b3c4d");
        h.passes.runUntilIdle();

        assertThat(h.loop.sourceView(false).verification().result()).isEqualTo("good");
        assertThat(h.loop.sourceView(false).deployedFrom().revision()).isEqualTo(older);
        assertThat(h.loop.sourceView(false).deployedFrom().how()).isEqualTo("accepted by the API token sha256:5f0c1a2b3c4d");
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(older);
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(older);

        // Accepted once: moving on to newer is a fast-forward again, and a second rollback needs a second acceptance.
        tools.resetHard(newer);
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).deployedFrom().revision()).isEqualTo(newer);
        tools.resetHard(older);
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).verification().result()).isEqualTo("not-a-descendant");
    }

    @Test
    void allowNonFastForwardFollowsForcePushes() throws Exception {
        LoopHarness h = antiRollback(true);
        String older = h.source.revision().orElseThrow();
        h.fleet.touch(HOST_FILE, "galena: open port 443");
        h.fetchAndSettle();

        tools.resetHard(older);
        h.fetchAndSettle();

        assertThat(h.loop.sourceView(false).verification().result()).isEqualTo("good");
        assertThat(h.loop.sourceView(false).stalled()).isNull();
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(older);
        assertThat(h.loop.sourceView(false).deployedFrom().how()).isEqualTo("allowed non-fast-forward");
    }

    @Test
    void theRevisionDeployedFromSurvivesARestart() throws Exception {
        LoopHarness h = antiRollback(false);
        String older = h.source.revision().orElseThrow();
        String newer = h.fleet.touch(HOST_FILE, "galena: open port 443");
        h.fetchAndSettle();

        // While fleetward is down (the first loop stays idle; the second starts on the same store), the branch is reset to the older commit.
        tools.resetHard(older);
        restarted = h.restartedLoop();
        restarted.start();
        h.passes.runUntilIdle();

        SourceView source = restarted.sourceView(false);
        assertThat(source.revision()).isEqualTo(older);
        assertThat(source.verification().result()).isEqualTo("not-a-descendant");
        assertThat(source.deployedFrom().revision()).isEqualTo(newer);
        assertThat(restarted.targets()).extracting(TargetView::desiredRevision).containsOnly(newer);
    }
}
