package io.fleetward.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Optional;

/**
 * Reads request bodies. Bodies arrive as raw bytes so that a missing Content-Type or an empty body
 * for an optional one is not the framework's business, and every mistake gets the same 400 answer
 * with a reason. The reason names the problem and its place, never echoes the whole input.
 */
final class JsonBodies {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBodies() {
    }

    /** The body as {@code type}, or empty when there is none (zero bytes or only white space). */
    static <T> Optional<T> optional(byte[] body, Class<T> type) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(body, type));
        } catch (JsonProcessingException e) {
            throw new BadRequestException("malformed JSON body: " + reason(e));
        } catch (java.io.IOException e) {
            throw new BadRequestException("unreadable body");
        }
    }

    /** The body as {@code type}; an empty body is malformed. */
    static <T> T required(byte[] body, Class<T> type) {
        return optional(body, type).orElseThrow(() -> new BadRequestException("malformed JSON body: the body is empty"));
    }

    /** Jackson's first message line (without its source excerpt, control characters or more than 200 characters), and where. */
    private static String reason(JsonProcessingException e) {
        String what = e.getOriginalMessage().lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "?");
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return (what.length() > 200 ? what.substring(0, 200) + "..." : what) + where;
    }
}
