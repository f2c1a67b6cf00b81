package io.fleetward.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code fleetward logs <deployment> [-f]}: a deployment's log, followed while it runs. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print a deployment's log; with -f, follow it until the deployment ends.")
final class LogsCommand implements Callable<Integer> {
    /** A followed log ends with its deployment; this bounds the wait when the daemon does not end it. */
    static final Duration MAX_FOLLOW = Duration.ofHours(6);

    @ParentCommand
    FleetwardCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DEPLOYMENT", description = "The deployment id (fleetward history <target> lists them).")
    long id;

    @Option(names = {"-f", "--follow"}, description = "Follow the log while the deployment runs.")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = root.client();
        if (!follow) {
            out.print(api.getJson("/api/v1/deployments/" + id).path("log").asText(""));
            out.flush();
            return ExitCodes.OK;
        }
        try (InputStream body = api.stream("/api/v1/deployments/" + id + "/log", MAX_FOLLOW);
             Reader in = new InputStreamReader(body, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
