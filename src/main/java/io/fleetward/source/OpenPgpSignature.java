package io.fleetward.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks an OpenPGP commit signature against the configured keyrings, with BouncyCastle. JGit's
 * {@code org.eclipse.jgit.gpg.bc} verifier looks keys up in a GnuPG home ({@code GNUPGHOME} or
 * {@code ~/.gnupg}) and offers no way to hand it a keyring, so it cannot serve a daemon that must
 * trust only the keys it was given.
 *
 * <p>A signature is good when it verifies over the signed payload with a key of the given rings whose
 * primary key and (for a subkey) binding are valid now: a key that expired, or was revoked by a
 * revocation signature that verifies, makes the signature {@code untrusted}.
 */
final class OpenPgpSignature {
    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();

    private OpenPgpSignature() {
    }

    static Verdict verify(List<PGPPublicKeyRing> rings, String commit, byte[] payload, byte[] armored, Instant now) {
        PGPSignature signature;
        try {
            signature = parse(armored);
        } catch (IOException | RuntimeException e) {
            return new Verdict(Verdict.Result.BAD, commit, null, "malformed OpenPGP signature: " + e.getMessage());
        }
        if (signature == null) {
            return new Verdict(Verdict.Result.BAD, commit, null, "malformed OpenPGP signature: no signature packet");
        }
        byte[] fingerprint = issuerFingerprint(signature);
        String issuer = fingerprint != null ? hex(fingerprint) : keyId(signature.getKeyID());
        PGPPublicKeyRing ring = null;
        PGPPublicKey key = null;
        for (PGPPublicKeyRing candidate : rings) {
            PGPPublicKey found = fingerprint != null ? candidate.getPublicKey(fingerprint)
                    : candidate.getPublicKey(signature.getKeyID());
            if (found != null) {
                ring = candidate;
                key = found;
                break;
            }
        }
        if (key == null) {
            return new Verdict(Verdict.Result.UNTRUSTED, commit, "key " + issuer,
                    "signed by OpenPGP key " + issuer + ", which is not among the trusted keys");
        }
        PGPPublicKey primary = ring.getPublicKey();
        String signer = userId(primary) + " (key " + keyId(key.getKeyID()) + ", fingerprint " + hex(key.getFingerprint())
                + ")";
        try {
            signature.init(VERIFIERS, key);
            signature.update(payload);
            if (!signature.verify()) {
                return new Verdict(Verdict.Result.BAD, commit, signer,
                        "OpenPGP signature by " + signer + " does not match the commit (tampered?)");
            }
            String untrusted = whyNotValid(primary, key, now);
            if (untrusted != null) {
                return new Verdict(Verdict.Result.UNTRUSTED, commit, signer, "signed by " + signer + ", " + untrusted);
            }
        } catch (PGPException | RuntimeException e) {
            return new Verdict(Verdict.Result.BAD, commit, signer,
                    "OpenPGP signature by " + signer + " cannot be checked: " + e.getMessage());
        }
        return Verdict.good(commit, signer, "good OpenPGP signature by " + signer);
    }

    /** Why the key cannot be trusted now (revoked, expired, an unbound or non-signing subkey), or null. */
    private static String whyNotValid(PGPPublicKey primary, PGPPublicKey key, Instant now) throws PGPException {
        if (revoked(primary, null)) {
            return "whose key " + keyId(primary.getKeyID()) + " is revoked";
        }
        if (expired(primary, now)) {
            return "whose key " + keyId(primary.getKeyID()) + " expired";
        }
        if (key != primary) {
            if (!bound(primary, key)) {
                return "whose subkey " + keyId(key.getKeyID()) + " is not bound to its primary key";
            }
            if (revoked(primary, key)) {
                return "whose subkey " + keyId(key.getKeyID()) + " is revoked";
            }
            if (expired(key, now)) {
                return "whose subkey " + keyId(key.getKeyID()) + " expired";
            }
        }
        return null;
    }

    /** Whether a revocation signature by the primary key over {@code subkey} (or itself, when null) verifies. */
    private static boolean revoked(PGPPublicKey primary, PGPPublicKey subkey) throws PGPException {
        PGPPublicKey revokedKey = subkey == null ? primary : subkey;
        int type = subkey == null ? PGPSignature.KEY_REVOCATION : PGPSignature.SUBKEY_REVOCATION;
        for (Iterator<PGPSignature> it = revokedKey.getSignaturesOfType(type); it.hasNext(); ) {
            PGPSignature revocation = it.next();
            revocation.init(VERIFIERS, primary);
            boolean valid = subkey == null ? revocation.verifyCertification(primary)
                    : revocation.verifyCertification(primary, subkey);
            if (valid) {
                return true;
            }
        }
        return false;
    }

    /** Whether a binding signature by the primary key over {@code subkey} verifies and allows signing. */
    private static boolean bound(PGPPublicKey primary, PGPPublicKey subkey) throws PGPException {
        for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
            PGPSignature binding = it.next();
            binding.init(VERIFIERS, primary);
            if (binding.verifyCertification(primary, subkey)) {
                PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
                int flags = hashed == null ? 0 : hashed.getKeyFlags();
                return flags == 0 || (flags & KeyFlags.SIGN_DATA) != 0;
            }
        }
        return false;
    }

    private static boolean expired(PGPPublicKey key, Instant now) {
        long validSeconds = key.getValidSeconds();
        return validSeconds > 0 && !key.getCreationTime().toInstant().plusSeconds(validSeconds).isAfter(now);
    }

    private static PGPSignature parse(byte[] armored) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
            Object object = new BcPGPObjectFactory(in).nextObject();
            return object instanceof PGPSignatureList list && !list.isEmpty() ? list.get(0) : null;
        }
    }

    private static byte[] issuerFingerprint(PGPSignature signature) {
        PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
        IssuerFingerprint packet = hashed == null ? null : hashed.getIssuerFingerprint();
        return packet == null ? null : packet.getFingerprint();
    }

    private static String userId(PGPPublicKey primary) {
        Iterator<String> ids = primary.getUserIDs();
        return ids.hasNext() ? ids.next() : "(no user id)";
    }

    private static String keyId(long id) {
        return String.format(Locale.ROOT, "%016X", id);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
