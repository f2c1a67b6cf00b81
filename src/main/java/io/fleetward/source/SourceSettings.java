package io.fleetward.source;

import io.fleetward.transport.ssh.SshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the desired-state repository lives and how to reach it.
 *
 * @param url any JGit URL: a plain path, {@code file://}, {@code https://} or {@code ssh://} / scp-like
 * @param branch the tracked branch (without {@code refs/heads/})
 * @param repoDir where the bare clone is kept across restarts
 * @param fetchTimeout time limit of one fetch (rounded up to whole seconds)
 * @param httpsUser HTTPS user name for token auth; {@code x-access-token} when absent
 * @param httpsToken HTTPS token; only ever handed to JGit's credentials provider
 * @param ssh identity, known_hosts file and host key policy for {@code ssh://} and scp-like URLs;
 *            empty leaves JGit's defaults
 */
public record SourceSettings(
        String url,
        String branch,
        Path repoDir,
        Duration fetchTimeout,
        Optional<String> httpsUser,
        Optional<String> httpsToken,
        Optional<SshSettings> ssh) {

    public SourceSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(repoDir, "repoDir");
        Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        Objects.requireNonNull(httpsUser, "httpsUser");
        Objects.requireNonNull(httpsToken, "httpsToken");
        Objects.requireNonNull(ssh, "ssh");
        if (url.isBlank()) {
            throw new IllegalArgumentException("source url is empty");
        }
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException("fetch timeout must be positive, got " + fetchTimeout);
        }
    }

    /** Settings for a source that is not fetched over SSH (or uses JGit's SSH defaults). */
    public SourceSettings(String url, String branch, Path repoDir, Duration fetchTimeout, Optional<String> httpsUser,
                          Optional<String> httpsToken) {
        this(url, branch, repoDir, fetchTimeout, httpsUser, httpsToken, Optional.empty());
    }

    /** Hides the token so that logging or printing the settings cannot leak it. */
    @Override
    public String toString() {
        return "SourceSettings[url=" + Redaction.displayUrl(url) + ", branch=" + branch + ", repoDir=" + repoDir
                + ", fetchTimeout=" + fetchTimeout + ", httpsUser=" + httpsUser
                + ", httpsToken=" + httpsToken.map(t -> "***").orElse("none") + ", ssh=" + ssh + "]";
    }
}
