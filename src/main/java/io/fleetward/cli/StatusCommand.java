package io.fleetward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fleetward status}: every target with its status, like {@code kubectl get}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Every target: status, desired and deployed revision, age of the status, reason.")
final class StatusCommand implements Callable<Integer> {
    enum Output { table, wide, json }

    @ParentCommand
    FleetwardCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, wide (host, platform, current path, last probe) or json (as the API returns it).")
    Output output;

    @Option(names = {"-w", "--watch"}, description = "After the table, print a line whenever a target's status or reason changes.")
    boolean watch;

    @Option(names = "--interval", defaultValue = "2", paramLabel = "SECONDS",
            description = "With --watch: how often to ask (default ${DEFAULT-VALUE} s).")
    int interval;

    @Option(names = "--for", paramLabel = "SECONDS", description = "With --watch: stop after this many seconds (default: until interrupted).")
    Integer watchFor;

    @Override
    public Integer call() throws InterruptedException {
        if (interval < 1) {
            throw new CliException(ExitCodes.USAGE, "--interval: expected at least 1 second");
        }
        ApiClient api = root.client();
        PrintWriter out = spec.commandLine().getOut();
        String body = api.get("/api/v1/targets");
        if (output == Output.json && !watch) {
            out.println(body.strip());
            out.flush();
            return ExitCodes.OK;
        }
        JsonNode targets = ApiClient.parse(body);
        Instant now = Clock.systemUTC().instant();
        table(targets, now, true).print(out, Ansi.AUTO, 1);
        if (!watch) {
            return ExitCodes.OK;
        }
        Map<String, String> seen = states(targets);
        long deadline = watchFor == null ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(watchFor).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.min(Duration.ofSeconds(interval).toMillis(),
                    Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            JsonNode fresh = api.getJson("/api/v1/targets");
            Map<String, String> states = states(fresh);
            Table changes = new Table("TARGET", "STATUS", "DESIRED", "DEPLOYED", "AGE", "REASON");
            now = Clock.systemUTC().instant();
            for (JsonNode target : fresh) {
                String id = target.path("id").asText();
                if (!states.get(id).equals(seen.get(id))) {
                    row(changes, target, now, false);
                }
            }
            seen = states;
            if (!changes.isEmpty()) {
                changes.printRows(out, Ansi.AUTO, 1);
            }
        }
        return ExitCodes.OK;
    }

    private Table table(JsonNode targets, Instant now, boolean header) {
        Table table = output == Output.wide
                ? new Table("TARGET", "STATUS", "DESIRED", "DEPLOYED", "AGE", "HOST", "PLATFORM", "SUSPENDED",
                "LAST-PROBE", "CURRENT", "REASON")
                : new Table("TARGET", "STATUS", "DESIRED", "DEPLOYED", "AGE", "REASON");
        for (JsonNode target : targets) {
            row(table, target, now, true);
        }
        return table;
    }

    private void row(Table table, JsonNode t, Instant now, boolean allowWide) {
        String age = Ages.since(t.path("updatedAt").asText(null), now);
        if (output == Output.wide && allowWide) {
            table.row(t.path("id").asText(), t.path("status").asText(), Ages.revision(t.path("desiredRevision").asText(null)),
                    Ages.revision(t.path("deployedRevision").asText(null)), age, t.path("host").asText(),
                    t.path("platform").asText(), String.valueOf(t.path("suspended").asBoolean()),
                    Ages.since(t.path("lastProbeAt").asText(null), now), t.path("currentPath").asText("<none>"),
                    t.path("reason").asText(""));
        } else {
            table.row(t.path("id").asText(), t.path("status").asText(), Ages.revision(t.path("desiredRevision").asText(null)),
                    Ages.revision(t.path("deployedRevision").asText(null)), age, t.path("reason").asText(""));
        }
    }

    private static Map<String, String> states(JsonNode targets) {
        Map<String, String> states = new HashMap<>();
        for (JsonNode t : targets) {
            states.put(t.path("id").asText(), t.path("status").asText() + "\n" + t.path("reason").asText());
        }
        return states;
    }
}
