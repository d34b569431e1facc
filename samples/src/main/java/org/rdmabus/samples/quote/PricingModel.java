package org.rdmabus.samples.quote;

import java.util.Locale;

/**
 * The toy pricing model: deterministic, so that anyone can check a quote by hand. Money is in whole cents.
 *
 * <ul>
 *   <li>unit price: {@code 1000 + floorMod(h, 99000)} cents, i.e. $10.00 to $999.99, where {@code h} folds the
 *       symbol's characters as {@code h = 31 * h + c}, starting from 0, in a {@code long};</li>
 *   <li>notional: unit price times quantity;</li>
 *   <li>price: the notional plus the risk charge of {@link RiskModel}, in basis points, rounded half up to the
 *       cent.</li>
 * </ul>
 */
public final class PricingModel {

    private static final long MIN_UNIT_CENTS = 1_000;
    private static final long UNIT_CENTS_RANGE = 99_000;
    private static final long BPS_PER_UNIT = 10_000;

    private PricingModel() {
    }

    /**
     * @param symbol a valid symbol, see {@link QuoteRequest}.
     * @return its unit price in cents, from 1,000 to 99,999.
     */
    public static long unitPriceCents(String symbol) {
        long h = 0;
        for (int i = 0; i < symbol.length(); i++) {
            h = 31 * h + symbol.charAt(i);
        }
        return MIN_UNIT_CENTS + Math.floorMod(h, UNIT_CENTS_RANGE);
    }

    /**
     * @param unitPriceCents the unit price in cents.
     * @param qty            the quantity.
     * @return what the quantity costs before the risk charge, in cents.
     */
    public static long notionalCents(long unitPriceCents, int qty) {
        return Math.multiplyExact(unitPriceCents, (long) qty);
    }

    /**
     * @param notionalCents the notional in cents.
     * @param riskBps       the risk charge in basis points (1/100 of a percent).
     * @return the quoted price in cents: the notional plus the charge, rounded half up to the cent.
     */
    public static long priceCents(long notionalCents, int riskBps) {
        return (Math.multiplyExact(notionalCents, BPS_PER_UNIT + riskBps) + BPS_PER_UNIT / 2) / BPS_PER_UNIT;
    }

    /**
     * @param request what the client asked.
     * @return the quoted price in cents, as the three services together compute it.
     */
    public static long priceCents(QuoteRequest request) {
        long notional = notionalCents(unitPriceCents(request.symbol()), request.qty());
        return priceCents(notional, RiskModel.riskBps(request.symbol(), notional));
    }

    /**
     * @param cents an amount in cents, not negative.
     * @return it in dollars with two decimals, e.g. {@code 4228.39}.
     */
    public static String dollars(long cents) {
        return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
    }
}
