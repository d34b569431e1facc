package org.rdmabus.samples.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests are checked on the way in; quotes cross JSON unchanged, and malformed ones are typed errors. */
@Timeout(10)
class QuoteJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "acme|100|symbol must be 1 to 8 upper-case letters or digits",
        "1ACME|100|starting with a letter, not '1ACME'",
        "ABCDEFGHI|100|not 'ABCDEFGHI'",
        "AC-ME|100|not 'AC-ME'",
        "NULL|100|not missing",
        "ACME|0|qty must be between 1 and 1000000, not 0",
        "ACME|1000001|qty must be between 1 and 1000000, not 1000001",
        "ACME|-5|not -5",
        "ACME|ten|qty must be an integer, not 'ten'",
        "ACME|99999999999|qty must be an integer",
        "ACME|NULL|qty is missing"})
    void aBadRequestSaysWhatIsWrong(String symbol, String qty, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> QuoteRequest.parse(symbol, qty));
        assertTrue(e.getMessage().contains(message), "'" + e.getMessage() + "' says '" + message + "'");
    }

    @Test
    void aGoodRequestParses() {
        assertEquals(new QuoteRequest("ACME", 100), QuoteRequest.parse("ACME", " 100 "));
        assertEquals(new QuoteRequest("A1", QuoteRequest.MAX_QTY), QuoteRequest.parse("A1", "1000000"));
    }

    @Test
    void aRequestFromTheBusIsCheckedLikeOneFromHttp() {
        assertEquals(new QuoteRequest("ACME", 7), QuoteRequest.fromJson(new JsonObject().put("symbol", "ACME")
            .put("qty", 7L)));
        assertThrows(IllegalArgumentException.class,
            () -> QuoteRequest.fromJson(new JsonObject().put("symbol", "ACME").put("qty", "7")));
        assertThrows(IllegalArgumentException.class,
            () -> QuoteRequest.fromJson(new JsonObject().put("symbol", "ACME").put("qty", 7.5)));
        assertThrows(IllegalArgumentException.class,
            () -> QuoteRequest.fromJson(new JsonObject().put("symbol", "ACME").put("qty", 1L << 40)));
        assertThrows(IllegalArgumentException.class,
            () -> QuoteRequest.fromJson(new JsonObject().put("symbol", 5).put("qty", 7)));
    }

    @Test
    void aQuoteCrossesJsonUnchanged() {
        Quote quote = new Quote(new QuoteRequest("ACME", 100), 24_258, 36, 2_434_533,
            new HopTimings(612_000, 287_000, 655_000), new Quote.Pids(11, 12, 13));
        JsonObject json = quote.toJson();
        assertEquals("24345.33", json.getString("price"), "the price for people");
        assertEquals(quote, Quote.fromJson(new JsonObject(json.encode())));
    }

    @Test
    void aQuoteWithAMissingOrMistypedFieldIsRejected() {
        JsonObject good = new Quote(new QuoteRequest("ACME", 100), 24_258, 36, 2_434_533,
            new HopTimings(3, 2, 4), new Quote.Pids(11, 12, 13)).toJson();
        for (String field : new String[] {"unitPriceCents", "riskBps", "priceCents", "latencyNanos", "pids"}) {
            JsonObject missing = good.copy();
            missing.remove(field);
            assertThrows(IllegalArgumentException.class, () -> Quote.fromJson(missing), field);
            JsonObject mistyped = good.copy().put(field, "x");
            assertThrows(IllegalArgumentException.class, () -> Quote.fromJson(mistyped), field);
        }
        JsonObject noTotal = good.copy();
        noTotal.getJsonObject("latencyNanos").remove("total");
        assertThrows(IllegalArgumentException.class, () -> Quote.fromJson(noTotal));
        assertThrows(IllegalArgumentException.class, () -> new HopTimings(-1, 0, 0));
    }
}
