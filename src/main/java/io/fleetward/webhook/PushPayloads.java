package io.fleetward.webhook;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the push payloads of each provider into a {@link PushEvent}. Only a few fields are read;
 * everything else in the payload is ignored.
 *
 * <p>The generic payload, for senders that are not a forge (a CI job, a script), is
 * <pre>{"repository": "owner/name", "ref": "refs/heads/main", "after": "&lt;40 or 64 hex commit id&gt;"}</pre>
 * where {@code repository} may also be a clone URL. Unknown fields are ignored.
 */
final class PushPayloads {

    private final ObjectMapper json = new ObjectMapper();

    /** The push described by {@code body}, a signed request of {@code provider}. */
    PushEvent parse(Provider provider, byte[] body) throws PayloadException {
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
