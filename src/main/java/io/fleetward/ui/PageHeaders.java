package io.fleetward.ui;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The headers of every dashboard response: a strict Content-Security-Policy (scripts, styles and
 * connections from this origin only, no inline script or style, no framing, no plugins, forms only
 * to this origin), no MIME sniffing, no referrer, and no caching of pages that carry fleet data.
 */
public class PageHeaders {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void secure(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        Class<?> endpoint = resource == null ? null : resource.getResourceClass();
        if (endpoint == null || !endpoint.getPackageName().equals(PageHeaders.class.getPackageName())) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", CSP);
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Referrer-Policy", "no-referrer");
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("Cache-Control", "no-store");
        if (endpoint == EventsResource.class) {
            headers.putSingle("X-Accel-Buffering", "no"); // nginx: pass events on at once
        }
    }
}
