package io.fleetward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fleetward plan}: what the daemon would deploy now, in which order, and why the rest waits. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "What would deploy now, in which order and why, and what waits and why.")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    FleetwardCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (as the API returns it).")
    String output;

    @Override
    public Integer call() {
        if (!output.equals("table") && !output.equals("json")) {
            throw new CliException(ExitCodes.USAGE, "--output: expected table or json, got " + output);
        }
        PrintWriter out = spec.commandLine().getOut();
        String body = root.client().get("/api/v1/plan");
        if (output.equals("json")) {
            out.println(body.strip());
            out.flush();
            return ExitCodes.OK;
        }
        JsonNode plan = ApiClient.parse(body);
        out.println("Plan at " + Ages.revision(plan.path("desiredRevision").asText(null))
                + (plan.path("paused").asBoolean() ? " (fleet paused: nothing starts)" : ""));
        JsonNode steps = plan.path("deployments");
        if (steps.isEmpty()) {
            out.println("Nothing would deploy now.");
        } else {
            Table table = new Table("ORDER", "TARGET", "REVISION", "ATTEMPT", "REASON");
            steps.forEach(s -> table.row(s.path("order").asText(), s.path("target").asText(),
                    Ages.revision(s.path("revision").asText(null)), s.path("attempt").asText(), s.path("reason").asText()));
            table.print(out, Ansi.AUTO, -1);
        }
        JsonNode deferred = plan.path("deferred");
        if (!deferred.isEmpty()) {
            out.println();
            Table waiting = new Table("WAITING", "REASON");
            deferred.forEach(d -> waiting.row(d.path("target").asText(), d.path("reason").asText()));
            waiting.print(out, Ansi.AUTO, -1);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
