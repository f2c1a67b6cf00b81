package io.fleetward.api;

/** The optional body of suspend and pause: {@code {"reason": "..."}}; the reason is shown in statuses and logs. */
public record ReasonBody(String reason) {
    static final int MAX_LENGTH = 500;

    /** The reason in {@code body}, or null when there is no body or no reason. */
    static String read(byte[] body) {
        String reason = JsonBodies.optional(body, ReasonBody.class).map(ReasonBody::reason).orElse(null);
        if (reason == null || reason.isBlank()) {
            return null;
        }
        if (reason.length() > MAX_LENGTH || reason.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("reason: expected one line of at most " + MAX_LENGTH + " characters");
        }
        return reason.strip();
    }
}
