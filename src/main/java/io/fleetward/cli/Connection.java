package io.fleetward.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the daemon is and which token to send: a flag wins over the environment ({@code FLEETWARD_URL},
 * {@code FLEETWARD_TOKEN_FILE}), which wins over the config file ({@code --config}, {@code FLEETWARD_CONFIG},
 * or {@code $XDG_CONFIG_HOME/fleetward/cli.properties}, else {@code ~/.config/fleetward/cli.properties},
 * with {@code url=} and {@code token-file=}). The token is only ever read from a file, never from the
 * command line, where other users could see it.
 */
record Connection(String url, Optional<String> token) {
    static final String DEFAULT_URL = "http://localhost:8080";

    static Connection resolve(String urlFlag, Path tokenFileFlag, Path configFlag, Map<String, String> env) {
        Properties config = config(configFlag, env);
        String url = first(urlFlag, env.get("FLEETWARD_URL"), config.getProperty("url"), DEFAULT_URL);
        String tokenFile = first(tokenFileFlag == null ? null : tokenFileFlag.toString(), env.get("FLEETWARD_TOKEN_FILE"),
                config.getProperty("token-file"), null);
        url = url.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new CliException(ExitCodes.USAGE, "url: expected http://host:port or https://..., got " + url);
        }
        return new Connection(url, Optional.ofNullable(tokenFile).map(Connection::readToken));
    }

    private static Properties config(Path flag, Map<String, String> env) {
        Path file = flag;
        boolean explicit = file != null;
        if (file == null && env.get("FLEETWARD_CONFIG") != null) {
            file = Path.of(env.get("FLEETWARD_CONFIG"));
            explicit = true;
        }
        if (file == null) {
            String base = env.get("XDG_CONFIG_HOME");
            file = base != null && !base.isBlank() ? Path.of(base, "fleetward", "cli.properties")
                    : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "fleetward",
                    "cli.properties");
        }
        Properties properties = new Properties();
        if (!Files.exists(file)) {
            if (explicit) {
                throw new CliException(ExitCodes.USAGE, "config file " + file + " does not exist");
            }
            return properties;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read config file " + file + ": " + e.getMessage());
        }
        for (String key : properties.stringPropertyNames()) {
            if (!key.equals("url") && !key.equals("token-file")) {
                throw new CliException(ExitCodes.USAGE, file + ": unknown key " + key + " (expected url, token-file)");
            }
        }
        return properties;
    }

    private static String readToken(String file) {
        try {
            String token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read token file " + file + ": " + e.getMessage());
        }
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
