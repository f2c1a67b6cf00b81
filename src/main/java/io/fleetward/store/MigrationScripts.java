package io.fleetward.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The schema migrations, named here and read with {@link Class#getResourceAsStream}. Flyway's own
 * class-path scanning depends on how the class loader exposes directories, which differs in the
 * packaged Quarkus application; a fixed list works under any class loader.
 */
final class MigrationScripts implements ResourceProvider {

    /** Resource folder of the scripts; Flyway's {@code V<version>__<description>.sql} naming applies. */
    static final String LOCATION = "db/migration";

    /** Every migration, oldest first. A new script must be added here (a test checks the folder against it). */
    static final List<String> NAMES = List.of("V1__schema.sql", "V2__webhooks_and_controls.sql",
            "V3__deployment_process_group.sql", "V4__evaluated_paths.sql", "V5__deployment_owner.sql",
            "V6__source_deployed_from.sql");

    private final List<Script> scripts;

    MigrationScripts() {
        this.scripts = NAMES.stream().map(name -> new Script(name, load(name))).toList();
    }

    @Override
    public LoadableResource getResource(String name) {
        return scripts.stream().filter(s -> s.getRelativePath().equals(name)).findFirst().orElse(null);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return scripts.stream()
                .filter(s -> s.getFilename().startsWith(prefix))
                .filter(s -> Arrays.stream(suffixes).anyMatch(s.getFilename()::endsWith))
                .map(LoadableResource.class::cast)
                .toList();
    }

    private static String load(String name) {
        String path = "/" + LOCATION + "/" + name;
        try (InputStream in = MigrationScripts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new StoreException("migration " + path + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + path + ": " + e.getMessage(), e);
        }
    }

    /** One script held in memory; it has no file on disk. */
    private static final class Script extends LoadableResource {
        private final String name;
        private final String content;

        Script(String name, String content) {
            this.name = name;
            this.content = content;
        }

        @Override
        public Reader read() {
            return new StringReader(content);
        }

        @Override
        public String getAbsolutePath() {
            return LOCATION + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
