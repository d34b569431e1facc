package org.rdmabus.samples.quote.impl;

/**
 * The line protocol between the quote-service launcher and its node JVMs: {@link
 * org.rdmabus.samples.impl.node.LineProtocol}'s shared commands, events and fields, and these.
 *
 * <pre>
 * launcher -> gateway   {"command":"stats"}
 * node -> launcher      {"event":"progress","step":"joining the cluster"}
 *                       {"event":"ready","role":"gateway","pid":..,"nodeId":..,"httpPort":8080,"path":..,"overRdma":..}
 * gateway -> launcher   {"event":"stats","gatewayToPricing":"<histogram>","pricingToRisk":"<histogram>",
 *                        "total":"<histogram>"}
 * </pre>
 *
 * <p>A stats event carries the hops the gateway recorded since the previous one, as HdrHistograms in nanoseconds,
 * compressed and base64-encoded.
 */
final class QuoteProtocol {

    /** Command to the gateway, and its answer: the hop timings recorded since the last stats. */
    static final String STATS = "stats";

    /** Field: the node's role. */
    static final String ROLE = "role";
    /** Field: the step a starting node has reached, in a progress event. */
    static final String STEP = "step";
    /** Field: the port the gateway's HTTP server listens on. */
    static final String HTTP_PORT = "httpPort";

    private QuoteProtocol() {
    }
}
