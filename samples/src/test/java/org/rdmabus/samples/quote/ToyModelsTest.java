package org.rdmabus.samples.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The toy pricing and risk models give the figures their Javadoc promises, worked out by hand. */
@Timeout(10)
class ToyModelsTest {

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        // symbol, qty, unit cents, volatility bps, size bps, price cents
        // ACME: h = ((65*31+67)*31+77)*31+69 = 2,024,258; 1000 + 2,024,258 mod 99,000 = 24,258.
        //       65*1 + 67*2 + 77*3 + 69*4 = 706; 5 + 706 mod 45 = 36. Notional $2,425.80: no size charge.
        //       2,425,800 * 1.0036 = 2,434,532.88 -> 2,434,533.
        "ACME,    100,     24258, 36,  0,    2434533",
        "ACME,    1,       24258, 36,  0,    24345",
        // Notional $2,454,000: 24 started $100k steps above the first $100k.
        "GLOBX,   2500,    98160, 44, 24,  247068720",
        // Z: 1000 + 90 = 1090; 5 + 90 mod 45 = 5; notional $10.9M caps the size charge at 50.
        "Z,       1000000,  1090,  5, 50, 1095995000",
        "INITECH, 40000,   16426, 15, 50,  661310760"})
    void aQuoteIsWhatTheModelsSay(String symbol, int qty, long unitCents, int volatilityBps, int sizeBps,
                                  long priceCents) {
        assertEquals(unitCents, PricingModel.unitPriceCents(symbol));
        long notional = PricingModel.notionalCents(unitCents, qty);
        assertEquals(unitCents * qty, notional);
        assertEquals(volatilityBps, RiskModel.volatilityBps(symbol));
        assertEquals(sizeBps, RiskModel.sizeBps(notional));
        assertEquals(volatilityBps + sizeBps, RiskModel.riskBps(symbol, notional));
        assertEquals(priceCents, PricingModel.priceCents(notional, volatilityBps + sizeBps));
        assertEquals(priceCents, PricingModel.priceCents(new QuoteRequest(symbol, qty)));
    }

    @Test
    void thePriceRoundsHalfUpToTheCent() {
        assertEquals(5001, PricingModel.priceCents(5000, 1), "5000.5 cents");
        assertEquals(4999, PricingModel.priceCents(4999, 1), "4999.4999 cents");
        assertEquals(5000, PricingModel.priceCents(4999, 2), "4999.9998 cents");
        assertEquals(1000, PricingModel.priceCents(1000, 0));
    }

    @Test
    void theSizeChargeStartsAboveOneHundredThousandDollarsAndIsCapped() {
        assertEquals(0, RiskModel.sizeBps(10_000_000));
        assertEquals(1, RiskModel.sizeBps(10_000_001));
        assertEquals(1, RiskModel.sizeBps(20_000_000));
        assertEquals(2, RiskModel.sizeBps(20_000_001));
        assertEquals(RiskModel.MAX_SIZE_BPS, RiskModel.sizeBps(Long.MAX_VALUE / 2));
    }

    @Test
    void everyValidSymbolPricesWithinTheModelsRanges() {
        for (String symbol : new String[] {"A", "Z9", "ZZZZZZZZ", "A0000000", "QWERTY12"}) {
            long unit = PricingModel.unitPriceCents(symbol);
            assertTrue(unit >= 1_000 && unit <= 99_999, symbol + ": " + unit);
            int volatility = RiskModel.volatilityBps(symbol);
            assertTrue(volatility >= 5 && volatility <= 49, symbol + ": " + volatility);
            // The largest order cannot overflow on its way to a price.
            long notional = PricingModel.notionalCents(unit, QuoteRequest.MAX_QTY);
            assertTrue(PricingModel.priceCents(notional, volatility + RiskModel.MAX_SIZE_BPS) > notional);
        }
    }

    @Test
    void dollarsHaveTwoDecimals() {
        assertEquals("24345.33", PricingModel.dollars(2_434_533));
        assertEquals("0.05", PricingModel.dollars(5));
        assertEquals("10.00", PricingModel.dollars(1_000));
    }

    @Test
    void anOverflowIsAnErrorNotAWrongPrice() {
        assertThrows(ArithmeticException.class, () -> PricingModel.notionalCents(Long.MAX_VALUE / 2, 3));
    }
}
