package io.fleetward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fleetward history <target>}: the target's deployments, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "A target's deployments, newest first.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    FleetwardCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET", description = "system:<host> or home:<user>@<host>")
    String target;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table or json.")
    String output;

    @Override
    public Integer call() {
        if (!output.equals("table") && !output.equals("json")) {
            throw new CliException(ExitCodes.USAGE, "--output: expected table or json, got " + output);
        }
        ApiClient api = root.client();
        // The deployments endpoint lists nothing for an unknown target: ask for the target first, for a 404.
        api.get("/api/v1/targets/" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        String body = api.get("/api/v1/deployments?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                + "&limit=" + limit);
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            out.println(body.strip());
            out.flush();
            return ExitCodes.OK;
        }
        var now = Clock.systemUTC().instant();
        Table table = new Table("ID", "REVISION", "TRIGGER", "AGE", "DURATION", "OUTCOME", "REASON");
        for (JsonNode d : ApiClient.parse(body)) {
            String duration = d.hasNonNull("durationSeconds")
                    ? Ages.of(Duration.ofMillis((long) (d.get("durationSeconds").asDouble() * 1000))) : "running";
            table.row(d.path("id").asText(), Ages.revision(d.path("revision").asText(null)), d.path("trigger").asText(),
                    Ages.since(d.path("startedAt").asText(null), now), duration, d.path("outcome").asText(),
                    d.path("reason").asText(""));
        }
        if (table.isEmpty()) {
            out.println("No deployments of " + target + " yet.");
            out.flush();
        } else {
            table.print(out, Ansi.AUTO, 5);
        }
        return ExitCodes.OK;
    }
}
