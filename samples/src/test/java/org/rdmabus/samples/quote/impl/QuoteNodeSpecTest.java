package org.rdmabus.samples.quote.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(10)
class QuoteNodeSpecTest {

    private static final List<Integer> PORTS = List.of(40_000, 40_001, 40_002);

    @Test
    void argumentsReadBackToTheSameSpec() {
        for (QuoteNodeSpec spec : List.of(
            new QuoteNodeSpec(QuoteRole.GATEWAY, "quote-1", 40_002, PORTS, 8080, 0),
            new QuoteNodeSpec(QuoteRole.GATEWAY, "quote-1", 40_002, PORTS, 0, 300),
            new QuoteNodeSpec(QuoteRole.PRICING, "quote-1", 40_001, PORTS, 0, 300),
            new QuoteNodeSpec(QuoteRole.RISK, "quote-1", 40_000, PORTS, 0, 0))) {
            assertEquals(spec, QuoteNodeSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
        }
    }

    @Test
    void onlyTheGatewayTakesAnHttpPort() {
        assertMessage("only the gateway has an HTTP port, not the risk",
            () -> new QuoteNodeSpec(QuoteRole.RISK, "c", 40_000, PORTS, 8080, 0));
        assertMessage("unknown node arguments: [http-port]", () -> QuoteNodeSpec.fromArgs(new String[] {
            "--role=pricing", "--cluster=c", "--port=40000", "--members=40000", "--max-lifetime=0",
            "--http-port=1"}));
        assertMessage("missing node argument --http-port", () -> QuoteNodeSpec.fromArgs(new String[] {
            "--role=gateway", "--cluster=c", "--port=40000", "--members=40000", "--max-lifetime=0"}));
    }

    @Test
    void badValuesAreRejected() {
        assertMessage("unknown quote-service role 'broker'", () -> QuoteNodeSpec.fromArgs(new String[] {
            "--role=broker", "--cluster=c", "--port=1", "--members=1", "--max-lifetime=0"}));
        assertMessage("omit the node's own port", () -> new QuoteNodeSpec(QuoteRole.RISK, "c", 5, List.of(6), 0, 0));
        assertMessage("not a TCP port: 70000",
            () -> new QuoteNodeSpec(QuoteRole.GATEWAY, "c", 5, List.of(5), 70_000, 0));
        assertMessage("max lifetime cannot be negative",
            () -> new QuoteNodeSpec(QuoteRole.RISK, "c", 5, List.of(5), 0, -1));
        assertMessage("a node needs a cluster name", () -> new QuoteNodeSpec(QuoteRole.RISK, " ", 5, List.of(5), 0, 0));
    }

    @Test
    void eachServiceWaitsForTheOneItCalls() {
        assertEquals("quote.pricing", QuoteRole.GATEWAY.downstream().orElseThrow());
        assertEquals("quote.risk", QuoteRole.PRICING.downstream().orElseThrow());
        assertTrue(QuoteRole.RISK.downstream().isEmpty());
    }

    private static void assertMessage(String expected, Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' says '" + expected + "'");
    }
}
