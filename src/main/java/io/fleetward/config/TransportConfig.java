package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How commands reach machines ({@code fleetward.transport.*}). */
@ConfigMapping(prefix = "fleetward.transport")
public interface TransportConfig {

    /** Transport of hosts that do not name one in the overlay: local or ssh. Unset: ssh, or local for the demo. */
    @WithName("default")
    Optional<Kind> defaultTransport();

    /** The local transport ({@code fleetward.transport.local.*}). */
    Local local();

    /** A transport by the name hosts use for it in the overlay; SmallRye reads {@code local} and {@code ssh}. */
    enum Kind {
        LOCAL, SSH;

        /** The transport's name: {@code local} or {@code ssh}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Commands run on the controller itself. */
    interface Local {
        /** Demo and tests only: stand-in tools in {@code <root>/bin}, per-host state under {@code <root>/hosts}. */
        Optional<Path> simulationRoot();

        /** Extra environment variables for local commands. */
        Map<String, String> environment();
    }
}
