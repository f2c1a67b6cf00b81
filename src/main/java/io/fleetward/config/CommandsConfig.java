package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The shell command lines fleetward runs ({@code fleetward.commands.*}). */
@ConfigMapping(prefix = "fleetward.commands")
public interface CommandsConfig {

    /** Deploys a system target; runs on the controller in a clean checkout of the desired revision. */
    @WithDefault("clan machines update {host}")
    String systemDeploy();

    /** Deploys a standalone home target; runs on the host as the user. */
    @WithDefault("nh home switch {flake} --configuration {configuration}")
    String homeDeploy();

    /** Prints the current system path. */
    @WithDefault("readlink /run/current-system")
    String probeSystem();

    /** Prints the booted system path (NixOS). */
    @WithDefault("readlink /run/booted-system")
    String probeBooted();

    /** Prints version JSON with configurationRevision, per platform. */
    ProbeRevision probeRevision();

    /** Prints the current home-manager generation path; runs as the user. */
    @WithDefault("readlink \"$HOME/.local/state/home-manager/gcroots/current-home\"")
    String probeHome();

    /** Exact mode for system targets: prints the desired system path; runs in the checkout. */
    Optional<String> evaluateSystem();

    /** Exact mode for home targets: prints the desired home path; runs in the checkout. */
    Optional<String> evaluateHome();

    /** Time limit of one evaluate command; past it the evaluation failed and the target waits for a new revision. */
    @WithDefault("10m")
    Duration evaluateTimeout();

    /** Prints inventory JSON (clan's inventory.machines); runs in the checkout. Unset: layout + overlay only. */
    Optional<String> inventory();

    /** Time limit of the inventory command; past it that revision's inventory is not loaded. */
    @WithDefault("5m")
    Duration inventoryTimeout();

    /** The version probes ({@code fleetward.commands.probe-revision.*}). */
    interface ProbeRevision {
        /** Prints the NixOS version JSON. */
        @WithDefault("nixos-version --json")
        String nixos();

        /** Prints the nix-darwin version JSON. */
        @WithDefault("darwin-version --json")
        String darwin();
    }
}
