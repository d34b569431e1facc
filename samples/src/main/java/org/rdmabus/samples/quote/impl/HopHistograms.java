package org.rdmabus.samples.quote.impl;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.node.HistogramCodec;

/**
 * The distribution of each hop's latency over many quotes, in nanoseconds.
 *
 * @param gatewayToPricing the gateway's calls to pricing.
 * @param pricingToRisk    pricing's calls to risk.
 * @param total            the gateway's whole handling of each request.
 */
public record HopHistograms(Histogram gatewayToPricing, Histogram pricingToRisk, Histogram total) {

    private static final String GATEWAY_TO_PRICING = "gatewayToPricing";
    private static final String PRICING_TO_RISK = "pricingToRisk";
    private static final String TOTAL = "total";

    /** @return histograms of no quote yet. */
    public static HopHistograms empty() {
        return new HopHistograms(HistogramCodec.newHistogram(), HistogramCodec.newHistogram(),
            HistogramCodec.newHistogram());
    }

    /** @return how many quotes the histograms hold. */
    public long count() {
        return total.getTotalCount();
    }

    /**
     * @param other more quotes' histograms, added to these.
     */
    public void add(HopHistograms other) {
        gatewayToPricing.add(other.gatewayToPricing);
        pricingToRisk.add(other.pricingToRisk);
        total.add(other.total);
    }

    /**
     * @param json where to add the three encoded histograms.
     * @return {@code json}.
     */
    public JsonObject writeTo(JsonObject json) {
        return json.put(GATEWAY_TO_PRICING, HistogramCodec.encode(gatewayToPricing))
            .put(PRICING_TO_RISK, HistogramCodec.encode(pricingToRisk))
            .put(TOTAL, HistogramCodec.encode(total));
    }

    /**
     * @param json an event holding the three histograms, as {@link #writeTo(JsonObject)} writes them.
     * @return the histograms.
     * @throws IllegalArgumentException if one is missing or malformed.
     */
    public static HopHistograms fromJson(JsonObject json) {
        return new HopHistograms(decode(json, GATEWAY_TO_PRICING), decode(json, PRICING_TO_RISK), decode(json, TOTAL));
    }

    private static Histogram decode(JsonObject json, String field) {
        Object encoded = json.getValue(field);
        if (!(encoded instanceof String text)) {
            throw new IllegalArgumentException("stats without a '" + field + "' histogram: " + json.encode());
        }
        return HistogramCodec.decode(text);
    }
}
