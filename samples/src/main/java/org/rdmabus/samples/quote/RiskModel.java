package org.rdmabus.samples.quote;

/**
 * The toy risk model: a charge in basis points (1/100 of a percent) on a position's notional, deterministic so that
 * anyone can check a quote by hand.
 *
 * <ul>
 *   <li>volatility: {@code 5 + floorMod(h, 45)} bps, where {@code h} sums each character of the symbol times its
 *       position counted from 1;</li>
 *   <li>size: nothing up to $100,000 of notional, then 1 bp for each started $100,000 above it, at most
 *       {@value #MAX_SIZE_BPS} bps;</li>
 *   <li>the charge is their sum.</li>
 * </ul>
 */
public final class RiskModel {

    /** The largest size charge, in basis points. */
    public static final int MAX_SIZE_BPS = 50;

    private static final int MIN_VOLATILITY_BPS = 5;
    private static final int VOLATILITY_BPS_RANGE = 45;
    /** $100,000 in cents: the size charge's free allowance and its step. */
    private static final long SIZE_STEP_CENTS = 10_000_000;

    private RiskModel() {
    }

    /**
     * @param symbol a valid symbol, see {@link QuoteRequest}.
     * @return its volatility charge in basis points, from 5 to 49.
     */
    public static int volatilityBps(String symbol) {
        long h = 0;
        for (int i = 0; i < symbol.length(); i++) {
            h += (long) (i + 1) * symbol.charAt(i);
        }
        return MIN_VOLATILITY_BPS + (int) Math.floorMod(h, VOLATILITY_BPS_RANGE);
    }

    /**
     * @param notionalCents a position's notional in cents, not negative.
     * @return its size charge in basis points, from 0 to {@value #MAX_SIZE_BPS}.
     */
    public static int sizeBps(long notionalCents) {
        if (notionalCents <= SIZE_STEP_CENTS) {
            return 0;
        }
        long steps = (notionalCents - SIZE_STEP_CENTS + SIZE_STEP_CENTS - 1) / SIZE_STEP_CENTS;
        return (int) Math.min(MAX_SIZE_BPS, steps);
    }

    /**
     * @param symbol        a valid symbol, see {@link QuoteRequest}.
     * @param notionalCents the position's notional in cents.
     * @return the risk charge in basis points.
     */
    public static int riskBps(String symbol, long notionalCents) {
        return volatilityBps(symbol) + sizeBps(notionalCents);
    }
}
