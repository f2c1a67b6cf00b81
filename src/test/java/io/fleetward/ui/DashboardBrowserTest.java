package io.fleetward.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (headless Chromium driven by chromium-driver) against the shared
 * reference fleet: the fleet page, a cell following a commit live, a deployment's log streaming,
 * actions with and without a token, and hostile text shown as text.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;
    private static final Duration LIVE = Duration.ofSeconds(30);
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("fleetward-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("fleetward.test.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("fleetward.test.chromedriver",
                        "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void convergedFleetAndNoToken() {
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
        open("/ui/fleetward.css"); // same origin, so the session storage below is this origin's
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    }

    @Test
    @Order(1)
    void theFleetPageShowsTheDemoFleetWithAStrictPolicy() {
        open("/");
        List<String> cells = browser.findElements(By.cssSelector("a.cell[data-target]")).stream()
                .map(cell -> cell.getAttribute("data-target")).sorted().toList();
        assertThat(cells).isEqualTo(FleetApi.REFERENCE_TARGETS);
        assertThat(text("[data-count='IN_SYNC']")).isEqualTo("10");
        assertThat(browser.findElement(By.cssSelector("a.cell[data-target='system:galena'] .st")).getText())
                .isEqualTo("IN_SYNC");
        String revision = given().get("/api/v1/source").then().extract().path("revision");
        assertThat(text("[data-field='revision']")).isEqualTo(revision.substring(0, 12));
        assertThat(browser.findElement(By.cssSelector("tr th[scope=row]")).getText()).isEqualTo("argentum");
        await().atMost(LIVE).until(() -> browser.findElement(By.id("live")).getAttribute("class").contains("on"));
        await().atMost(LIVE).until(() -> FleetApi.metrics().lines()
                .anyMatch(line -> line.matches("fleetward_ui_streams_open [1-9].*")));

        given().get("/").then().statusCode(200).header("Content-Security-Policy", PageHeaders.CSP)
                .header("X-Content-Type-Options", "nosniff");
        // The filters: only darwin hosts.
        given().queryParam("platform", "darwin").get("/").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-target=\"system:argentum\""))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("data-target=\"system:galena\"")));
    }

    @Test
    @Order(2)
    void aCommitTurnsTheCellDriftedThenDeployingThenInSyncWithoutReload() {
        open("/");
        JavascriptExecutor js = browser;
        js.executeScript("window.fleetwardNotReloaded = true");
        String cell = "a.cell[data-target='system:galena'] .st";
        authorized().post("/api/v1/fleet/pause").then().statusCode(200);
        try {
            FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
            authorized().post("/api/v1/refresh").then().statusCode(202);
            await().atMost(LIVE).until(() -> text(cell).equals("DRIFTED"));
            assertThat(text("[data-field='paused']")).startsWith("paused");
            FLEET.holdDeploys("galena", true);
            authorized().post("/api/v1/fleet/resume").then().statusCode(200);
            await().atMost(LIVE).until(() -> text(cell).equals("DEPLOYING"));
            assertThat(text("[data-count='DEPLOYING']")).isEqualTo("1");
        } finally {
            FLEET.holdDeploys("galena", false);
            authorized().post("/api/v1/fleet/resume").then().statusCode(200);
        }
        await().atMost(LIVE).until(() -> text(cell).equals("IN_SYNC"));
        assertThat(text("[data-field='paused']")).isEqualTo("running");
        assertThat(js.executeScript("return window.fleetwardNotReloaded === true")).isEqualTo(true);
    }

    @Test
    @Order(3)
    void aRunningDeploymentsLogStreamsIntoItsPage() {
        FLEET.holdDeploys("blackphos", true);
        long id;
        try {
            authorized().post("/api/v1/targets/system:blackphos/sync").then().statusCode(202);
            id = await().atMost(LIVE).until(() -> {
                Map<String, Object> last = deployments("system:blackphos").get(0);
                return "RUNNING".equals(last.get("outcome")) && "sync system:blackphos".equals(last.get("trigger"))
                        ? ((Number) last.get("id")).longValue() : null;
            }, java.util.Objects::nonNull);
            await().atMost(LIVE).until(() -> given().get("/api/v1/deployments/" + id).then().extract()
                    .<String>path("log").contains("copying path"));
            open("/deployments/" + id);
            assertThat(text("#outcome")).isEqualTo("RUNNING");
            assertThat(text("#log")).contains("copying path").doesNotContain("# outcome:");
            ((JavascriptExecutor) browser).executeScript("window.fleetwardNotReloaded = true");
        } finally {
            FLEET.holdDeploys("blackphos", false);
        }
        await().atMost(LIVE).until(() -> text("#log").contains("# outcome: SUCCEEDED"));
        assertThat(text("#log")).contains("[blackphos] activating the configuration...");
        await().atMost(LIVE).until(() -> text("#outcome").equals("SUCCEEDED"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.fleetwardNotReloaded === true"))
                .isEqualTo(true);
        // What streamed is the log as the API has it, once.
        String whole = given().get("/api/v1/deployments/" + id + "/log").then().statusCode(200).extract().asString();
        assertThat(text("#log").strip()).isEqualTo(whole.strip());
    }

    @Test
    @Order(4)
    void syncWithoutATokenIsRefusedVisiblyAndWithTheTokenItDeploys() {
        int before = deployments("system:cinnabar").size();
        open("/targets/system:cinnabar");
        click("button[data-action='sync']");
        await().atMost(LIVE).until(() -> browser.findElement(By.id("token-dialog")).isDisplayed());
        click("#token-none");
        await().atMost(LIVE).until(() -> browser.findElement(By.id("message")).isDisplayed()
                && text("#message").contains("refused (401)"));
        assertThat(text("#message")).contains("sync of system:cinnabar", "missing bearer token");
        assertThat(deployments("system:cinnabar")).hasSize(before);

        click("button[data-action='sync']");
        await().atMost(LIVE).until(() -> browser.findElement(By.id("token-dialog")).isDisplayed());
        browser.findElement(By.id("token-input")).sendKeys(FleetProfile.TOKEN);
        click("#token-save");
        await().atMost(LIVE).until(() -> text("#message").contains("sync of system:cinnabar: done (202)"));
        await().atMost(LIVE).untilAsserted(() -> {
            List<Map<String, Object>> history = deployments("system:cinnabar");
            assertThat(history).hasSize(before + 1);
            assertThat(history.get(0)).containsEntry("outcome", "SUCCEEDED")
                    .containsEntry("trigger", "sync system:cinnabar");
        });
        // The page's history shows the new deployment without a reload (the target's status moved).
        await().atMost(LIVE).until(() -> browser.findElements(By.cssSelector("table.history tbody tr")).size()
                == Math.min(Pages.HISTORY, before + 1));
        // The token is kept in the tab: a second action needs no dialog.
        click("button[data-action='rollback']");
        await().atMost(LIVE).until(() -> text("#message").contains("rollback of system:cinnabar: done"));
        assertThat(browser.findElement(By.id("token-dialog")).isDisplayed()).isFalse();
        await().atMost(LIVE).untilAsserted(() -> assertThat(deployments("system:cinnabar").get(0))
                .containsEntry("outcome", "ROLLED_BACK").containsEntry("trigger", "rollback"));
        // Rolled back, the revision is held on cinnabar: a sync deploys it again (the daemon is shared).
        click("button[data-action='sync']");
        await().atMost(LIVE).untilAsserted(() -> assertThat(deployments("system:cinnabar").get(0))
                .containsEntry("outcome", "SUCCEEDED").containsEntry("trigger", "sync system:cinnabar"));
    }

    @Test
    @Order(5)
    void hostileNamesAndCommitSubjectsAreShownAsText() {
        String hostileHost = "<img src=x id=hostile-host onerror=document.title='pwned'>";
        String folder = "modules/machines/nixos/" + hostileHost + "/default.nix";
        String hostileSubject = "<b id=hostile-subject>bold</b> & <script>document.title='pwned'</script>";
        String revision = FLEET.commit(folder, "{ }\n", hostileSubject);
        String removal = "<i id=hostile-live>gone</i> <img src=x onerror=document.title='pwned'>";
        try {
            authorized().post("/api/v1/refresh").then().statusCode(202);
            await().atMost(LIVE).until(() -> revision.equals(given().get("/api/v1/source").then().extract()
                    .path("inventoryRevision")) && !given().get("/api/v1/source").then().extract()
                    .<List<?>>path("inventoryProblems").isEmpty());
            open("/");
            assertThat(text("#inventory-problems")).contains(hostileHost);
            assertThat(text("[data-field='subject']")).isEqualTo(hostileSubject);
            assertThat(browser.findElements(By.id("hostile-host"))).isEmpty();
            assertThat(browser.findElements(By.id("hostile-subject"))).isEmpty();
            // A subject that arrives by the live stream is text too.
            removeFromRepository(folder, removal);
            authorized().post("/api/v1/refresh").then().statusCode(202);
            await().atMost(LIVE).until(() -> text("[data-field='subject']").equals(removal));
            assertThat(browser.findElements(By.id("hostile-live"))).isEmpty();
            assertThat(browser.getTitle()).isNotEqualTo("pwned");
            assertThat(browser.getPageSource()).contains("&lt;img src=x id=hostile-host");
        } finally {
            if (Files.exists(FLEET.root().resolve("repo").resolve(folder))) {
                removeFromRepository(folder, "remove the host named with HTML");
            }
            authorized().post("/api/v1/refresh").then().statusCode(202);
        }
        await().atMost(LIVE).until(() -> given().get("/api/v1/source").then().extract()
                .<List<?>>path("inventoryProblems").isEmpty());
    }

    private static void removeFromRepository(String path, String message) {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(FLEET.root().resolve("repo").toFile())) {
            git.rm().addFilepattern(path).call();
            org.eclipse.jgit.lib.PersonIdent who = new org.eclipse.jgit.lib.PersonIdent("fleetward test",
                    "test@fleetward.invalid");
            git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false)
                    .call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void open(String path) {
        browser.get("http://localhost:" + RestAssured.port + path);
    }

    /**
     * The text of the first element {@code css} finds, or "". Live updates replace a page's content
     * (a target or deployment page fetches itself again), so an element found may be gone a moment
     * later: then it is looked up again.
     */
    private static String text(String css) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<WebElement> found = browser.findElements(By.cssSelector(css));
                return found.isEmpty() ? "" : found.get(0).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Clicks the element {@code css} finds, looking it up again when the page replaced it meanwhile. */
    private static void click(String css) {
        await().atMost(LIVE).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> {
            browser.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + FleetProfile.TOKEN);
    }

    private static List<Map<String, Object>> deployments(String target) {
        return given().queryParam("target", target).queryParam("limit", 1000).get("/api/v1/deployments").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }
}
