package io.fleetward.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.FleetProfile;
import io.fleetward.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large check-in uploads: the token is checked before the body is read, so a flood of uploads without
 * a valid token is refused without reading them, and a host's own token does not buy an unbounded
 * body. Java's HttpClient sends the bodies, from a generator, so the uploads cost the test JVM (which
 * is the daemon's) nothing but the bytes the daemon reads.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class CheckinFloodTest {
    private static final int UPLOADS = 100;
    private static final long TEN_MB = 10_000_000;
    private static final int MAX_BODY = 65536; // fleetward.checkin.max-body's default
    private static final String TOO_LARGE = "{\"error\":\"request entity too large\",\"detail\":\"report body larger than "
            + MAX_BODY + " bytes (fleetward.checkin.max-body)\"}";

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterAll
    static void noOutOfMemoryAndNoTokenWasLogged() {
        assertThat(LOGS.lines()).anySatisfy(line -> assertThat(line).contains("refused check-in of host \"galena\""));
        assertThat(LOGS.lines()).noneMatch(line -> line.contains("OutOfMemoryError"));
        assertThat(String.join("\n", LOGS.lines())).doesNotContain(FleetProfile.ALL_TOKENS);
    }

    @Test
    void aHundredParallelTenMegabyteUploadsWithoutAValidTokenAreRefusedUnread() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        DaemonAllocations allocations = DaemonAllocations.start();

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            // Half without a token, half with a token no host has.
            String token = i % 2 == 0 ? null : FleetProfile.randomToken();
            answers.add(client.sendAsync(upload("galena", token, TEN_MB, true), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < UPLOADS; i++) {
            HttpResponse<String> answer = answers.get(i).get();
            if (i % 2 == 0) {
                assertThat(answer.statusCode()).isEqualTo(401);
                assertThat(answer.body()).isEqualTo("{\"error\":\"unauthorized\",\"detail\":\"missing bearer token\"}");
            } else {
                assertThat(answer.statusCode()).isEqualTo(403);
                assertThat(answer.body()).isEqualTo("{\"error\":\"forbidden\",\"detail\":\"this token may not report for this host\"}");
            }
            assertThat(answer.headers().firstValue("Connection")).hasValue("close");
        }

        // 1 GB was sent; the daemon's request threads allocated a small part of it: the bodies were not read.
        assertThat(allocations.since()).isLessThan(UPLOADS * TEN_MB / 10);
        memory.gc();
        assertThat(memory.getHeapMemoryUsage().getUsed()).isLessThan(heapBefore + (64L << 20));
        given().get("/api/v1/targets").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aHostsOwnTokenDoesNotBuyALargerBodyWithOrWithoutADeclaredLength() throws Exception {
        for (boolean declared : new boolean[]{true, false}) {
            HttpResponse<String> answer = client.send(upload("galena", FleetProfile.GALENA_TOKEN, 1_000_000, declared),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as("declared length: %s", declared).isEqualTo(413);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(answer.body()).isEqualTo(TOO_LARGE);
        }
        assertThat(LOGS.lines()).filteredOn(line -> line.contains("refused check-in of host \"galena\": the body is larger"))
                .hasSize(2);
    }

    /** A check-in of {@code size} zero bytes, with a bearer token unless null, its length declared or chunked. */
    private static HttpRequest upload(String host, String token, long size, boolean declared) {
        HttpRequest.BodyPublisher zeros = HttpRequest.BodyPublishers.ofInputStream(() -> zeros(size));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/api/v1/hosts/" + host + "/report"))
                .header("Content-Type", "application/json")
                .POST(declared ? HttpRequest.BodyPublishers.fromPublisher(zeros, size) : zeros);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    /** {@code size} zero bytes, made as they are read. */
    private static InputStream zeros(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}
