package io.fleetward.execute;

import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.transport.CommandTemplate;

/**
 * The command templates that guard a deployment, checked at start-up: the precheck before a system
 * deploy, the health checks after it, the rollback per platform and kind, and the dead man's switch.
 *
 * @param precheckSystem runs on the system runner in the checkout before anything reaches the host
 * @param healthSystem   runs on the host over a fresh connection after a verified system deploy
 * @param healthHome     runs on the host, as the user, over a fresh connection after a verified home deploy
 * @param rollbackNixos  activates {@code {previous}} on a NixOS host
 * @param rollbackDarwin activates {@code {previous}} on a nix-darwin host
 * @param rollbackHome   activates the home generation {@code {previous}}, as the user
 * @param armRollback    starts the dead man's switch on the host (detached; returns at once)
 * @param disarmRollback stops it; non-zero when it already fired or was never armed
 */
public record SafetyCommands(CommandTemplate precheckSystem, CommandTemplate healthSystem, CommandTemplate healthHome,
                             CommandTemplate rollbackNixos, CommandTemplate rollbackDarwin, CommandTemplate rollbackHome,
                             CommandTemplate armRollback, CommandTemplate disarmRollback) {

    /** The health check every deployment of this kind runs first. */
    public CommandTemplate health(TargetKind kind) {
        return kind == TargetKind.SYSTEM ? healthSystem : healthHome;
    }

    /** The rollback of this target's kind and platform. */
    public CommandTemplate rollback(Target target) {
        if (target.kind() == TargetKind.HOME) {
            return rollbackHome;
        }
        return target.platform() == Platform.DARWIN ? rollbackDarwin : rollbackNixos;
    }
}
