package io.fleetward.webhook;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code POST /webhooks/{github,gitea,gitlab,generic}}. Takes the body as a stream so that
 * {@link Webhooks} reads at most max-body + 1 bytes of it; every decision is made there.
 */
@Path("/webhooks")
public class WebhookResource {

    @Inject
    Webhooks webhooks;

    @POST
    @Path("{provider}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@PathParam("provider") String provider, @Context HttpHeaders headers, InputStream body) {
        WebhookResponse answer = webhooks.receive(provider,
                name -> Optional.ofNullable(headers.getHeaderString(name)), body);
        return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(answer.body()).build();
    }
}
