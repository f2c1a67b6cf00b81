package io.fleetward.notify;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One POST a notifier sends for one event.
 *
 * @param uri     where to
 * @param headers request headers, in order (may hold secrets: never logged)
 * @param body    the body as sent
 */
record HttpCall(URI uri, Map<String, String> headers, byte[] body) {
    HttpCall {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
