package org.rdmabus.samples.quote.impl;

import org.HdrHistogram.Recorder;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.quote.HopTimings;

/**
 * The gateway node's record of every quote's hop timings: written on the gateway's event loop without blocking, read
 * in intervals by the node's main thread when the launcher asks for stats.
 *
 * <p>The three hops are separate recorders, so an interval taken while a quote is being recorded may hold that quote
 * in one hop and not yet in another; the next interval holds the rest, and nothing is lost or counted twice.
 */
final class HopRecorder {

    private final Recorder gatewayToPricing = HistogramCodec.newRecorder();
    private final Recorder pricingToRisk = HistogramCodec.newRecorder();
    private final Recorder total = HistogramCodec.newRecorder();

    /**
     * @param timings one quote's timings; a timing beyond {@link HistogramCodec#HIGHEST_TRACKABLE_NANOS} is recorded
     *                as that.
     */
    void record(HopTimings timings) {
        gatewayToPricing.recordValue(HistogramCodec.clamp(timings.gatewayToPricingNanos()));
        pricingToRisk.recordValue(HistogramCodec.clamp(timings.pricingToRiskNanos()));
        total.recordValue(HistogramCodec.clamp(timings.totalNanos()));
    }

    /** @return the quotes recorded since the previous call, which the next call no longer includes. */
    HopHistograms interval() {
        // Each call returns new histograms, which are the caller's to keep.
        return new HopHistograms(gatewayToPricing.getIntervalHistogram(), pricingToRisk.getIntervalHistogram(),
            total.getIntervalHistogram());
    }
}
