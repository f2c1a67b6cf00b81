package io.fleetward.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.signing.ssh.SshSignatureVerifierFactory;

/**
 * Checks an SSH commit signature ({@code gpg.format=ssh}) with JGit's own verifier against each
 * configured allowed-signers file in turn; namespace {@code git}. The verifier is handed a
 * {@link GpgConfig} that names the file by its absolute path, so no user or repository configuration
 * (nor {@code ~/.ssh}) is consulted.
 */
final class SshSignature {
    private static final SignatureVerifier VERIFIER = new SshSignatureVerifierFactory().create();

    private SshSignature() {
    }

    static Verdict verify(Repository repository, List<Path> allowedSigners, String commit, byte[] payload,
                          byte[] armored) throws IOException {
        if (allowedSigners.isEmpty()) {
            return new Verdict(Verdict.Result.UNTRUSTED, commit, null,
                    "SSH signature, but no allowed_signers file is configured");
        }
        SignatureVerifier.SignatureVerification last = null;
        for (Path file : allowedSigners) {
            SignatureVerifier.SignatureVerification checked = VERIFIER.verify(repository, config(file), payload, armored);
            if (checked != null && checked.verified()) {
                String signer = signer(checked);
                return Verdict.good(commit, signer, "good SSH signature by " + signer);
            }
            last = checked;
        }
        return failed(commit, last);
    }

    /**
     * JGit reports a signature that it could not check, or that does not match (malformed, another
     * namespace, a changed commit), with trust level {@code NEVER}; one that verified but whose key no
     * allowed-signers entry allows for git (unknown key, not allowed for the committer, outside its
     * validity, revoked) with a lower trust than {@code FULL}.
     */
    private static Verdict failed(String commit, SignatureVerifier.SignatureVerification checked) {
        if (checked == null) {
            return new Verdict(Verdict.Result.BAD, commit, null, "SSH signature could not be read");
        }
        String message = checked.message() == null ? "not verified" : checked.message();
        String signer = checked.keyFingerprint() == null ? null : signer(checked);
        if (checked.trustLevel() == SignatureVerifier.TrustLevel.NEVER) {
            return new Verdict(Verdict.Result.BAD, commit, signer, "SSH signature" + (signer == null ? "" : " by " + signer)
                    + " does not verify: " + message);
        }
        return new Verdict(Verdict.Result.UNTRUSTED, commit, signer,
                "SSH signature by " + signer + " is not allowed: " + message);
    }

    private static String signer(SignatureVerifier.SignatureVerification checked) {
        String who = checked.signer() != null ? checked.signer() : checked.keyUser();
        return (who == null ? "" : who + " ") + "(key " + checked.keyFingerprint() + ")";
    }

    private static GpgConfig config(Path allowedSigners) {
        Config config = new Config();
        config.setString("gpg", null, "format", "ssh");
        config.setString("gpg", "ssh", "allowedSignersFile", allowedSigners.toString());
        return new GpgConfig(config);
    }
}
