package io.fleetward.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.SimulatedFleet;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One evaluation: what the command printed, read as a store path or as why there is none. */
class DesiredPathsTest {
    private static final Target GALENA = new Target(TargetId.system("galena"),
            new Host("galena", Platform.NIXOS, "root@galena", "ssh", List.of(), List.of(), true), null, List.of());
    private static final String PATH = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-galena";

    private final SimulatedFleet fleet = SimulatedFleet.create();
    private final GitSource source = new GitSource(new SourceSettings(fleet.root().resolve("repo").toString(), "main",
            fleet.data().resolve("source.git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
    private final List<CommandRequest> requests = new ArrayList<>();
    private final Path checkouts = fleet.data().resolve("checkouts/.evaluate");

    @AfterEach
    void close() {
        source.close();
    }

    private DesiredPaths answering(CommandResult result) {
        Transport local = new Transport() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public CommandResult run(CommandRequest request) {
                requests.add(request);
                return result;
            }
        };
        return new DesiredPaths(Optional.of(CommandTemplate.of("fleetward.commands.evaluate-system",
                "nix eval --raw {flake}#nixosConfigurations.{host}.config.system.build.toplevel.outPath")),
                Optional.empty(), source, local, checkouts, Duration.ofMinutes(3));
    }

    @Test
    void aStorePathIsTheDesiredPathEvaluatedInACheckoutOfTheRevision() throws Exception {
        String revision = source.fetch().revision();
        Evaluation evaluation = answering(new CommandResult(0, PATH + "\n", "", false, Duration.ZERO))
                .evaluate(GALENA, revision);

        assertThat(evaluation).isEqualTo(Evaluation.of(PATH));
        CommandRequest request = requests.get(0);
        assertThat(request.workingDirectory()).isEqualTo(checkouts.resolve(revision));
        assertThat(request.commandLine()).contains("nixosConfigurations.'galena'");
        assertThat(request.timeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(Files.exists(checkouts.resolve(revision).resolve("flake.nix"))).isTrue();
    }

    @Test
    void aNonZeroExitATimeoutAndOutputThatIsNoStorePathAreFailures() throws Exception {
        String revision = source.fetch().revision();

        assertThat(answering(new CommandResult(1, "", "error: attribute 'galena' missing\nmore", false, Duration.ZERO))
                .evaluate(GALENA, revision)).isEqualTo(Evaluation.failed("exited 1: error: attribute 'galena' missing"));
        assertThat(answering(new CommandResult(-1, PATH, "", true, Duration.ofMinutes(3))).evaluate(GALENA, revision))
                .isEqualTo(Evaluation.failed("timed out after 180s"));
        assertThat(answering(new CommandResult(0, "warning: dirty tree\n", "", false, Duration.ZERO))
                .evaluate(GALENA, revision)).isEqualTo(Evaluation.failed("printed no store path"));
    }

    @Test
    void theCheckoutOfAnOlderRevisionIsDeletedOnceANewerOneIsEvaluated() throws Exception {
        String first = source.fetch().revision();
        DesiredPaths paths = answering(new CommandResult(0, PATH, "", false, Duration.ZERO));
        paths.evaluate(GALENA, first);
        fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        String second = source.fetch().revision();

        paths.evaluate(GALENA, second);

        assertThat(checkouts.resolve(first)).doesNotExist();
        assertThat(checkouts.resolve(second)).isDirectory();
    }
}
