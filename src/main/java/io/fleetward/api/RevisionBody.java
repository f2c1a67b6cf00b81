package io.fleetward.api;

/** The body of {@code POST /api/v1/source/accept}: {@code {"revision": "<full commit id>"}}. */
public record RevisionBody(String revision) {

    /** The full, lower-case commit id in {@code body}. */
    static String read(byte[] body) {
        String revision = JsonBodies.required(body, RevisionBody.class).revision();
        if (revision == null || !revision.matches("[0-9a-f]{40}")) {
            throw new BadRequestException("revision: expected a full commit id (40 lower-case hex digits)");
        }
        return revision;
    }
}
