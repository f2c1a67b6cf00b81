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

    /**
     * Health check of a system target after its deploy was verified; runs on the host over a fresh SSH connection
     * (so the default, {@code true}, proves the machine still accepts new connections).
     */
    @WithDefault("true")
    String healthSystem();

    /** Health check of a home target after its deploy was verified; runs on the host as the user, over a fresh connection. */
    @WithDefault("true")
    String healthHome();

    /** Rolls a system target back to {@code {previous}}, per platform ({@code fleetward.commands.rollback-system.*}). */
    RollbackSystem rollbackSystem();

    /** Rolls a home target back to {@code {previous}}; runs on the host as the user. */
    @WithDefault("{previous}/activate")
    String rollbackHome();

    /**
     * Arms the dead man's switch on the host before a system deploy over SSH: a detached POSIX sh process that
     * runs {@code {rollback}} once the system changed and {@code {seconds}} passed, unless disarmed.
     */
    @WithDefault(ARM_ROLLBACK)
    String armRollback();

    /** Disarms the dead man's switch; exits non-zero when it already fired or was never armed. */
    @WithDefault(DISARM_ROLLBACK)
    String disarmRollback();

    /** Runs before a system deploy, on the runner in the checkout; non-zero fails the deployment before anything reaches the host. */
    @WithDefault("clan vars check {host}")
    String precheckSystem();

    /**
     * Where the switch keeps its marker files on the host (root's state folder). No {@code ${...}}: the
     * configuration would expand it as a property expression.
     */
    String SWITCH_DIR = "d=$XDG_STATE_HOME; [ -n \"$d\" ] || d=$HOME/.local/state; d=$d/fleetward/rollback; ";

    /** The default of {@link #armRollback()}. */
    String ARM_ROLLBACK = SWITCH_DIR + "mkdir -p \"$d\" && rm -f \"$d\"/armed.* \"$d\"/fired.* "
            + "&& : >\"$d\"/armed.{deployment} "
            + "&& { nohup sh -c 'n=0; while [ \"$(readlink /run/current-system)\" = \"$3\" ]; do "
            + "if [ ! -e \"$1/armed.$2\" ] || [ \"$n\" -ge \"$4\" ]; then rm -f \"$1/armed.$2\"; exit 0; fi; "
            + "sleep 1; n=$((n+1)); done; n=0; while [ \"$n\" -lt \"$5\" ]; do "
            + "[ -e \"$1/armed.$2\" ] || exit 0; sleep 1; n=$((n+1)); done; "
            + "mv \"$1/armed.$2\" \"$1/fired.$2\" 2>/dev/null || exit 0; "
            + "sh -c \"$6\" >>\"$1/fired.$2\" 2>&1' "
            + "fleetward-rollback \"$d\" {deployment} {previous} {window} {seconds} {rollback} "
            + "</dev/null >/dev/null 2>&1 & } && echo \"armed: rollback to $(basename {previous}) unless disarmed\"";

    /** The default of {@link #disarmRollback()}. */
    String DISARM_ROLLBACK = SWITCH_DIR + "if rm \"$d\"/armed.{deployment} 2>/dev/null; then echo disarmed; "
            + "elif [ -e \"$d\"/fired.{deployment} ]; then echo \"the switch already fired:\"; "
            + "cat \"$d\"/fired.{deployment}; exit 3; "
            + "else echo \"the switch was not armed\"; exit 2; fi";

    /** Rollback of system targets per platform. */
    interface RollbackSystem {
        /** NixOS: sets the system profile back and switches to it. */
        @WithDefault("nix-env -p /nix/var/nix/profiles/system --set {previous} && {previous}/bin/switch-to-configuration switch")
        String nixos();

        /** nix-darwin: sets the system profile back and activates it. */
        @WithDefault("nix-env -p /nix/var/nix/profiles/system --set {previous} && {previous}/activate")
        String darwin();
    }

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
