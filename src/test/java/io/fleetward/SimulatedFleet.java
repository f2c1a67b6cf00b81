package io.fleetward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The reference fleet for end-to-end tests: a real git repository (a copy of the demo template),
 * the stand-in tools of {@code config/demo/bin} in a simulation root, and a data dir, all in a
 * fresh temporary folder.
 */
public final class SimulatedFleet {
    private final Path root;
    private final Path repo;
    private final Path simulation;
    private final Path data;

    private SimulatedFleet(Path root) {
        this.root = root;
        this.repo = root.resolve("repo");
        this.simulation = root.resolve("sim");
        this.data = root.resolve("data");
    }

    public static SimulatedFleet create() {
        try {
            SimulatedFleet fleet = new SimulatedFleet(Files.createTempDirectory("fleetward-fleet-"));
            Path project = Path.of("config/demo");
            DemoFleet.copyTree(project.resolve("repo"), fleet.repo);
            for (String dir : new String[]{"bin", "lib"}) {
                if (Files.isDirectory(project.resolve(dir))) {
                    DemoFleet.copyTree(project.resolve(dir), fleet.simulation.resolve(dir));
                }
            }
            try (var tools = Files.list(fleet.simulation.resolve("bin"))) {
                tools.forEach(tool -> tool.toFile().setExecutable(true, false));
            }
            try (Git git = Git.init().setDirectory(fleet.repo.toFile()).setInitialBranch("main").call()) {
                git.add().addFilepattern(".").call();
                commit(git, "Reference fleet");
            }
            return fleet;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Config overrides that point a fleetward instance at this fleet; tests trigger passes themselves. */
    public Map<String, String> config() {
        return Map.of(
                "fleetward.source.url", repo.toString(),
                "fleetward.data-dir", data.toString(),
                "fleetward.transport.local.simulation-root", simulation.toString(),
                "fleetward.source.poll-interval", "1h",
                "fleetward.deploy.retry.initial", "300ms",
                "fleetward.deploy.retry.max", "2s",
                "fleetward.deploy.retry.max-attempts", "3");
    }

    /** Writes {@code text} to {@code path} in the repository and commits it; returns the new revision. */
    public String commit(String path, String text, String message) {
        try (Git git = Git.open(repo.toFile())) {
            Path file = repo.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            git.add().addFilepattern(path).call();
            return commit(git, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends a line to a file of the repository and commits it. */
    public String touch(String path, String message) {
        try {
            String old = Files.exists(repo.resolve(path)) ? Files.readString(repo.resolve(path)) : "";
            return commit(path, old + "# " + message + "\n", message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String commit(Git git, String message) throws GitAPIException {
        PersonIdent who = new PersonIdent("fleetward test", "test@fleetward.invalid");
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().getName();
    }

    /** A host's simulated state folder ({@code run/current-system}, fault-injection files, homes). */
    public Path host(String host) {
        return simulation.resolve("hosts").resolve(host);
    }

    /** The system path the simulated host reports. */
    public String currentSystem(String host) {
        try {
            return Files.readSymbolicLink(host(host).resolve("run/current-system")).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What an administrator switching by hand does: the host now runs a path fleetward never deployed. */
    public void switchOutOfBand(String host, String path) {
        try {
            Path link = host(host).resolve("run/current-system");
            Path tmp = link.resolveSibling("current-system.oob");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, Path.of(path));
            Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the stand-in {@code clan machines update <host>} fail (exit 1) or succeed again. */
    public void failDeploys(String host, boolean fail) {
        flag(host, "fail-deploy", fail ? "" : null);
    }

    /** Makes the stand-in deploy of {@code host} take {@code seconds} (a long build), or not. */
    public void deployDelay(String host, Integer seconds) {
        flag(host, "deploy-delay", seconds == null ? null : seconds.toString());
    }

    /** While held, the stand-in deploy of {@code host} waits before activating (output stops); released, it goes on. */
    public void holdDeploys(String host, boolean hold) {
        flag(host, "deploy-hold", hold ? "" : null);
    }

    private void flag(String host, String name, String content) {
        try {
            Path file = host(host).resolve(name);
            if (content == null) {
                Files.deleteIfExists(file);
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public Path data() {
        return data;
    }
}
