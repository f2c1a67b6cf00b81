package io.fleetward.reconcile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.SimulatedFleet;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Deployments cut short by a crash or a shutdown are recorded as INTERRUPTED, and nothing is lost. */
@QuarkusTest
@TestProfile(RestartProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartTest {
    private static final SimulatedFleet FLEET = RestartProfile.FLEET;

    @Inject
    ReconcileLoop loop;

    @Inject
    DeploymentStore deployments;

    @Inject
    io.fleetward.store.StatusStore statuses;

    @Test
    @Order(1)
    void aDeploymentRunningWhenTheProcessDiedIsMarkedInterruptedAndItsTargetReprobed() {
        given().get("/api/v1/deployments/" + RestartProfile.CRASHED_DEPLOYMENT).then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("INTERRUPTED"))
                .body("reason", org.hamcrest.Matchers.containsString("stopped while the deployment ran"));
        // The target was probed again and converged by a new deployment.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/v1/targets/system:galena").then().statusCode(200)
                        .body("status", org.hamcrest.Matchers.equalTo("IN_SYNC")));
        assertThat(deployments.list(Optional.of(TargetId.system("galena")), 10))
                .extracting(DeploymentRecord::outcome)
                .containsExactly(DeploymentOutcome.SUCCEEDED, DeploymentOutcome.INTERRUPTED);
    }

    @Test
    @Order(2)
    void shutdownStopsARunningDeploymentAfterTheGracePeriodAndMarksItInterrupted() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/api/v1/targets/system:scheelite").then().body("status",
                        org.hamcrest.Matchers.equalTo("IN_SYNC")));
        String before = FLEET.currentSystem("scheelite");
        FLEET.deployDelay("scheelite", 120);
        FLEET.touch("modules/machines/nixos/scheelite/default.nix", "scheelite: bigger build");
        loop.request("test", true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/targets/system:scheelite").then().body("status",
                        org.hamcrest.Matchers.equalTo("DEPLOYING")));

        loop.close(); // what SIGTERM does: grace period of 1s in this profile, then stop

        DeploymentRecord last = deployments.list(Optional.of(TargetId.system("scheelite")), 1).get(0);
        assertThat(last.outcome()).isEqualTo(DeploymentOutcome.INTERRUPTED);
        assertThat(last.endedAt()).isNotNull();
        assertThat(FLEET.currentSystem("scheelite")).isEqualTo(before);
        assertThat(statuses.loadAll()).filteredOn(state -> state.target().equals(TargetId.system("scheelite")))
                .singleElement().satisfies(state -> {
                    assertThat(state.status()).isEqualTo(TargetStatus.UNKNOWN);
                    assertThat(state.reason()).isEqualTo("fleetward stopped during the deployment");
                });
        loop.request("test", true); // refused quietly: no new deployment starts after shutdown
        assertThat(deployments.list(Optional.of(TargetId.system("scheelite")), 1).get(0).id()).isEqualTo(last.id());
    }
}
