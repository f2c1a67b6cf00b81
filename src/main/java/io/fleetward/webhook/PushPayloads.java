package io.fleetward.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the push payloads of each provider into a {@link PushEvent}. Only a few fields are read;
 * everything else in the payload is ignored.
 *
 * <p>The generic payload, for senders that are not a forge (a CI job, a script), is
 * <pre>{"repository": "owner/name", "ref": "refs/heads/main", "after": "&lt;40 or 64 hex commit id&gt;"}</pre>
 * where {@code repository} may also be a clone URL. Unknown fields are ignored. Every field is
 * optional: an empty body or {@code {}} (a cron job, a CI step that only wants a fetch now) is a push
 * that names nothing, and the receiver checks only the fields that are present.
 */
final class PushPayloads {

    private final ObjectMapper json = new ObjectMapper();

    /** The push described by {@code body}, a signed request of {@code provider}. */
    PushEvent parse(Provider provider, byte[] body) throws PayloadException {
        if (provider == Provider.GENERIC) {
            return generic(body);
        }
        JsonNode root = readObject(body);
        List<String> repositories = switch (provider) {
            case GITHUB, GITEA -> texts(root.path("repository"), "full_name", "clone_url", "ssh_url", "html_url");
            case GITLAB -> texts(root.path("project"), "path_with_namespace", "git_http_url", "git_ssh_url",
                    "web_url");
            case GENERIC -> texts(root, "repository");
        };
        if (repositories.isEmpty()) {
            throw new PayloadException(provider == Provider.GITLAB ? "payload has no project.path_with_namespace"
                    : provider == Provider.GENERIC ? "payload has no repository" : "payload has no repository.full_name");
        }
        String ref = requiredText(root, "ref");
        String after = requiredText(root, "after");
        try {
            return new PushEvent(repositories, ref, after);
        } catch (IllegalArgumentException e) {
            throw new PayloadException("after must be a 40 or 64 digit hex commit id");
        }
    }

    /** A generic request: each of repository, ref and after checked only when present. */
    private PushEvent generic(byte[] body) throws PayloadException {
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return new PushEvent(List.of(), Optional.empty(), Optional.empty());
        }
        JsonNode root = readObject(body);
        Optional<String> ref = optionalText(root, "ref");
        Optional<String> after = optionalText(root, "after");
        List<String> repositories = new ArrayList<>();
        if (root.has("repository")) {
            repositories = texts(root, "repository");
            if (repositories.isEmpty()) {
                throw new PayloadException("repository must be a non-empty string");
            }
        }
        try {
            return new PushEvent(repositories, ref, after);
        } catch (IllegalArgumentException e) {
            throw new PayloadException("after must be a 40 or 64 digit hex commit id");
        }
    }

    /** The field's text when the field is present; present but not a non-empty string is malformed. */
    private static Optional<String> optionalText(JsonNode root, String field) throws PayloadException {
        if (!root.has(field) || root.get(field).isNull()) {
            return Optional.empty();
        }
        JsonNode value = root.get(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new PayloadException(field + " must be a non-empty string");
        }
        return Optional.of(value.asText());
    }

    private JsonNode readObject(byte[] body) throws PayloadException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            // The location only: the parser's message quotes the body.
            JsonLocation at = e.getLocation();
            throw new PayloadException("body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new PayloadException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new PayloadException("body is not a JSON object");
        }
        return root;
    }

    private static String requiredText(JsonNode root, String field) throws PayloadException {
        JsonNode value = root.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new PayloadException("payload has no " + field);
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String... fields) {
        List<String> values = new ArrayList<>();
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                values.add(value.asText());
            }
        }
        return values;
    }
}
