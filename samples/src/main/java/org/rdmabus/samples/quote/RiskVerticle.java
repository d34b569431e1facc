package org.rdmabus.samples.quote;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The risk service: answers on {@value #ADDRESS} with the {@link RiskModel risk charge} of a position.
 *
 * <pre>
 * request  {"symbol":"ACME","qty":100,"notionalCents":2425800}
 * reply    {"riskBps":36,"pid":4103}
 * failure  400 when the request is malformed
 * </pre>
 */
public final class RiskVerticle extends VerticleBase {

    /** The event-bus address risk answers on. */
    public static final String ADDRESS = "quote.risk";

    static final String NOTIONAL_CENTS = "notionalCents";
    static final String PID = "pid";

    private final long pid = ProcessHandle.current().pid();

    /** Creates the risk service; deploy it on a clustered Vert.x instance. */
    public RiskVerticle() {
        // Stateless: every answer comes from the request alone.
    }

    /** @return once the consumer is registered in the cluster. */
    @Override
    public Future<?> start() {
        return vertx.eventBus().<Object>consumer(ADDRESS, this::handle).completion();
    }

    private void handle(Message<Object> message) {
        long notionalCents;
        QuoteRequest request;
        try {
            JsonObject body = Fields.body(message.body());
            request = QuoteRequest.fromJson(body);
            notionalCents = Fields.requiredLong(body, NOTIONAL_CENTS);
            if (notionalCents < 0) {
                throw new IllegalArgumentException("the notional cannot be negative: " + notionalCents);
            }
        } catch (IllegalArgumentException e) {
            message.fail(Failures.BAD_REQUEST, "risk: " + e.getMessage());
            return;
        }
        message.reply(new JsonObject().put(Quote.RISK_BPS, RiskModel.riskBps(request.symbol(), notionalCents))
            .put(PID, pid));
    }
}
