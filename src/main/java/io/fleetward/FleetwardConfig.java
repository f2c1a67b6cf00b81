package io.fleetward;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every fleetward setting. Each key is documented in {@code config/application.properties} and the
 * README table; a malformed value fails start-up with the key's name.
 */
@ConfigMapping(prefix = "fleetward")
public interface FleetwardConfig {

    /** Where the clone, checkouts, deployment logs and the embedded database live. */
    @WithName("data-dir")
    @WithDefault("data")
    Path dataDir();

    Source source();

    Fleet fleet();

    Commands commands();

    Deploy deploy();

    Impact impact();

    Probe probe();

    Store store();

    Transport transport();

    Ssh ssh();

    Webhook webhook();

    Api api();

    Checkin checkin();

    interface Source {
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
        @WithName("poll-interval")
        @WithDefault("60s")
        Duration pollInterval();

        /** Time limit of one fetch. */
        @WithName("fetch-timeout")
        @WithDefault("60s")
        Duration fetchTimeout();

        /** HTTPS user name for token auth (GitHub accepts any non-empty name with a token). */
        @WithName("https-user")
        @WithDefault("x-access-token")
        String httpsUser();

        /** HTTPS token; never logged. */
        @WithName("https-token")
        Optional<String> httpsToken();

        /** File holding the HTTPS token (first line); wins over https-token. */
        @WithName("https-token-file")
        Optional<Path> httpsTokenFile();
    }

    interface Fleet {
        /** Repository path of the inventory overlay. */
        @WithDefault("fleetward.yaml")
        String file();

        /** Default DNS domain: a host without target-host is reached at root@<host>.<domain> (or root@<host>). */
        Optional<String> domain();
    }

    interface Commands {
        /** Deploys a system target; runs on the controller in a clean checkout of the desired revision. */
        @WithName("system-deploy")
        @WithDefault("clan machines update {host}")
        String systemDeploy();

        /** Deploys a standalone home target; runs on the host as the user. */
        @WithName("home-deploy")
        @WithDefault("nh home switch {flake} --configuration {configuration}")
        String homeDeploy();

        /** Prints the current system path. */
        @WithName("probe-system")
        @WithDefault("readlink /run/current-system")
        String probeSystem();

        /** Prints the booted system path (NixOS). */
        @WithName("probe-booted")
        @WithDefault("readlink /run/booted-system")
        String probeBooted();

        /** Prints version JSON with configurationRevision, per platform. */
        @WithName("probe-revision")
        ProbeRevision probeRevision();

        /** Prints the current home-manager generation path; runs as the user. */
        @WithName("probe-home")
        @WithDefault("readlink \"$HOME/.local/state/home-manager/gcroots/current-home\"")
        String probeHome();

        /** Exact mode for system targets: prints the desired system path; runs in the checkout. */
        @WithName("evaluate-system")
        Optional<String> evaluateSystem();

        /** Exact mode for home targets: prints the desired home path; runs in the checkout. */
        @WithName("evaluate-home")
        Optional<String> evaluateHome();

        /** Prints inventory JSON (clan's inventory.machines); runs in the checkout. Unset: layout + overlay only. */
        Optional<String> inventory();
    }

    interface ProbeRevision {
        @WithDefault("nixos-version --json")
        String nixos();

        @WithDefault("darwin-version --json")
        String darwin();
    }

    interface Deploy {
        /** At most this many deployments run at once (never two on one host). */
        @WithDefault("4")
        int parallelism();

        /** A deployment still running after this is killed and counted as failed. */
        @WithDefault("30m")
        Duration timeout();

        /** Plan, log and report, but run no deploy command. */
        @WithName("dry-run")
        @WithDefault("false")
        boolean dryRun();

        /** Flake reference given to commands that run on a host; {rev} is the desired revision. */
        @WithName("flake-ref")
        Optional<String> flakeRef();

        /** On shutdown, running deployments get this long before they are stopped and marked INTERRUPTED. */
        @WithName("shutdown-grace")
        @WithDefault("2m")
        Duration shutdownGrace();

        /**
         * Where system deploys run: {@code local} (the controller) or {@code ssh://[user@]host[:port]} (a deployer
         * host, reached with the SSH settings; the desired revision is copied there as a checkout first).
         */
        @WithName("system-runner")
        @WithDefault("local")
        String systemRunner();

        /** Lines of each deployment log kept in the database (the whole log stays on disk). */
        @WithName("log-tail-lines")
        @WithDefault("200")
        int logTailLines();

        Retry retry();
    }

    interface Retry {
        /** Delay before the first retry of a failed deployment. */
        @WithDefault("5s")
        Duration initial();

        /** Each further retry waits this many times longer. */
        @WithDefault("2")
        double multiplier();

        /** Upper bound of the retry delay. */
        @WithDefault("5m")
        Duration max();

        /** Attempts per desired revision; then the target stays FAILED until the revision moves. */
        @WithName("max-attempts")
        @WithDefault("5")
        int maxAttempts();
    }

    interface Impact {
        /** Paths (globs) that never affect any target. */
        @WithDefault("**/*.md,docs/**,.github/**")
        List<String> ignore();
    }

    interface Probe {
        /** Time limit of one probe command. */
        @WithDefault("20s")
        Duration timeout();

        /** At most this many probes run at once. */
        @WithDefault("16")
        int parallelism();
    }

    interface Store {
        /** JDBC URL; unset uses an embedded H2 file database in the data dir. jdbc:postgresql://... for PostgreSQL. */
        Optional<String> url();

        Optional<String> username();

        /** Never logged. */
        Optional<String> password();

        /** Connection pool size. */
        @WithName("pool-size")
        @WithDefault("8")
        int poolSize();
    }

    interface Transport {
        /** Transport of hosts that do not name one in the overlay: local or ssh. Unset: ssh, or local for the demo. */
        @WithName("default")
        Optional<String> defaultTransport();

        Local local();
    }

    interface Local {
        /**
         * Simulation root for demos and tests: when set, local commands get {@code <root>/bin} first on
         * PATH, HOME={@code <root>/hosts/<host>/home/<user>} and FLEETWARD_SIMULATION=<root>, so the
         * stand-in tools there act per host. Never set it for a real fleet.
         */
        @WithName("simulation-root")
        Optional<Path> simulationRoot();

        /** Extra environment variables for local commands. */
        Map<String, String> environment();
    }

    interface Ssh {
        /** Private key file (ed25519, ecdsa or rsa; unencrypted) for every SSH connection. Never logged. */
        Optional<Path> identity();

        /** The known_hosts file host keys are verified against. Unset: {@code <data-dir>/ssh/known_hosts}. */
        @WithName("known-hosts")
        Optional<Path> knownHosts();

        /** {@code strict}: unknown or changed keys are refused. {@code accept-new}: a first key is recorded, a changed one refused. */
        @WithName("host-key-policy")
        @WithDefault("strict")
        String hostKeyPolicy();

        /** Time limit to open a TCP connection and finish the key exchange. */
        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        /** Time limit of authentication. */
        @WithName("auth-timeout")
        @WithDefault("10s")
        Duration authTimeout();

        /** Interval of SSH keep-alive messages on pooled sessions. */
        @WithName("keep-alive")
        @WithDefault("15s")
        Duration keepAlive();

        /** A pooled session unused for this long is closed. */
        @WithName("idle-timeout")
        @WithDefault("5m")
        Duration idleTimeout();
    }

    interface Webhook {
        /** Larger request bodies are refused with 413. */
        @WithName("max-body")
        @WithDefault("1048576")
        int maxBody();

        /** Webhook-triggered fetches are at least this far apart; pushes in between coalesce into one fetch. */
        @WithName("coalesce-window")
        @WithDefault("10s")
        Duration coalesceWindow();

        /** Delivery ids are remembered this long to answer redeliveries with "duplicate". */
        @WithName("delivery-retention")
        @WithDefault("30d")
        Duration deliveryRetention();

        /** The tracked repository as {@code owner/name}; unset: taken from the source URL's path. */
        Optional<String> repository();

        WebhookProvider github();

        WebhookProvider gitea();

        WebhookProvider gitlab();

        WebhookProvider generic();
    }

    interface WebhookProvider {
        /** Shared secret; never logged. Without a secret (or secret-file) the provider's endpoint is disabled. */
        Optional<String> secret();

        /** File holding the secret (first line); wins over secret. */
        @WithName("secret-file")
        Optional<Path> secretFile();
    }

    interface Api {
        /** SHA-256 (hex) of the bearer tokens allowed to call mutating endpoints. */
        @WithName("token-hashes")
        Optional<List<String>> tokenHashes();

        /** File with more token hashes, one SHA-256 (hex) per line; '#' starts a comment. */
        @WithName("token-hashes-file")
        Optional<Path> tokenHashesFile();

        /** Whether read endpoints need a token too. */
        @WithName("read-requires-token")
        @WithDefault("false")
        boolean readRequiresToken();
    }

    interface Checkin {
        /** A host's report counts as its observation for this long (push mode, for hosts the controller cannot reach). */
        @WithName("fresh-for")
        @WithDefault("15m")
        Duration freshFor();
    }
}
