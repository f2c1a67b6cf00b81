package io.fleetward.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.fleet.CommitId;
import io.fleetward.reconcile.FleetEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An event written for people (one line) and for programs (the JSON body every notifier shares). */
final class EventText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventText() {
    }

    /**
     * The JSON body: {@code event}, {@code target}, {@code host}, {@code tags}, {@code revision},
     * {@code outcome}, {@code reason}, {@code at} (null where the event has none).
     */
    static byte[] json(FleetEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.kind().id());
        body.put("target", event.target() == null ? null : event.target().toString());
        body.put("host", event.host());
        body.put("tags", event.tags());
        body.put("revision", event.revision());
        body.put("outcome", event.outcome());
        body.put("reason", event.reason());
        body.put("at", event.at().toString());
        return write(body);
    }

    /** A JSON document from plain maps, lists and strings. */
    static byte[] write(Object document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps and strings always serialise", e);
        }
    }

    /** A short title: {@code deployment failed: system:galena}. */
    static String title(FleetEvent event) {
        return event.kind().id().replace('-', ' ') + ": " + subject(event);
    }

    /** One line: {@code deployment failed: system:galena at 1a2b3c4 (failed): exit 1 ...}. */
    static String line(FleetEvent event) {
        StringBuilder text = new StringBuilder(title(event));
        if (event.revision() != null) {
            text.append(" at ").append(CommitId.abbreviate(event.revision()));
        }
        if (event.outcome() != null) {
            text.append(" (").append(event.outcome()).append(')');
        }
        if (!event.reason().isEmpty()) {
            text.append(": ").append(event.reason());
        }
        return text.toString();
    }

    /** The target, or "the fleet" for a fleet-wide event. */
    static String subject(FleetEvent event) {
        return event.target() == null ? "the fleet" : event.target().toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
