package io.fleetward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceIdTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartCreatesAnIdThatLaterStartsOfTheSameDataDirKeep() throws IOException {
        String first = InstanceId.choose(Optional.empty(), dataDir);

        assertThat(first).matches("[a-z0-9][a-z0-9.-]*-[0-9a-f]{8}");
        assertThat(Files.readString(dataDir.resolve("instance-id")).strip()).isEqualTo(first);
        assertThat(InstanceId.choose(Optional.empty(), dataDir)).isEqualTo(first);
    }

    @Test
    void twoDataDirsGetTwoIds(@TempDir Path other) {
        assertThat(InstanceId.choose(Optional.empty(), dataDir))
                .isNotEqualTo(InstanceId.choose(Optional.empty(), other));
    }

    @Test
    void theConfiguredIdWinsAndIsNotWritten() {
        assertThat(InstanceId.choose(Optional.of(" controller-a "), dataDir)).isEqualTo("controller-a");
        assertThat(dataDir.resolve("instance-id")).doesNotExist();
    }

    @Test
    void aMalformedIdNamesTheKey() throws IOException {
        assertThatThrownBy(() -> InstanceId.choose(Optional.of("a b"), dataDir))
                .hasMessageStartingWith("fleetward.instance.id: expected 1 to 128 letters");
        Files.writeString(dataDir.resolve("instance-id"), "$(reboot)\n");
        assertThatThrownBy(() -> InstanceId.choose(Optional.empty(), dataDir))
                .hasMessageStartingWith("fleetward.instance.id: " + dataDir.resolve("instance-id")
                        + " does not hold a valid instance id");
    }
}
