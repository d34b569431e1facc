package org.rdmabus.samples.ticker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import java.util.Objects;

/**
 * Publishes {@code count} ticks on {@value Tick#ADDRESS} at a steady rate, numbered from 0: every millisecond it
 * publishes the ticks that are due by then, at most {@link #MAX_BATCH} at once, so that a publisher that fell behind
 * catches up without taking its event loop for long. After the last tick it publishes the count on
 * {@value Tick#END_ADDRESS}.
 *
 * <p>The event bus never slows a publisher down: whether its subscribers keep up is theirs to handle.
 */
public final class TickerPublisher extends VerticleBase {

    /** The most ticks published in one millisecond's turn. */
    public static final int MAX_BATCH = 1_000;
    /** The highest rate, in ticks per second. */
    public static final int MAX_RATE = 1_000_000;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long PERIOD_MILLIS = 1;

    private final long count;
    private final int ratePerSecond;
    private final Promise<Published> done;
    private volatile long published;
    private long begin;
    private long timer = -1;

    /**
     * What a publisher did.
     *
     * @param count how many ticks it published.
     * @param nanos how long it took, from its first tick's turn to its last.
     */
    public record Published(long count, long nanos) {
    }

    /**
     * @param count         how many ticks to publish, at least 1.
     * @param ratePerSecond how many per second, from 1 to {@link #MAX_RATE}.
     * @param done          completed once the last tick is published.
     */
    public TickerPublisher(long count, int ratePerSecond, Promise<Published> done) {
        if (count < 1) {
            throw new IllegalArgumentException("a publisher publishes at least one tick, not " + count);
        }
        if (ratePerSecond < 1 || ratePerSecond > MAX_RATE) {
            throw new IllegalArgumentException("the rate must be between 1 and " + MAX_RATE + " ticks/s, not "
                + ratePerSecond);
        }
        this.count = count;
        this.ratePerSecond = ratePerSecond;
        this.done = Objects.requireNonNull(done, "done");
    }

    /** @return how many ticks it has published so far; readable from any thread. */
    public long published() {
        return published;
    }

    /** @return at once: publishing runs on the verticle's timer. */
    @Override
    public Future<?> start() {
        begin = System.nanoTime();
        timer = vertx.setPeriodic(0, PERIOD_MILLIS, ignored -> publishDue());
        return Future.succeededFuture();
    }

    /** @return at once, having stopped publishing. */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    private void publishDue() {
        long elapsed = System.nanoTime() - begin;
        // One tick is due at the start, then one every 1/rate s.
        long due = Math.min(count, 1 + (long) (elapsed * (double) ratePerSecond / NANOS_PER_SECOND));
        EventBus bus = vertx.eventBus();
        long next = published;
        long last = Math.min(due, next + MAX_BATCH);
        while (next < last) {
            bus.publish(Tick.ADDRESS, Tick.next(next).toBuffer());
            next++;
        }
        published = next;
        if (next == count) {
            vertx.cancelTimer(timer);
            bus.publish(Tick.END_ADDRESS, count);
            done.tryComplete(new Published(count, System.nanoTime() - begin));
        }
    }
}
