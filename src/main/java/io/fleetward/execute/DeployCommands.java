package io.fleetward.execute;

import io.fleetward.fleet.TargetKind;
import io.fleetward.transport.CommandTemplate;

/** The configured deploy command templates, checked at start-up. */
public record DeployCommands(CommandTemplate system, CommandTemplate home) {
    public CommandTemplate forKind(TargetKind kind) {
        return kind == TargetKind.SYSTEM ? system : home;
    }
}
