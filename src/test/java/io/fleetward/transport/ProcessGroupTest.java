package io.fleetward.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.ProcessTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process groups as a later fleetward process finds them: real groups started through setsid. */
class ProcessGroupTest {
    /** Every group a test starts carries this, so that clean-up ends only those. */
    private final String run = UUID.randomUUID().toString();
    private final List<ProcessGroup> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void endWhatIsLeft() throws InterruptedException {
        for (ProcessGroup group : started) {
            group.endIfCarrying("FLEETWARD_TEST_RUN", run, Duration.ZERO);
        }
    }

    @Test
    void idsThatNameNoSingleGroupOrFleetwardsOwnAreRefused() {
        long own = ProcessGroup.groupOf(ProcessHandle.current().pid()).orElseThrow();
        for (long id : new long[] {0, 1, -1, -own, own}) {
            assertThatThrownBy(() -> ProcessGroup.of(id)).as("group " + id)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("refusing process group " + id);
        }
    }

    @Test
    void aGroupListsItsRunningProcessesAndWhetherOneCarriesAnEnvironmentEntry() throws Exception {
        ProcessGroup group = start("sleep 600 & sleep 600 &", "17");

        assertThat(group.members()).hasSize(3).contains(group.id());
        assertThat(group.alive()).isTrue();
        assertThat(group.carries("FLEETWARD_DEPLOYMENT", "17")).isTrue();
        assertThat(group.carries("FLEETWARD_DEPLOYMENT", "1")).as("a prefix of the value").isFalse();
        assertThat(group.carries("FLEETWARD_DEPLOYMENT", "170")).isFalse();
        assertThat(ProcessGroup.groupOf(group.id())).isEqualTo(OptionalLong.of(group.id()));
    }

    @Test
    void aGroupThatEndsOnSigtermIsTerminated() throws Exception {
        ProcessGroup group = start("sleep 600 & sleep 600 &", "17");
        List<Long> members = group.members();

        assertThat(group.endIfCarrying("FLEETWARD_DEPLOYMENT", "17", Duration.ofMinutes(5)))
                .isEqualTo(ProcessGroup.Ending.TERMINATED);

        assertThat(group.alive()).isFalse();
        assertThat(members).allMatch(ProcessTrees::ended);
        assertThat(group.endIfCarrying("FLEETWARD_DEPLOYMENT", "17", Duration.ofMinutes(5)))
                .as("a second time").isEqualTo(ProcessGroup.Ending.GONE);
    }

    @Test
    void aGroupThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        ProcessGroup group = start("trap '' TERM; sleep 600 & sleep 600 &", "17");
        List<Long> members = group.members();

        assertThat(group.endIfCarrying("FLEETWARD_DEPLOYMENT", "17", Duration.ofMillis(300)))
                .isEqualTo(ProcessGroup.Ending.KILLED);

        assertThat(members).hasSize(3).allMatch(ProcessTrees::ended);
    }

    @Test
    void aGroupWhoseProcessesDoNotCarryTheEntryIsLeftAlone() throws Exception {
        ProcessGroup group = start("sleep 600 & sleep 600 &", "17");
        List<Long> members = group.members();

        assertThat(group.endIfCarrying("FLEETWARD_DEPLOYMENT", "18", Duration.ZERO))
                .isEqualTo(ProcessGroup.Ending.LEFT_ALONE);

        assertThat(group.members()).containsExactlyInAnyOrderElementsOf(members);
    }

    /** A group running {@code children}, with {@code FLEETWARD_DEPLOYMENT} set, ended after the test. */
    private ProcessGroup start(String children, String deployment) throws IOException {
        ProcessGroup group = ProcessTrees.startGroup(dir, children,
                Map.of("FLEETWARD_DEPLOYMENT", deployment, "FLEETWARD_TEST_RUN", run));
        started.add(group);
        return group;
    }
}
