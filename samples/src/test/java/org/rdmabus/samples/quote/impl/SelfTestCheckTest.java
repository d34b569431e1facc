package org.rdmabus.samples.quote.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.quote.HopTimings;
import org.rdmabus.samples.quote.PricingModel;
import org.rdmabus.samples.quote.Quote;
import org.rdmabus.samples.quote.QuoteRequest;
import org.rdmabus.samples.quote.RiskModel;

/** The self-test catches every kind of wrong answer, and passes a right one. */
@Timeout(10)
class SelfTestCheckTest {

    private static final QuoteRequest ACME_100 = new QuoteRequest("ACME", 100);
    private static final Quote.Pids PIDS = new Quote.Pids(101, 102, 103);
    private static final HopTimings NESTED = new HopTimings(600_000, 250_000, 650_000);
    private static final long ROUND_TRIP = 900_000;

    @Test
    void aRightAnswerPasses() {
        QuoteCheck check = check(right().toJson().encode(), ROUND_TRIP);
        assertTrue(check.passed(), check.problems().toString());
        assertEquals(right(), check.quote().orElseThrow());
    }

    @Test
    void aWrongPriceFails() {
        Quote right = right();
        Quote wrong = new Quote(right.request(), right.unitPriceCents(), right.riskBps(), right.priceCents() + 1,
            NESTED, PIDS);
        assertProblem(check(wrong.toJson().encode(), ROUND_TRIP), "the models say 100 x 24258 cents + 36 bps");
        Quote wrongRisk = new Quote(right.request(), right.unitPriceCents(), right.riskBps() + 1, right.priceCents(),
            NESTED, PIDS);
        assertProblem(check(wrongRisk.toJson().encode(), ROUND_TRIP), "priced 100 x 24258 cents + 37 bps");
    }

    @Test
    void aQuoteForAnotherRequestFails() {
        Quote other = new Quote(new QuoteRequest("ACME", 99), 24_258, 36, 0, NESTED, PIDS);
        assertProblem(check(other.toJson().encode(), ROUND_TRIP), "when QuoteRequest[symbol=ACME, qty=100] was asked");
    }

    @Test
    void timingsThatDoNotNestFail() {
        assertProblem(check(with(new HopTimings(200_000, 250_000, 650_000)), ROUND_TRIP), "the hops do not nest");
        assertProblem(check(with(new HopTimings(700_000, 250_000, 650_000)), ROUND_TRIP), "the hops do not nest");
        assertProblem(check(with(new HopTimings(600_000, 0, 650_000)), ROUND_TRIP), "a hop took no time");
        assertProblem(check(with(NESTED), 640_000), "exceeds the HTTP round trip");
    }

    @Test
    void otherProcessesThanTheNodesFail() {
        Quote right = right();
        Quote samePid = new Quote(right.request(), right.unitPriceCents(), right.riskBps(), right.priceCents(), NESTED,
            new Quote.Pids(101, 101, 103));
        assertProblem(check(samePid.toJson().encode(), ROUND_TRIP), "the nodes reported");
    }

    @Test
    void anErrorStatusOrAMalformedBodyFails() {
        assertProblem(SelfTest.check(false, ACME_100, 503, "{\"error\":\"pricing is not reachable\"}", ROUND_TRIP,
            PIDS), "HTTP 503: {\"error\":\"pricing is not reachable\"}");
        assertProblem(check("{\"symbol\":\"ACME\",\"qty\":100}", ROUND_TRIP), "not a quote");
        assertProblem(check("<html>", ROUND_TRIP), "not a quote");
    }

    @Test
    void theRequestsVaryOverSymbolsAndQuantities() {
        Set<QuoteRequest> requests = new HashSet<>();
        Set<Boolean> sizeCharged = new HashSet<>();
        for (int i = 0; i < 56; i++) {
            QuoteRequest request = SelfTest.request(i);
            requests.add(request);
            long notional = PricingModel.notionalCents(PricingModel.unitPriceCents(request.symbol()), request.qty());
            sizeCharged.add(RiskModel.sizeBps(notional) > 0);
        }
        assertEquals(56, requests.size(), "56 distinct requests before they repeat");
        assertEquals(Set.of(true, false), sizeCharged, "with and without the size charge");
    }

    private static QuoteCheck check(String body, long roundTrip) {
        return SelfTest.check(false, ACME_100, 200, body, roundTrip, PIDS);
    }

    private static String with(HopTimings timings) {
        Quote right = right();
        return new Quote(right.request(), right.unitPriceCents(), right.riskBps(), right.priceCents(), timings, PIDS)
            .toJson().encode();
    }

    private static Quote right() {
        return new Quote(ACME_100, 24_258, 36, 2_434_533, NESTED, PIDS);
    }

    private static void assertProblem(QuoteCheck check, String problem) {
        assertTrue(!check.passed() && check.problems().stream().anyMatch(text -> text.contains(problem)),
            "expected '" + problem + "' among " + check.problems() + " for " + new JsonObject().put("body",
                check.body()).encode());
    }
}
