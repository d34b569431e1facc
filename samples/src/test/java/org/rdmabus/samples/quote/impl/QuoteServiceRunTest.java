package org.rdmabus.samples.quote.impl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.impl.node.ShmJanitor;
import org.rdmabus.samples.quote.PricingModel;
import org.rdmabus.samples.quote.RiskModel;

/**
 * Runs the quote service's self-test for real, briefly: three node JVMs clustered on loopback, and a handful of
 * HTTP requests. Checks every response from its raw JSON, that the three services ran in three other processes, that
 * the printed per-hop summary is what the responses say, and that nothing the run started or mapped remains.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuoteServiceRunTest {

    private static final int WARMUP = 4;
    private static final int REQUESTS = 20;

    @AfterEach
    void noNodeSurvives() {
        for (ProcessHandle stray : ProcessHandle.current().descendants().toList()) {
            stray.destroyForcibly();
            stray.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(failure -> stray).join();
        }
    }

    @Test
    void theSelfTestGetsRightQuotesFromThreeProcessesAndLeavesNothingBehind() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, UTF_8);
        QuoteSettings settings = new QuoteSettings(0, Optional.of(Duration.ofSeconds(30)), REQUESTS, WARMUP,
            Duration.ofSeconds(5));

        QuoteOutcome outcome = new QuoteService(settings, out, System.err,
            new ShmJanitor(ShmJanitor.defaultDirectory())).run();
        String text = captured.toString(UTF_8);
        System.out.print(text);

        assertEquals(0, outcome.exitCode(), "the run completed and every answer was right: " + outcome.failure()
            + "\n" + text);
        assertEquals(WARMUP + REQUESTS, outcome.checks().size(), "every request was sent");
        assertEquals(WARMUP, outcome.checks().stream().filter(QuoteCheck::warmup).count());

        Set<Long> gateways = new HashSet<>();
        Set<Long> pricings = new HashSet<>();
        Set<Long> risks = new HashSet<>();
        Set<String> symbols = new HashSet<>();
        Histogram gatewayToPricing = HistogramCodec.newHistogram();
        Histogram pricingToRisk = HistogramCodec.newHistogram();
        Histogram total = HistogramCodec.newHistogram();
        for (QuoteCheck check : outcome.checks()) {
            assertEquals(200, check.status(), check.body());
            // Read the raw response, not through the sample's own parser.
            JsonObject json = new JsonObject(check.body());
            String symbol = json.getString("symbol");
            int qty = json.getInteger("qty");
            assertEquals(check.request().symbol(), symbol);
            assertEquals(check.request().qty(), qty);
            long notional = PricingModel.unitPriceCents(symbol) * qty;
            int bps = RiskModel.volatilityBps(symbol) + RiskModel.sizeBps(notional);
            long expected = (notional * (10_000 + bps) + 5_000) / 10_000;
            assertEquals(expected, json.getLong("priceCents"), "the price of " + qty + " " + symbol);
            assertEquals(String.format("%d.%02d", expected / 100, expected % 100), json.getString("price"));
            symbols.add(symbol);

            JsonObject hops = json.getJsonObject("latencyNanos");
            long toPricing = hops.getLong("gatewayToPricing");
            long toRisk = hops.getLong("pricingToRisk");
            long handled = hops.getLong("total");
            assertTrue(toRisk > 0 && toPricing > 0 && handled > 0, "every hop took time: " + hops);
            assertTrue(toPricing >= toRisk, "pricing's call to risk happens inside the gateway's call: " + hops);
            assertTrue(handled >= toPricing, "the gateway's call happens inside its total: " + hops);
            assertTrue(check.roundTripNanos() >= handled, "the HTTP round trip holds the gateway's total");
            if (!check.warmup()) {
                gatewayToPricing.recordValue(toPricing);
                pricingToRisk.recordValue(toRisk);
                total.recordValue(handled);
            }

            JsonObject pids = json.getJsonObject("pids");
            gateways.add(pids.getLong("gateway"));
            pricings.add(pids.getLong("pricing"));
            risks.add(pids.getLong("risk"));
        }
        assertTrue(symbols.size() >= 5, "the requests vary: " + symbols);

        // Three separate processes, none of them this one, each the same for every request, all started by the run.
        assertEquals(1, gateways.size(), "one gateway: " + gateways);
        assertEquals(1, pricings.size(), "one pricing: " + pricings);
        assertEquals(1, risks.size(), "one risk: " + risks);
        Set<Long> services = new HashSet<>(gateways);
        services.addAll(pricings);
        services.addAll(risks);
        assertEquals(3, services.size(), "three distinct processes: " + services);
        assertFalse(services.contains(ProcessHandle.current().pid()), "none of them is the launcher");
        assertEquals(services, new HashSet<>(outcome.nodePids()), "exactly the node JVMs the run started");

        // The gateway's own record, which the summary prints, holds exactly the timings it answered the measured
        // requests with: the warm-up is left out.
        assertEquals(REQUESTS, outcome.served().count());
        assertEquals(total, outcome.served().total());
        assertEquals(gatewayToPricing, outcome.served().gatewayToPricing());
        assertEquals(pricingToRisk, outcome.served().pricingToRisk());
        assertTrue(text.contains("latency per hop over " + REQUESTS + " quotes"), text);
        assertRow(text, HopReport.GATEWAY_TO_PRICING, gatewayToPricing);
        assertRow(text, HopReport.PRICING_TO_RISK, pricingToRisk);
        assertRow(text, HopReport.TOTAL, total);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(HopReport.HTTP_ROUND_TRIP) + " +\\S+ \\S+ +\\S+ \\S+")
            .matcher(text).find(), text);
        assertTrue(text.contains(WARMUP + "/" + WARMUP + " right"), text);
        assertTrue(text.contains(REQUESTS + "/" + REQUESTS + " right"), text);

        // How to use it, with the port the gateway really listens on.
        Matcher url = Pattern.compile("gateway: (http://127\\.0\\.0\\.1:(\\d+)/quote)").matcher(text);
        assertTrue(url.find(), text);
        assertTrue(text.contains("curl '" + url.group(1) + "?symbol=ACME&qty=100'"), text);
        assertNotEquals("0", url.group(2));

        // Nothing remains: no node JVM, no shared-memory file a node used.
        for (long pid : outcome.nodePids()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " is gone");
        }
        assertEquals(List.of(), ProcessHandle.current().descendants().map(ProcessHandle::pid).toList(),
            "no child process of the launcher remains");
        for (Path file : outcome.sharedMemoryFiles()) {
            assertFalse(Files.exists(file), file + " was removed");
        }
    }

    private static void assertRow(String text, String name, Histogram expected) {
        Matcher row = Pattern.compile("(?m)^" + Pattern.quote(name) + " +(\\S+ \\S+) +(\\S+ \\S+) +(\\S+ \\S+)$")
            .matcher(text);
        assertTrue(row.find(), "the summary has the row '" + name + "':\n" + text);
        assertEquals(HopReport.format(expected, 50.0), row.group(1), name + " p50");
        assertEquals(HopReport.format(expected, 99.0), row.group(2), name + " p99");
        assertEquals(HopReport.format(expected, 100.0), row.group(3), name + " max");
    }
}
