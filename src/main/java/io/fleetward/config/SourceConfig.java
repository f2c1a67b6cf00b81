package io.fleetward.config;

import io.fleetward.source.VerifyMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The desired-state repository ({@code fleetward.source.*}). */
@ConfigMapping(prefix = "fleetward.source")
public interface SourceConfig {

    /** JGit URL of the desired-state repository; unset runs the embedded demo fleet. */
    Optional<String> url();

    /** Not a key: whether the embedded demo fleet runs, i.e. no {@link #url()} is set. */
    default boolean runsDemo() {
        return url().isEmpty();
    }

    /** The tracked branch. */
    @WithDefault("main")
    String branch();

    /** How often the source is fetched (a random jitter of up to 10% is added). */
    @WithDefault("60s")
    Duration pollInterval();

    /** Time limit of one fetch. */
    @WithDefault("60s")
    Duration fetchTimeout();

    /** HTTPS user name for token auth (GitHub accepts any non-empty name with a token). */
    @WithDefault("x-access-token")
    String httpsUser();

    /** HTTPS token; never logged. */
    Optional<String> httpsToken();

    /** File holding the HTTPS token (first line); wins over https-token. */
    Optional<Path> httpsTokenFile();

    /** Which commits must be signed by a trusted key: none, head (the desired revision) or all (every new commit). */
    @WithDefault("none")
    VerifyMode verify();

    /** For verify=all: a full commit id whose history (it included) is not checked; unset: the first head alone. */
    Optional<String> verifySince();

    /** File or folder of trusted keys: *.asc (armored OpenPGP public keys), allowed_signers / *.allowed_signers (OpenSSH). */
    Optional<Path> trustedKeys();

    /** Whether a revision that does not descend from the last one deployed from (a force-push) is followed. */
    @WithDefault("false")
    boolean allowNonFastForward();
}
