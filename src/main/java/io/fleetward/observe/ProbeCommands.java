package io.fleetward.observe;

import io.fleetward.fleet.Platform;
import io.fleetward.transport.CommandTemplate;

/** The configured probe command templates, checked at start-up. */
public record ProbeCommands(CommandTemplate system, CommandTemplate booted, CommandTemplate revisionNixos,
                            CommandTemplate revisionDarwin, CommandTemplate home) {

    public CommandTemplate revision(Platform platform) {
        return platform == Platform.DARWIN ? revisionDarwin : revisionNixos;
    }
}
