package io.fleetward;

import io.fleetward.source.DemoRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The embedded default: when no {@code fleetward.source.url} is configured, fleetward runs the
 * demo fleet shipped in the jar (folder {@code config/demo} of the project). Its desired-state
 * repository is created under {@code <data-dir>/demo/source}, its stand-in tools under
 * {@code <data-dir>/demo/sim/bin}, and every command runs through the local transport with that
 * simulation root. A configured source URL turns all of this off.
 */
public final class DemoFleet {
    private static final Logger LOG = Logger.getLogger(DemoFleet.class);

    private final Path source;
    private final Path simulationRoot;

    private DemoFleet(Path source, Path simulationRoot) {
        this.source = source;
        this.simulationRoot = simulationRoot;
    }

    /** Lays out the demo under {@code dataDir} (the repository only once: later commits survive restarts). */
    public static DemoFleet materialize(Path dataDir) {
        Path root = dataDir.resolve("demo").toAbsolutePath().normalize();
        try {
            Path template = root.resolve("template");
            extract("demo", template);
            Path source = root.resolve("source");
            if (!DemoRepository.exists(source)) {
                copyTree(template.resolve("repo"), source);
                DemoRepository.initialCommit(source);
            }
            Path sim = root.resolve("sim");
            for (String dir : new String[]{"bin", "lib"}) {
                Path from = template.resolve(dir);
                if (Files.isDirectory(from)) {
                    copyExecutables(from, sim.resolve(dir));
                }
            }
            LOG.infof("demo fleet: desired-state repository %s, stand-in tools in %s", source, sim.resolve("bin"));
            return new DemoFleet(source, sim);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the demo fleet under " + root, e);
        }
    }

    public Path source() {
        return source;
    }

    public Path simulationRoot() {
        return simulationRoot;
    }

    /** Copies a classpath folder (in a jar or on disk) to {@code target}, replacing what was there. */
    private static void extract(String resource, Path target) throws IOException {
        URL marker = DemoFleet.class.getClassLoader().getResource(resource + "/repo/fleetward.yaml");
        if (marker == null) {
            throw new IOException("the demo fleet is missing from the classpath");
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(jar.getPath("/" + resource), target);
                }
            } else {
                copyTree(Path.of(uri).getParent().getParent(), target);
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Copies a folder tree (from a jar file system or the disk), replacing files already there. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    try (InputStream in = Files.newInputStream(path)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void copyExecutables(Path from, Path to) throws IOException {
        copyTree(from, to);
        try (var files = Files.list(to)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                file.toFile().setExecutable(true, false);
            }
        }
    }
}
