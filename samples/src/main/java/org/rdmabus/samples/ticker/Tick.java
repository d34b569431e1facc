package org.rdmabus.samples.ticker;

import io.vertx.core.buffer.Buffer;

/**
 * One price tick, as it travels: a fixed 24-byte {@link Buffer}, big-endian as Vert.x writes it.
 * <pre>
 * 0          8             16              24
 * +----------+-------------+---------------+
 * | sequence | price cents | published at  |
 * +----------+-------------+---------------+
 * </pre>
 *
 * @param sequence        the tick's number, from 0, one more than the last tick published.
 * @param priceCents      the price, {@link #priceOf(long)}.
 * @param publishedNanos  {@link System#nanoTime()} on the publisher when it published the tick.
 */
public record Tick(long sequence, long priceCents, long publishedNanos) {

    /** The event-bus address ticks are published on. */
    public static final String ADDRESS = "ticker.ticks";
    /**
     * The event-bus address the publisher publishes the tick count on after its last tick. It takes the same path to
     * each subscriber node as the ticks, after them, so a subscriber that sees it has been handed every tick that
     * reached it.
     */
    public static final String END_ADDRESS = "ticker.end";
    /** A tick's length on the wire. */
    public static final int BYTES = 24;

    private static final int PRICE = 8;
    private static final int PUBLISHED = 16;

    /**
     * @param sequence a tick's number.
     * @return its price in cents: a deterministic walk around $100, so that a subscriber can check every tick.
     */
    public static long priceOf(long sequence) {
        return 10_000 + Math.floorMod(sequence * 7_919, 2_001) - 1_000;
    }

    /**
     * @param sequence a tick's number, not negative.
     * @return the tick with that number, published now.
     */
    public static Tick next(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("a tick's sequence cannot be negative: " + sequence);
        }
        return new Tick(sequence, priceOf(sequence), System.nanoTime());
    }

    /** @return the tick on the wire. */
    public Buffer toBuffer() {
        return Buffer.buffer(BYTES).appendLong(sequence).appendLong(priceCents).appendLong(publishedNanos);
    }

    /**
     * @param buffer a tick on the wire.
     * @return the tick.
     * @throws IllegalArgumentException if the buffer is not a tick, or its price is not its sequence's.
     */
    public static Tick fromBuffer(Buffer buffer) {
        if (buffer == null || buffer.length() != BYTES) {
            throw new IllegalArgumentException("a tick is " + BYTES + " bytes, not "
                + (buffer == null ? "null" : buffer.length()));
        }
        long sequence = buffer.getLong(0);
        long price = buffer.getLong(PRICE);
        if (sequence < 0 || price != priceOf(sequence)) {
            throw new IllegalArgumentException("a corrupt tick: sequence " + sequence + ", price " + price);
        }
        return new Tick(sequence, price, buffer.getLong(PUBLISHED));
    }
}
