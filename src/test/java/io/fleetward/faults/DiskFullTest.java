package io.fleetward.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DataDirSpace;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data dir's file system fills up under the embedded H2 database, on a real (tmpfs) file system
 * this test mounts: the shortage shows before writes fail, writes fail with a clear error, nothing
 * stored before is lost, and once there is room again the same pool works again, without a restart.
 * Needs root to mount; with {@code FLEETWARD_E2E_REQUIRED=1} (CI) it fails instead of skipping.
 */
class DiskFullTest {
    private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
    private Path mount;
    private Database database;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!"1".equals(System.getenv("FLEETWARD_E2E_REQUIRED"))) {
            assumeTrue(root, "mounting a tmpfs needs root");
        }
        mount = Files.createTempDirectory("fleetward-full-disk-");
        command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (database != null) {
            database.close();
        }
        if (mount != null) {
            command("umount", "-l", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    @Test
    void aFullDataDirIsReportedLosesNothingAndHealsWhenThereIsRoomAgain() throws Exception {
        Path dataDir = Files.createDirectories(mount.resolve("data"));
        database = new Database(Database.defaultUrl(dataDir), Optional.empty(), Optional.empty(), 4);
        DeploymentStore deployments = new DeploymentStore(database);
        DataDirSpace space = new DataDirSpace(dataDir, 4L * 1024 * 1024);
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add(deployments.begin(TargetId.system("galena"), REVISION, "timer", Instant.now(), null));
        }
        assertThat(space.shortage()).isNull();

        Path filler = dataDir.resolve("filler");
        fill(filler);
        assertThat(space.shortage()).as("the shortage shows in readiness and the log").contains("free in " + dataDir);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                deployments.finish(before.get(i % before.size()), DeploymentOutcome.SUCCEEDED, 0, "x".repeat(2000),
                        "y".repeat(4000), Instant.now());
            }
            database.check();
        }).isInstanceOf(StoreException.class));

        Files.delete(filler);
        assertThat(space.shortage()).isNull();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long id = deployments.begin(TargetId.system("galena"), REVISION, "timer", Instant.now(), null);
            deployments.finish(id, DeploymentOutcome.SUCCEEDED, 0, "after the disk was full", "", Instant.now());
        });
        List<Long> stored = deployments.list(Optional.of(TargetId.system("galena")), 1000).stream()
                .map(DeploymentRecord::id).toList();
        assertThat(stored).as("nothing stored before is lost").containsAll(before);
    }

    /** Writes to {@code file} until the file system has no room left. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static void command(String... line) throws Exception {
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
        }
    }
}
