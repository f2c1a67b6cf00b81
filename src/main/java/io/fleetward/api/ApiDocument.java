package io.fleetward.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header (served at {@code /q/openapi}) and the bearer scheme mutating endpoints use. */
@OpenAPIDefinition(info = @Info(title = "fleetward API", version = "1",
        description = "Status and control of the fleetward GitOps daemon. Mutating requests need"
                + " Authorization: Bearer <token> (configured by SHA-256 in fleetward.api.token-hashes); errors are"
                + " {\"error\": ..., \"detail\": ...}."))
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer")
public class ApiDocument extends Application {
    static final String BEARER = "bearer";
}
