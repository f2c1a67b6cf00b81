package io.fleetward.notify;

import io.fleetward.config.NotifyConfig.Forge;
import io.fleetward.reconcile.FleetEvent;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A commit status per target on the revision it concerns, so that the forge shows which machines run
 * a push: context {@code fleetward/<target>}, state {@code pending} when a deployment starts,
 * {@code success} when it succeeded, {@code failure} when it failed or the target was rolled back
 * from it. Other events (and events without a target or a full revision) are not the forge's
 * business: nothing is sent.
 *
 * <table>
 * <caption>requests by forge</caption>
 * <tr><th>forge</th><th>request</th><th>token</th></tr>
 * <tr><td>GitHub</td><td>{@code POST <url>/repos/<owner>/<name>/statuses/<sha>},
 *     {@code {"state", "description", "context"}}</td><td>{@code Authorization: Bearer}</td></tr>
 * <tr><td>Gitea, Forgejo</td><td>{@code POST <url>/api/v1/repos/<owner>/<name>/statuses/<sha>}, same body</td>
 *     <td>{@code Authorization: token}</td></tr>
 * <tr><td>GitLab</td><td>{@code POST <url>/api/v4/projects/<url-encoded path>/statuses/<sha>},
 *     {@code {"state", "description", "name"}} (state {@code failed} for failure)</td><td>{@code PRIVATE-TOKEN}</td></tr>
 * </table>
 */
final class CommitStatusChannel implements Channel {
    /** A full commit id: only such a revision is put in a URL. */
    private static final Pattern FULL_REVISION = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    /** One segment of a repository path: nothing that needs escaping in a URL path. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");
    /** GitHub's limit on a description; the others take at least as much. */
    static final int MAX_DESCRIPTION = 140;

    private final Forge forge;
    private final String base;
    private final String repository;
    private final String token;

    /**
     * @param base       the forge's base URL (GitHub: its API URL), without a trailing slash
     * @param repository {@code owner/name}; GitLab: the project's full path
     */
    CommitStatusChannel(Forge forge, URI base, String repository, String token) {
        this.forge = forge;
        this.base = base.toString().replaceAll("/+$", "");
        this.repository = checkedRepository(forge, repository);
        this.token = token;
    }

    /** The repository if it is a valid path for the forge, else an exception saying what is expected. */
    static String checkedRepository(Forge forge, String repository) {
        String[] segments = repository.split("/", -1);
        boolean valid = forge == Forge.GITLAB ? segments.length >= 2 : segments.length == 2;
        for (String segment : segments) {
            valid &= SEGMENT.matcher(segment).matches() && !segment.equals(".") && !segment.equals("..");
        }
        if (!valid) {
            throw new IllegalArgumentException("expected " + (forge == Forge.GITLAB ? "group[/subgroup...]/project"
                    : "owner/name") + ", got \"" + repository + "\"");
        }
        return repository;
    }

    /** The forge's public base URL, when it has one. */
    static Optional<URI> defaultBase(Forge forge) {
        return switch (forge) {
            case GITHUB -> Optional.of(URI.create("https://api.github.com"));
            case GITLAB -> Optional.of(URI.create("https://gitlab.com"));
            case GITEA -> Optional.empty();
        };
    }

    @Override
    public Optional<HttpCall> call(FleetEvent event) {
        Optional<String> state = state(event.kind());
        if (state.isEmpty() || event.target() == null || event.revision() == null
                || !FULL_REVISION.matcher(event.revision()).matches()) {
            return Optional.empty();
        }
        String context = "fleetward/" + event.target();
        String description = description(event);
        Map<String, String> body = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        String path;
        switch (forge) {
            case GITHUB -> {
                path = "/repos/" + repository + "/statuses/" + event.revision();
                headers.put("Accept", "application/vnd.github+json");
                headers.put("X-GitHub-Api-Version", "2022-11-28");
                headers.put("Authorization", "Bearer " + token);
                body.put("state", state.get());
                body.put("context", context);
            }
            case GITEA -> {
                path = "/api/v1/repos/" + repository + "/statuses/" + event.revision();
                headers.put("Authorization", "token " + token);
                body.put("state", state.get());
                body.put("context", context);
            }
            case GITLAB -> {
                path = "/api/v4/projects/" + repository.replace("/", "%2F") + "/statuses/" + event.revision();
                headers.put("PRIVATE-TOKEN", token);
                body.put("state", state.get().equals("failure") ? "failed" : state.get());
                body.put("name", context);
            }
            default -> throw new IllegalStateException("unknown forge " + forge);
        }
        body.put("description", description);
        return Optional.of(new HttpCall(URI.create(base + path), headers, EventText.write(body)));
    }

    /** GitHub's and Gitea's state for a kind of event; GitLab says {@code failed} for {@code failure}. */
    static Optional<String> state(FleetEvent.Kind kind) {
        return switch (kind) {
            case DEPLOYMENT_STARTED -> Optional.of("pending");
            case DEPLOYMENT_SUCCEEDED -> Optional.of("success");
            case DEPLOYMENT_FAILED, ROLLED_BACK -> Optional.of("failure");
            default -> Optional.empty();
        };
    }

    private static String description(FleetEvent event) {
        String text = switch (event.kind()) {
            case DEPLOYMENT_STARTED -> "deploying to " + event.host();
            case DEPLOYMENT_SUCCEEDED -> "deployed to " + event.host();
            case ROLLED_BACK -> "rolled back on " + event.host() + ": " + event.reason();
            default -> "deployment to " + event.host() + " " + event.outcome() + ": " + event.reason();
        };
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 3) + "...";
    }
}
