package io.fleetward.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A git work tree whose commits are signed by the real tools: {@code git commit -S} with GnuPG (in a
 * GnuPG home of its own) or with {@code gpg.format=ssh} and {@code ssh-keygen}. Nothing of the user's
 * git, GnuPG or SSH configuration is read. {@link #close()} stops the gpg-agent that GnuPG started.
 */
public final class SigningTools implements AutoCloseable {
    /** When the expired key was made and used: a year and more ago, so it expired long since. */
    private static final String PAST = "20200101T120000";

    private final Path dir;
    private final Path repo;
    private final Path gnupgHome;
    private final Map<String, String> env = new HashMap<>();

    public SigningTools(Path dir) throws IOException {
        this.dir = dir;
        this.repo = dir.resolve("repo");
        // gpg-agent's socket path must stay short: a home of its own under /tmp.
        this.gnupgHome = Files.createTempDirectory(Path.of("/tmp"), "fw-gpg");
        Files.setPosixFilePermissions(gnupgHome, PosixFilePermissions.fromString("rwx------"));
        env.put("GNUPGHOME", gnupgHome.toString());
        env.put("HOME", dir.toString());
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Alice");
        env.put("GIT_AUTHOR_EMAIL", "alice@example.org");
        env.put("GIT_COMMITTER_NAME", "Alice");
        env.put("GIT_COMMITTER_EMAIL", "alice@example.org");
        Files.createDirectories(repo);
        git("init", "-q", "-b", "main");
    }

    public Path repo() {
        return repo;
    }

    /** Whether gpg, git and ssh-keygen are here (CI installs them; .ci/run names the packages). */
    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/gpg")) && Files.isExecutable(Path.of("/usr/bin/git"))
                && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    /** A new ed25519 OpenPGP signing key; returns its fingerprint. */
    public String gpgKey(String userId) throws IOException {
        run(List.of("gpg", "--batch", "--passphrase", "", "--quick-gen-key", userId, "ed25519", "sign", "2y"), null);
        return fingerprint(userId);
    }

    /** An OpenPGP key made in 2020 that expired a day later; commits signed with it are dated then too. */
    public String expiredGpgKey(String userId) throws IOException {
        run(List.of("gpg", "--batch", "--faked-system-time", PAST, "--passphrase", "", "--quick-gen-key", userId,
                "ed25519", "sign", "1d"), null);
        return fingerprint(userId);
    }

    /** Revokes the key with the revocation certificate GnuPG made with it. */
    public void revoke(String fingerprint) throws IOException {
        String certificate = Files.readString(gnupgHome.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev"))
                .replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        run(List.of("gpg", "--batch", "--import"), certificate);
    }

    /** {@code gpg --export --armor} of these keys into {@code file}. */
    public Path exportGpg(Path file, String... fingerprints) throws IOException {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--export", "--armor"));
        command.addAll(List.of(fingerprints));
        Files.writeString(file, run(command, null));
        return file;
    }

    /** A new ed25519 SSH key pair ({@code ssh-keygen}); returns the private key's path. */
    public Path sshKey(String name) throws IOException {
        Path key = dir.resolve(name);
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()), null);
        return key;
    }

    /** An allowed_signers line for {@code key}: {@code principal namespaces="git" <public key>}. */
    public String allowedSigner(String principal, Path key) throws IOException {
        String[] pub = Files.readString(Path.of(key + ".pub")).strip().split(" ");
        return principal + " namespaces=\"git\" " + pub[0] + " " + pub[1];
    }

    /** Commits from now on are committed (and authored) by {@code email}. */
    public void committer(String email) {
        env.put("GIT_COMMITTER_EMAIL", email);
        env.put("GIT_AUTHOR_EMAIL", email);
    }

    /** An unsigned commit that writes {@code file}; returns its id. */
    public String commit(String file, String content) throws IOException {
        write(file, content);
        git("commit", "-q", "--no-gpg-sign", "-m", "change " + file);
        return head();
    }

    /** A commit signed by GnuPG with the key {@code fingerprint} ({@code git commit -S}). */
    public String gpgCommit(String fingerprint, String file, String content) throws IOException {
        write(file, content);
        git("-c", "gpg.format=openpgp", "commit", "-q", "-S" + fingerprint, "-m", "signed change " + file);
        return head();
    }

    /** A commit signed, in 2020, with a key that expired since. */
    public String expiredGpgCommit(String fingerprint, String file, String content) throws IOException {
        Path wrapper = dir.resolve("gpg-2020");
        Files.writeString(wrapper, "#!/bin/sh\nexec gpg --faked-system-time " + PAST + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        write(file, content);
        git("-c", "gpg.format=openpgp", "-c", "gpg.program=" + wrapper, "commit", "-q", "-S" + fingerprint, "-m",
                "signed in 2020: " + file);
        return head();
    }

    /** A commit signed with an SSH key ({@code gpg.format=ssh}, which runs {@code ssh-keygen -Y sign -n git}). */
    public String sshCommit(Path key, String file, String content) throws IOException {
        write(file, content);
        git("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "-S", "-m", "ssh-signed " + file);
        return head();
    }

    /**
     * A commit signed with {@code ssh-keygen -Y sign} in another namespace than git's: an unsigned
     * commit, its text signed with {@code -n namespace}, the signature put in its {@code gpgsig} header.
     */
    public String sshCommitInNamespace(Path key, String namespace, String file, String content) throws IOException {
        commit(file, content);
        String payload = git("cat-file", "commit", "HEAD");
        Path message = dir.resolve("payload");
        Files.writeString(message, payload);
        run(List.of("ssh-keygen", "-Y", "sign", "-f", key.toString(), "-n", namespace, message.toString()), null);
        String signature = Files.readString(Path.of(message + ".sig"));
        Files.delete(Path.of(message + ".sig"));
        return replaceHead(withSignature(payload, signature));
    }

    /** The head commit with its message changed but its signature kept: the signature no longer matches. */
    public String tamperHead() throws IOException {
        String raw = git("cat-file", "commit", "HEAD");
        return replaceHead(raw.replaceFirst("\n\n", "\n\ntampered: "));
    }

    /** A merge of {@code other} into the current branch, signed by GnuPG. */
    public String gpgMerge(String fingerprint, String other) throws IOException {
        git("-c", "gpg.format=openpgp", "merge", "-q", "--no-ff", "-S" + fingerprint, "-m", "merge " + other, other);
        return head();
    }

    public void branch(String name, String at) throws IOException {
        git("branch", "-f", name, at);
    }

    public void checkout(String name) throws IOException {
        git("checkout", "-q", name);
    }

    /** Moves the branch back (a force-push to an older commit, as the fetch sees it). */
    public void resetHard(String revision) throws IOException {
        git("reset", "-q", "--hard", revision);
    }

    /** A new root on main: an unrelated history. */
    public String orphan(String file, String content) throws IOException {
        git("checkout", "-q", "--orphan", "rewritten");
        git("rm", "-q", "-rf", "--cached", ".");
        commit(file, content);
        git("branch", "-q", "-M", "main");
        return head();
    }

    public String head() throws IOException {
        return git("rev-parse", "HEAD").strip();
    }

    public String git(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        return run(command, null);
    }

    private String replaceHead(String raw) throws IOException {
        Path object = dir.resolve("object");
        Files.writeString(object, raw);
        String id = git("hash-object", "-t", "commit", "-w", object.toString()).strip();
        git("reset", "-q", "--hard", id);
        return id;
    }

    /** Puts {@code signature} in a {@code gpgsig} header after the committer line, as git does. */
    private static String withSignature(String payload, String signature) {
        int headersEnd = payload.indexOf("\n\n");
        String header = "gpgsig " + signature.strip().replace("\n", "\n ") + "\n";
        return payload.substring(0, headersEnd + 1) + header + payload.substring(headersEnd + 1);
    }

    private void write(String file, String content) throws IOException {
        Path path = repo.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        git("add", file);
    }

    private String fingerprint(String userId) throws IOException {
        for (String line : run(List.of("gpg", "--batch", "--with-colons", "--list-keys", userId), null).split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9];
            }
        }
        throw new IOException("no fingerprint for " + userId);
    }

    private String run(List<String> command, String stdin) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(false);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + err);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops GnuPG's agent and removes its home. */
    @Override
    public void close() throws IOException {
        try {
            run(List.of("gpgconf", "--kill", "all"), null);
        } finally {
            try (var files = Files.walk(gnupgHome)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
