package io.fleetward.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a request the loop carries out asynchronously (202): what was requested, for which target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(String requested, String target) {
}
