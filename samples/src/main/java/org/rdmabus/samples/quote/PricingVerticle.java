package org.rdmabus.samples.quote;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The pricing service: answers on {@value #ADDRESS} with a price from the {@link PricingModel}, after asking the
 * {@link RiskVerticle risk service} for its charge, and times that call.
 *
 * <pre>
 * request  {"symbol":"ACME","qty":100}
 * reply    {"symbol":"ACME","qty":100,"unitPriceCents":24258,"riskBps":36,"priceCents":2434533,
 *           "pricingToRiskNanos":287000,"pricingPid":4102,"riskPid":4103}
 * failure  400 when the request is malformed; 503, 504 or 502 when risk is unreachable, slow or failing
 * </pre>
 */
public final class PricingVerticle extends VerticleBase {

    /** The event-bus address pricing answers on. */
    public static final String ADDRESS = "quote.pricing";

    /** How long pricing waits for risk: less than the gateway waits for pricing, so risk's time-out reaches it. */
    public static final Duration RISK_TIMEOUT = Duration.ofSeconds(2);

    static final String PRICING_TO_RISK_NANOS = "pricingToRiskNanos";
    static final String PRICING_PID = "pricingPid";
    static final String RISK_PID = "riskPid";

    private final long pid = ProcessHandle.current().pid();
    private final DeliveryOptions toRisk = new DeliveryOptions().setSendTimeout(RISK_TIMEOUT.toMillis());

    /** Creates the pricing service; deploy it on a clustered Vert.x instance. */
    public PricingVerticle() {
        // Stateless: every answer comes from the request and risk's reply.
    }

    /** @return once the consumer is registered in the cluster. */
    @Override
    public Future<?> start() {
        return vertx.eventBus().<Object>consumer(ADDRESS, this::handle).completion();
    }

    private void handle(Message<Object> message) {
        QuoteRequest request;
        try {
            request = QuoteRequest.fromJson(Fields.body(message.body()));
        } catch (IllegalArgumentException e) {
            message.fail(Failures.BAD_REQUEST, "pricing: " + e.getMessage());
            return;
        }
        long unitPriceCents = PricingModel.unitPriceCents(request.symbol());
        long notionalCents = PricingModel.notionalCents(unitPriceCents, request.qty());
        JsonObject riskRequest = request.toJson().put(RiskVerticle.NOTIONAL_CENTS, notionalCents);
        long sent = System.nanoTime();
        vertx.eventBus().<Object>request(RiskVerticle.ADDRESS, riskRequest, toRisk).onComplete(reply -> {
            long pricingToRisk = System.nanoTime() - sent;
            answer(message, request, unitPriceCents, notionalCents, reply, pricingToRisk);
        });
    }

    private void answer(Message<Object> message, QuoteRequest request, long unitPriceCents, long notionalCents,
                        AsyncResult<Message<Object>> risk, long pricingToRiskNanos) {
        if (risk.failed()) {
            message.fail(Failures.status(risk.cause()), Failures.describe("risk", risk.cause()));
            return;
        }
        int riskBps;
        long riskPid;
        try {
            JsonObject body = Fields.body(risk.result().body());
            riskBps = Fields.requiredInt(body, Quote.RISK_BPS);
            riskPid = Fields.requiredLong(body, RiskVerticle.PID);
        } catch (IllegalArgumentException e) {
            message.fail(Failures.BAD_GATEWAY, "risk sent a malformed reply: " + e.getMessage());
            return;
        }
        message.reply(request.toJson()
            .put(Quote.UNIT_PRICE_CENTS, unitPriceCents)
            .put(Quote.RISK_BPS, riskBps)
            .put(Quote.PRICE_CENTS, PricingModel.priceCents(notionalCents, riskBps))
            .put(PRICING_TO_RISK_NANOS, pricingToRiskNanos)
            .put(PRICING_PID, pid)
            .put(RISK_PID, riskPid));
    }
}
