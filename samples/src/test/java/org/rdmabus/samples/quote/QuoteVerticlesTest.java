package org.rdmabus.samples.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three verticles in one local Vert.x instance: what the gateway answers to good and bad requests, and to a
 * pricing or risk service that is missing, silent or broken. The clustered run is {@code QuoteServiceRunTest}'s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuoteVerticlesTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HopTimings> recorded = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private int port;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    @Test
    void aGoodRequestGetsTheModelsPriceAndNestedTimings() throws Exception {
        deploy(new RiskVerticle(), new PricingVerticle());
        startGateway();

        HttpResponse<String> response = get("/quote?symbol=ACME&qty=100");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        JsonObject json = new JsonObject(response.body());
        assertEquals("ACME", json.getString("symbol"));
        assertEquals(100, json.getInteger("qty"));
        assertEquals(24_258L, json.getLong("unitPriceCents"));
        assertEquals(36, json.getInteger("riskBps"));
        assertEquals(2_434_533L, json.getLong("priceCents"));
        assertEquals("24345.33", json.getString("price"));
        long pid = ProcessHandle.current().pid();
        assertEquals(new JsonObject().put("gateway", pid).put("pricing", pid).put("risk", pid),
            json.getJsonObject("pids"), "one process here: all three name it");
        HopTimings hops = HopTimings.fromJson(json.getJsonObject("latencyNanos"));
        assertTrue(hops.pricingToRiskNanos() > 0, hops.toString());
        assertTrue(hops.gatewayToPricingNanos() >= hops.pricingToRiskNanos(), "pricing's call is inside: " + hops);
        assertTrue(hops.totalNanos() >= hops.gatewayToPricingNanos(), "the gateway's call is inside: " + hops);
        assertEquals(List.of(hops), recorded, "the gateway tells its listener exactly what it answered");
    }

    @Test
    void badRequestsAreRefusedWithTheReasonAndReachNoService() throws Exception {
        List<Object> pricingCalls = new CopyOnWriteArrayList<>();
        await(vertx.eventBus().consumer(PricingVerticle.ADDRESS, message -> pricingCalls.add(message.body()))
            .completion());
        startGateway();

        assertError(get("/quote?symbol=acme&qty=100"), 400, "symbol must be 1 to 8 upper-case letters");
        assertError(get("/quote?symbol=ACME&qty=0"), 400, "qty must be between 1 and 1000000");
        assertError(get("/quote?symbol=ACME"), 400, "qty is missing");
        assertError(get("/quote?qty=5"), 400, "not missing");
        assertError(get("/quotes?symbol=ACME&qty=5"), 404, "no such resource: /quotes");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/quote?symbol=ACME&qty=100"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertError(post, 405, "only GET");
        assertEquals("GET", post.headers().firstValue("allow").orElse(""));
        assertEquals(List.of(), pricingCalls, "nothing malformed went on the bus");
        assertEquals(List.of(), recorded, "and no timings were recorded for it");
    }

    @Test
    void missingServicesAreUnavailableAndNamed() throws Exception {
        startGateway();
        assertError(get("/quote?symbol=ACME&qty=1"), 503, "pricing is not reachable");

        deploy(new PricingVerticle());
        assertError(get("/quote?symbol=ACME&qty=1"), 503, "risk is not reachable");
        assertEquals(List.of(), recorded);
    }

    @Test
    void aSilentRiskServiceTimesOutThroughPricing() throws Exception {
        await(vertx.eventBus().consumer(RiskVerticle.ADDRESS, message -> { }).completion());
        deploy(new PricingVerticle());
        startGateway();
        long start = System.nanoTime();
        assertError(get("/quote?symbol=ACME&qty=1"), 504, "risk did not answer in time");
        long waited = System.nanoTime() - start;
        assertTrue(waited >= PricingVerticle.RISK_TIMEOUT.toNanos(), "pricing waited its time-out: " + waited);
    }

    @Test
    void brokenRepliesAreBadGatewayNotWrongQuotes() throws Exception {
        await(vertx.eventBus().consumer(RiskVerticle.ADDRESS, message -> message.reply(new JsonObject()
            .put("riskBps", "lots").put("pid", 1))).completion());
        deploy(new PricingVerticle());
        startGateway();
        assertError(get("/quote?symbol=ACME&qty=1"), 502, "risk sent a malformed reply");

        await(vertx.eventBus().consumer(RiskVerticle.ADDRESS, message -> message.fail(500, "risk is down"))
            .completion());
        // Two consumers: Vert.x alternates between them; both answers must be errors, never a price.
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get("/quote?symbol=ACME&qty=1");
            assertTrue(response.statusCode() == 502 || response.statusCode() == 500, response.body());
            assertTrue(new JsonObject(response.body()).containsKey("error"), response.body());
        }
        assertEquals(List.of(), recorded);
    }

    @Test
    void pricingAndRiskRefuseMalformedRequestsOnTheBus() throws Exception {
        deploy(new RiskVerticle(), new PricingVerticle());
        assertRefused(PricingVerticle.ADDRESS, new JsonObject().put("symbol", "ACME"), "qty must be an integer");
        assertRefused(PricingVerticle.ADDRESS, "ACME x 100", "expected a JSON object");
        assertRefused(RiskVerticle.ADDRESS, new JsonObject().put("symbol", "ACME").put("qty", 1),
            "'notionalCents' must be an integer");
        assertRefused(RiskVerticle.ADDRESS, new JsonObject().put("symbol", "ACME").put("qty", 1)
            .put("notionalCents", -1), "cannot be negative");
    }

    @Test
    void theGatewayListensOnLoopbackOnly() {
        assertEquals("127.0.0.1", GatewayVerticle.HOST);
        assertTrue(assertThrowsIllegal(() -> new GatewayVerticle(65_536)).contains("not a TCP port"));
        assertTrue(assertThrowsIllegal(() -> new GatewayVerticle(0).actualPort()).contains("has not started"));
    }

    private void assertRefused(String address, Object body, String message) throws InterruptedException {
        try {
            await(vertx.eventBus().request(address, body));
            throw new AssertionError(address + " accepted " + body);
        } catch (ExecutionException e) {
            ReplyException reply = (ReplyException) e.getCause();
            assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType());
            assertEquals(400, reply.failureCode());
            assertTrue(reply.getMessage().contains(message), "'" + reply.getMessage() + "' says '" + message + "'");
        }
    }

    private static String assertThrowsIllegal(org.junit.jupiter.api.function.Executable executable) {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, executable);
        assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, e.toString());
        return e.getMessage();
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        String error = new JsonObject(response.body()).getString("error");
        assertTrue(error != null && error.contains(message), "'" + error + "' says '" + message + "'");
    }

    private void deploy(io.vertx.core.Deployable... verticles) throws Exception {
        for (io.vertx.core.Deployable verticle : verticles) {
            await(vertx.deployVerticle(verticle));
        }
    }

    private void startGateway() throws Exception {
        GatewayVerticle gateway = new GatewayVerticle(0, recorded::add);
        await(vertx.deployVerticle(gateway));
        port = gateway.actualPort();
        assertTrue(port > 0);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private static <T> T await(Future<T> future) throws ExecutionException, InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 30 s", e);
        }
    }
}
