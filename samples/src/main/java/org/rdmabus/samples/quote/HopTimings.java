package org.rdmabus.samples.quote;

import io.vertx.core.json.JsonObject;

/**
 * How long one quote took, hop by hop, each measured with {@link System#nanoTime()} on the node that makes the call.
 * The hops nest: the pricing-to-risk call happens inside the gateway-to-pricing call, which happens inside the
 * gateway's total.
 *
 * @param gatewayToPricingNanos the gateway's event-bus request to pricing, from sending it to its reply.
 * @param pricingToRiskNanos    pricing's event-bus request to risk, from sending it to its reply.
 * @param totalNanos            the gateway's whole handling of the HTTP request, from its arrival to the quote being
 *                              ready to write back (the response's own serialization and transfer are not in it).
 */
public record HopTimings(long gatewayToPricingNanos, long pricingToRiskNanos, long totalNanos) {

    private static final String GATEWAY_TO_PRICING = "gatewayToPricing";
    private static final String PRICING_TO_RISK = "pricingToRisk";
    private static final String TOTAL = "total";

    /**
     * @throws IllegalArgumentException if a timing is negative.
     */
    public HopTimings {
        if (gatewayToPricingNanos < 0 || pricingToRiskNanos < 0 || totalNanos < 0) {
            throw new IllegalArgumentException("hop timings cannot be negative: " + gatewayToPricingNanos + ", "
                + pricingToRiskNanos + ", " + totalNanos);
        }
    }

    /**
     * @param json timings as {@link #toJson()} writes them.
     * @return the timings.
     * @throws IllegalArgumentException if one is missing or not a number.
     */
    public static HopTimings fromJson(JsonObject json) {
        return new HopTimings(Fields.requiredLong(json, GATEWAY_TO_PRICING), Fields.requiredLong(json, PRICING_TO_RISK),
            Fields.requiredLong(json, TOTAL));
    }

    /** @return {@code {"gatewayToPricing":..,"pricingToRisk":..,"total":..}}, in nanoseconds. */
    public JsonObject toJson() {
        return new JsonObject().put(GATEWAY_TO_PRICING, gatewayToPricingNanos).put(PRICING_TO_RISK, pricingToRiskNanos)
            .put(TOTAL, totalNanos);
    }
}
