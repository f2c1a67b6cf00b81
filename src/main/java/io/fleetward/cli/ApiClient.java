package io.fleetward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The daemon's REST API through the JDK HttpClient: every request has a timeout (a followed log
 * has the deploy's own), sends the bearer token when there is one, and turns an error answer into
 * a {@link CliException} with the daemon's reason and the matching exit code.
 */
final class ApiClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final HttpClient http;

    ApiClient(Connection connection) {
        this.connection = connection;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The body of a successful GET, as text. */
    String get(String path) {
        return send(request(path).GET().timeout(REQUEST_TIMEOUT).build());
    }

    JsonNode getJson(String path) {
        return parse(get(path));
    }

    /** POSTs {@code body} (JSON, or nothing when null); the answer's JSON. */
    JsonNode post(String path, Object body) {
        HttpRequest.Builder request = request(path).timeout(REQUEST_TIMEOUT);
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return parse(send(request.build()));
    }

    /** A streamed GET (a followed log): the body as it comes, for at most {@code timeout}. */
    InputStream stream(String path, Duration timeout) {
        HttpRequest request = request(path).GET().timeout(timeout).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() >= 400) {
                try (InputStream body = response.body()) {
                    throw refusal(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connection.url() + path))
                .header("Accept", "application/json, text/plain");
        connection.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request;
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() >= 400) {
                throw refusal(response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof HttpTimeoutException ? "timed out"
                : e instanceof ConnectException ? "connection refused" : e.toString();
        return new CliException(ExitCodes.ERROR, "cannot reach fleetward at " + connection.url() + ": " + why);
    }

    /** The daemon's {@code {"error", "detail"}} as a one-line message with the exit code of its status. */
    static CliException refusal(int status, String body) {
        String detail = body == null ? "" : body.strip();
        try {
            JsonNode error = JSON.readTree(detail);
            if (error != null && error.hasNonNull("detail")) {
                detail = error.get("detail").asText();
            }
        } catch (IOException e) {
            // not JSON: keep the text
        }
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "...";
        }
        return new CliException(ExitCodes.of(status), status + ": " + (detail.isEmpty() ? "no detail" : detail));
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "the daemon answered something that is not JSON: " + e.getMessage());
        }
    }
}
