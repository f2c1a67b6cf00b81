package io.fleetward.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.fleetward.FleetProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With read-requires-token, every API read needs the token too; health, metrics and OpenAPI stay open. */
@QuarkusTest
@TestProfile(ReadTokenProfile.class)
class ReadTokenTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/targets", "/api/v1/targets/system:galena", "/api/v1/deployments",
            "/api/v1/deployments/1/log", "/api/v1/source", "/api/v1/fleet", "/api/v1/plan"})
    void readsNeedTheToken(String path) {
        given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"fleetward\"")
                .body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer " + FleetProfile.randomToken()).get(path).then().statusCode(401)
                .body("detail", equalTo("invalid bearer token"));
        given().header("Authorization", "Bearer " + ReadTokenProfile.TOKEN).get(path).then()
                .statusCode(not(equalTo(401)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health/live", "/q/metrics", "/q/openapi"})
    void operationalEndpointsStayOpen(String path) {
        given().get(path).then().statusCode(200);
    }

    @Test
    void theTokenFromTheFileAllowsMutatingRequests() {
        given().post("/api/v1/refresh").then().statusCode(401);
        given().header("Authorization", "Bearer " + ReadTokenProfile.TOKEN).post("/api/v1/refresh").then()
                .statusCode(202).body(not(containsString(ReadTokenProfile.TOKEN)));
    }
}
