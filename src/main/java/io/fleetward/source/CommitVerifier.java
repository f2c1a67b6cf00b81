package io.fleetward.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Checks commit signatures of the desired-state repository against the {@link TrustedKeys}: OpenPGP
 * ({@link OpenPgpSignature}) and SSH ({@link SshSignature}) signatures in a commit's {@code gpgsig}
 * header. A commit's verdict is kept (keys are read once at start-up, so it cannot change), so a
 * history is checked once however often it is asked about. Thread-safe.
 */
public final class CommitVerifier {
    private static final int KEPT_VERDICTS = 10_000;
    private static final String GPGSIG = "gpgsig";

    private final GitSource source;
    private final TrustedKeys keys;
    private final Clock clock;
    private final Map<String, Verdict> verdicts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
            return size() > KEPT_VERDICTS;
        }
    };

    public CommitVerifier(GitSource source, TrustedKeys keys, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The verdict on {@code revision}'s own signature. */
    public Verdict commit(String revision) {
        synchronized (verdicts) {
            Verdict known = verdicts.get(revision);
            if (known != null) {
                return known;
            }
        }
        Verdict verdict = source.withRepository(repository -> {
            try (RevWalk walk = new RevWalk(repository)) {
                return check(repository, walk.parseCommit(ObjectId.fromString(revision)));
            }
        });
        synchronized (verdicts) {
            verdicts.put(revision, verdict);
        }
        return verdict;
    }

    /**
     * The verdict on every commit reachable from {@code head} but from none of {@code verified} (revisions
     * whose history was verified already, or that anchor verification): the first commit that is not
     * good, else good. {@code head} itself is always checked; with no anchor it is the only one.
     */
    public Verdict history(String head, List<String> verified) {
        List<String> pending = source.withRepository(repository -> {
            List<String> ids = new ArrayList<>();
            if (verified.isEmpty()) {
                return ids;
            }
            try (RevWalk walk = new RevWalk(repository)) {
                walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
                for (String base : verified) {
                    try {
                        walk.markUninteresting(walk.parseCommit(ObjectId.fromString(base)));
                    } catch (MissingObjectException e) {
                        // Not in the clone (another history): it anchors nothing.
                    }
                }
                for (RevCommit commit : walk) {
                    ids.add(commit.name());
                }
            }
            return ids;
        });
        Verdict top = commit(head);
        if (!top.good()) {
            return top;
        }
        for (String id : pending) {
            Verdict verdict = commit(id);
            if (!verdict.good()) {
                return verdict;
            }
        }
        return pending.size() <= 1 ? top : Verdict.good(head, top.signer(),
                top.detail() + "; " + pending.size() + " new commits, each signed by a trusted key");
    }

    private Verdict check(Repository repository, RevCommit commit) throws IOException {
        SignedCommit signed = SignedCommit.split(commit.getRawBuffer());
        String id = commit.name();
        if (signed == null) {
            return new Verdict(Verdict.Result.UNSIGNED, id, null, "commit is not signed");
        }
        String armor = new String(signed.signature(), StandardCharsets.US_ASCII);
        if (armor.startsWith("-----BEGIN PGP SIGNATURE-----")) {
            return OpenPgpSignature.verify(keys.openPgp(), id, signed.payload(), signed.signature(), clock.instant());
        }
        if (armor.startsWith("-----BEGIN SSH SIGNATURE-----")) {
            return SshSignature.verify(repository, keys.allowedSigners(), id, signed.payload(), signed.signature());
        }
        return new Verdict(Verdict.Result.BAD, id, null, "unsupported signature format (only OpenPGP and SSH are)");
    }

    /**
     * A raw commit split into its signature (the {@code gpgsig} header's value, continuation lines
     * joined) and the payload it signs (the commit without that header).
     */
    record SignedCommit(byte[] payload, byte[] signature) {
        static SignedCommit split(byte[] raw) {
            java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream(raw.length);
            java.io.ByteArrayOutputStream signature = new java.io.ByteArrayOutputStream();
            boolean found = false;
            boolean inSignature = false;
            int pos = 0;
            while (pos < raw.length) {
                int end = pos;
                while (end < raw.length && raw[end] != '\n') {
                    end++;
                }
                int next = Math.min(end + 1, raw.length);
                if (end == pos) { // the blank line: headers end, the message follows unchanged
                    payload.write(raw, pos, raw.length - pos);
                    break;
                }
                if (inSignature && raw[pos] == ' ') {
                    signature.write(raw, pos + 1, next - pos - 1);
                } else if (!found && startsWith(raw, pos, GPGSIG + " ")) {
                    found = true;
                    inSignature = true;
                    int value = pos + GPGSIG.length() + 1;
                    signature.write(raw, value, next - value);
                } else {
                    inSignature = false;
                    payload.write(raw, pos, next - pos);
                }
                pos = next;
            }
            return found ? new SignedCommit(payload.toByteArray(), signature.toByteArray()) : null;
        }

        private static boolean startsWith(byte[] raw, int pos, String prefix) {
            if (raw.length - pos < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (raw[pos + i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
