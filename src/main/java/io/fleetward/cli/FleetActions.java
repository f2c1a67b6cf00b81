package io.fleetward.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The fleet-wide actions: pause, unpause, refresh. Each needs the API token. */
final class FleetActions {
    private FleetActions() {
    }

    /** {@code fleetward pause [--reason R]}. */
    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause automatic deployments fleet-wide; running ones finish, targets are still probed.")
    static final class Pause implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, one line.")
        String reason;

        @Override
        public Integer call() {
            root.client().post("/api/v1/fleet/pause", reason == null ? null : Map.of("reason", reason));
            spec.commandLine().getOut().println("fleet paused" + (reason == null ? "" : ": " + reason));
            return ExitCodes.OK;
        }
    }

    /** {@code fleetward unpause}. */
    @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Resume automatic deployments fleet-wide.")
    static final class Unpause implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            root.client().post("/api/v1/fleet/resume", null);
            spec.commandLine().getOut().println("fleet resumed");
            return ExitCodes.OK;
        }
    }

    /** {@code fleetward refresh}. */
    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Fetch the source and reconcile now, instead of waiting for the poll timer.")
    static final class Refresh implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            root.client().post("/api/v1/refresh", null);
            spec.commandLine().getOut().println("refresh requested");
            return ExitCodes.OK;
        }
    }
}
