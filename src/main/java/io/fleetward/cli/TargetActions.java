package io.fleetward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The per-target actions: sync, suspend, resume, rollback. Each needs the API token. */
final class TargetActions {
    private TargetActions() {
    }

    static String path(String target, String action) {
        return "/api/v1/targets/" + URLEncoder.encode(target, StandardCharsets.UTF_8) + "/" + action;
    }

    /** {@code fleetward sync <target>}. */
    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Deploy the target's desired revision now, even if it is in sync.")
    static final class Sync implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TARGET", description = "system:<host> or home:<user>@<host>")
        String target;

        @Override
        public Integer call() {
            root.client().post(path(target, "sync"), null);
            spec.commandLine().getOut().println("sync of " + target + " requested; watch it with: fleetward status --watch");
            return ExitCodes.OK;
        }
    }

    /** {@code fleetward suspend <target> [--reason R]}. */
    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Stop automatic deployments of the target (it is still probed).")
    static final class Suspend implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TARGET", description = "system:<host> or home:<user>@<host>")
        String target;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, one line (shown with the target).")
        String reason;

        @Override
        public Integer call() {
            JsonNode answer = root.client().post(path(target, "suspend"), reason == null ? null : Map.of("reason", reason));
            spec.commandLine().getOut().println(target + " suspended"
                    + (answer.hasNonNull("reason") ? ": " + answer.get("reason").asText() : ""));
            return ExitCodes.OK;
        }
    }

    /** {@code fleetward resume <target>}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume automatic deployments of the target.")
    static final class Resume implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TARGET", description = "system:<host> or home:<user>@<host>")
        String target;

        @Override
        public Integer call() {
            root.client().post(path(target, "resume"), null);
            spec.commandLine().getOut().println(target + " resumed");
            return ExitCodes.OK;
        }
    }

    /** {@code fleetward rollback <target>}: needs a daemon that has the rollback endpoint. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Roll the target back to what it ran before its last deployment.")
    static final class Rollback implements Callable<Integer> {
        @ParentCommand
        FleetwardCommand root;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TARGET", description = "system:<host> or home:<user>@<host>")
        String target;

        @Override
        public Integer call() {
            try {
                root.client().post(path(target, "rollback"), null);
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.NOT_FOUND && e.getMessage().contains("no such endpoint")) {
                    throw new CliException(ExitCodes.ERROR, "this daemon cannot roll back (it has no "
                            + "POST /api/v1/targets/{id}/rollback); upgrade fleetward");
                }
                throw e;
            }
            spec.commandLine().getOut().println("rollback of " + target + " requested");
            return ExitCodes.OK;
        }
    }
}
