package org.rdmabus.samples.quote;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The HTTP gateway: serves {@code GET /quote?symbol=ACME&qty=100} on {@value #HOST} by asking the
 * {@link PricingVerticle pricing service} over the event bus, and answers with a {@link Quote} as JSON, including
 * the {@link HopTimings} of every hop.
 *
 * <p>Statuses: 200 with the quote; 400 for a malformed request; 404 for another path; 405 for another method; 502,
 * 503 or 504 (with {@code {"error":..}}) when pricing or risk fails, is unreachable or is too slow.
 */
public final class GatewayVerticle extends VerticleBase {

    /** The only interface the gateway listens on. */
    public static final String HOST = "127.0.0.1";
    /** The path of the quote resource. */
    public static final String PATH = "/quote";
    /** How long the gateway waits for pricing, which itself waits less for risk. */
    public static final Duration PRICING_TIMEOUT = Duration.ofSeconds(3);

    private static final int OK = 200;
    private static final int NOT_FOUND = 404;
    private static final int METHOD_NOT_ALLOWED = 405;
    private static final String ERROR = "error";
    private static final String JSON = "application/json";

    private final int port;
    private final Consumer<HopTimings> onQuote;
    private final long pid = ProcessHandle.current().pid();
    private final DeliveryOptions toPricing = new DeliveryOptions().setSendTimeout(PRICING_TIMEOUT.toMillis());
    private HttpServer server;

    /**
     * @param port the TCP port on {@value #HOST}; 0 picks a free one, see {@link #actualPort()}.
     */
    public GatewayVerticle(int port) {
        this(port, timings -> { });
    }

    /**
     * @param port    the TCP port on {@value #HOST}; 0 picks a free one, see {@link #actualPort()}.
     * @param onQuote told the timings of every quote served, on the gateway's event loop: it must not block.
     */
    public GatewayVerticle(int port, Consumer<HopTimings> onQuote) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
        this.port = port;
        this.onQuote = onQuote;
    }

    /** @return once the HTTP server listens. */
    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
            .requestHandler(this::handle);
        return server.listen();
    }

    /**
     * @return the port the gateway listens on.
     * @throws IllegalStateException before the verticle started.
     */
    public int actualPort() {
        if (server == null) {
            throw new IllegalStateException("the gateway has not started");
        }
        return server.actualPort();
    }

    private void handle(HttpServerRequest http) {
        long received = System.nanoTime();
        if (!PATH.equals(http.path())) {
            fail(http, NOT_FOUND, "no such resource: " + http.path() + "; try GET " + PATH + "?symbol=ACME&qty=100");
            return;
        }
        if (http.method() != HttpMethod.GET) {
            http.response().putHeader(HttpHeaders.ALLOW, HttpMethod.GET.name());
            fail(http, METHOD_NOT_ALLOWED, "only GET is allowed on " + PATH);
            return;
        }
        QuoteRequest request;
        try {
            request = QuoteRequest.parse(http.getParam(QuoteRequest.SYMBOL), http.getParam(QuoteRequest.QTY));
        } catch (IllegalArgumentException e) {
            fail(http, Failures.BAD_REQUEST, e.getMessage());
            return;
        }
        long sent = System.nanoTime();
        vertx.eventBus().<Object>request(PricingVerticle.ADDRESS, request.toJson(), toPricing).onComplete(reply -> {
            long gatewayToPricing = System.nanoTime() - sent;
            answer(http, request, reply, received, gatewayToPricing);
        });
    }

    private void answer(HttpServerRequest http, QuoteRequest request, AsyncResult<Message<Object>> pricing,
                        long received, long gatewayToPricingNanos) {
        if (pricing.failed()) {
            fail(http, Failures.status(pricing.cause()), Failures.describe("pricing", pricing.cause()));
            return;
        }
        Quote quote;
        try {
            JsonObject body = Fields.body(pricing.result().body());
            HopTimings latency = new HopTimings(gatewayToPricingNanos,
                Fields.requiredLong(body, PricingVerticle.PRICING_TO_RISK_NANOS), System.nanoTime() - received);
            quote = new Quote(request, Fields.requiredLong(body, Quote.UNIT_PRICE_CENTS),
                Fields.requiredInt(body, Quote.RISK_BPS), Fields.requiredLong(body, Quote.PRICE_CENTS), latency,
                new Quote.Pids(pid, Fields.requiredLong(body, PricingVerticle.PRICING_PID),
                    Fields.requiredLong(body, PricingVerticle.RISK_PID)));
        } catch (IllegalArgumentException e) {
            fail(http, Failures.BAD_GATEWAY, "pricing sent a malformed reply: " + e.getMessage());
            return;
        }
        onQuote.accept(quote.latency());
        http.response().setStatusCode(OK).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(quote.toJson().encode());
    }

    private static void fail(HttpServerRequest http, int status, String message) {
        http.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .end(new JsonObject().put(ERROR, message).encode());
    }
}
