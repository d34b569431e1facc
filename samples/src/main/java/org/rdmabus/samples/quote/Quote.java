package org.rdmabus.samples.quote;

import io.vertx.core.json.JsonObject;

/**
 * The gateway's answer to a quote request: the price, how it was made, how long each hop took, and which process
 * each service ran in.
 *
 * <pre>
 * {"symbol":"ACME","qty":100,"unitPriceCents":24258,"riskBps":36,"priceCents":2434533,"price":"24345.33",
 *  "latencyNanos":{"gatewayToPricing":612000,"pricingToRisk":287000,"total":655000},
 *  "pids":{"gateway":4101,"pricing":4102,"risk":4103}}
 * </pre>
 *
 * @param request        what was asked.
 * @param unitPriceCents the unit price, see {@link PricingModel}.
 * @param riskBps        the risk charge, see {@link RiskModel}.
 * @param priceCents     the quoted price for the whole quantity.
 * @param latency        how long each hop took.
 * @param pids           which process each service ran in.
 */
public record Quote(QuoteRequest request, long unitPriceCents, int riskBps, long priceCents, HopTimings latency,
                    Pids pids) {

    static final String UNIT_PRICE_CENTS = "unitPriceCents";
    static final String RISK_BPS = "riskBps";
    static final String PRICE_CENTS = "priceCents";
    private static final String PRICE = "price";
    private static final String LATENCY = "latencyNanos";
    private static final String PIDS = "pids";

    /**
     * @param json a quote as {@link #toJson()} writes it.
     * @return the quote.
     * @throws IllegalArgumentException if a field is missing, of the wrong type, or invalid.
     */
    public static Quote fromJson(JsonObject json) {
        return new Quote(QuoteRequest.fromJson(json), Fields.requiredLong(json, UNIT_PRICE_CENTS),
            Fields.requiredInt(json, RISK_BPS), Fields.requiredLong(json, PRICE_CENTS),
            HopTimings.fromJson(Fields.requiredObject(json, LATENCY)),
            Pids.fromJson(Fields.requiredObject(json, PIDS)));
    }

    /** @return the quote as the gateway sends it, with the price also in dollars for people. */
    public JsonObject toJson() {
        return request.toJson().put(UNIT_PRICE_CENTS, unitPriceCents).put(RISK_BPS, riskBps)
            .put(PRICE_CENTS, priceCents).put(PRICE, PricingModel.dollars(priceCents))
            .put(LATENCY, latency.toJson()).put(PIDS, pids.toJson());
    }

    /**
     * The process ids of the three services that made a quote.
     *
     * @param gateway the gateway's.
     * @param pricing pricing's.
     * @param risk    risk's.
     */
    public record Pids(long gateway, long pricing, long risk) {

        private static final String GATEWAY = "gateway";
        private static final String PRICING = "pricing";
        private static final String RISK = "risk";

        /**
         * @param json process ids as {@link #toJson()} writes them.
         * @return them.
         * @throws IllegalArgumentException if one is missing.
         */
        public static Pids fromJson(JsonObject json) {
            return new Pids(Fields.requiredLong(json, GATEWAY), Fields.requiredLong(json, PRICING),
                Fields.requiredLong(json, RISK));
        }

        /** @return {@code {"gateway":..,"pricing":..,"risk":..}}. */
        public JsonObject toJson() {
            return new JsonObject().put(GATEWAY, gateway).put(PRICING, pricing).put(RISK, risk);
        }
    }
}
