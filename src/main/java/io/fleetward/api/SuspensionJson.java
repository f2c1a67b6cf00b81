package io.fleetward.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A target's automatic deployments after a suspend or resume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuspensionJson(String target, boolean suspended, String reason) {
}
