package io.fleetward.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code fleetward}: the fleet from a terminal, through a running daemon's REST API. Exit codes:
 * 0 ok, 1 error, 2 usage, 3 not found, 4 unauthorized (see {@link ExitCodes}).
 */
@Command(name = "fleetward", mixinStandardHelpOptions = true, versionProvider = FleetwardCommand.Version.class,
        description = "Talks to a running fleetward daemon: status, plan, actions, logs and history.",
        subcommands = {StatusCommand.class, PlanCommand.class, TargetActions.Sync.class, TargetActions.Suspend.class,
                TargetActions.Resume.class, FleetActions.Pause.class, FleetActions.Unpause.class,
                FleetActions.Refresh.class, LogsCommand.class, HistoryCommand.class, TargetActions.Rollback.class,
                AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:error (daemon unreachable, conflict, failure)", "2:usage",
                "3:not found (target or deployment)", "4:unauthorized (no, wrong or unusable token)"},
        footerHeading = "%nEnvironment:%n",
        footer = {"FLEETWARD_URL         the daemon (default " + Connection.DEFAULT_URL + ")",
                "FLEETWARD_TOKEN_FILE  a file holding the API token",
                "FLEETWARD_CONFIG      a properties file with url= and token-file=",
                "                      (default ~/.config/fleetward/cli.properties)"})
public final class FleetwardCommand {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The daemon's base URL (env FLEETWARD_URL).")
    String url;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A file holding the API token (env FLEETWARD_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "A properties file with url= and token-file= (env FLEETWARD_CONFIG).")
    Path config;

    private final Map<String, String> env;

    FleetwardCommand(Map<String, String> env) {
        this.env = env;
    }

    /** The API client for this invocation: flags, then environment, then the config file. */
    ApiClient client() {
        return new ApiClient(Connection.resolve(url, tokenFile, config, env));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        PrintWriter stdout = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter stderr = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine line = new CommandLine(new FleetwardCommand(env));
        line.setOut(stdout);
        line.setErr(stderr);
        line.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("error: " + failure.getMessage());
                commandLine.getErr().flush();
                return failure.exitCode();
            }
            throw e;
        });
        CommandLine completion = line.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(false);
        }
        int code = line.execute(args);
        stdout.flush();
        stderr.flush();
        return code;
    }

    /** The version in the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FleetwardCommand.class.getPackage().getImplementationVersion();
            return new String[] {"fleetward " + (version == null ? "(development build)" : version)};
        }
    }
}
