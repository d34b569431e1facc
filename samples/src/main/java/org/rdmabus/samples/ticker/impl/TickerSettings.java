package org.rdmabus.samples.ticker.impl;

import java.time.Duration;

/**
 * What {@code rdmabus ticker} runs.
 *
 * @param subscribers how many subscriber JVMs: one slow, the others fast.
 * @param rate        ticks per second.
 * @param duration    how long to publish; {@code rate × seconds} ticks in all.
 * @param slowWork    how long the slow subscriber works on each tick.
 * @param buffer      each subscriber's consumer buffer (Vert.x's {@code maxBufferedMessages}).
 */
public record TickerSettings(int subscribers, int rate, Duration duration, Duration slowWork, int buffer) {

    /** Subscribers unless told otherwise. */
    public static final int DEFAULT_SUBSCRIBERS = 3;
    /** Ticks per second unless told otherwise. */
    public static final int DEFAULT_RATE = 2_000;
    /** Seconds of publishing unless told otherwise. */
    public static final int DEFAULT_SECONDS = 10;
    /** The slow subscriber's work per tick unless told otherwise, in milliseconds. */
    public static final int DEFAULT_SLOW_WORK_MILLIS = 10;
    /** The consumer buffer unless told otherwise: Vert.x's own default. */
    public static final int DEFAULT_BUFFER = 1_000;
    /** The most subscribers. */
    public static final int MAX_SUBSCRIBERS = 8;
    /** The highest rate. */
    public static final int MAX_RATE = 100_000;
    /** The longest publishing. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    /** The longest work per tick. */
    public static final Duration MAX_SLOW_WORK = Duration.ofSeconds(1);
    /** The largest consumer buffer. */
    public static final int MAX_BUFFER = 1_000_000;

    /**
     * @throws IllegalArgumentException if a value is out of range, saying which.
     */
    public TickerSettings {
        if (subscribers < 2 || subscribers > MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException("subscribers must be between 2 and " + MAX_SUBSCRIBERS
                + " (one of them slow), not " + subscribers);
        }
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate must be between 1 and " + MAX_RATE + " ticks/s, not " + rate);
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("the duration must be between 1 s and " + MAX_DURATION.toMinutes()
                + " min, not " + duration);
        }
        if (slowWork.compareTo(Duration.ofNanos(1_000)) < 0 || slowWork.compareTo(MAX_SLOW_WORK) > 0) {
            throw new IllegalArgumentException("slow-work must be between 1 us and " + MAX_SLOW_WORK.toSeconds()
                + " s, not " + slowWork);
        }
        if (buffer < 1 || buffer > MAX_BUFFER) {
            throw new IllegalArgumentException("buffer must be between 1 and " + MAX_BUFFER + " ticks, not " + buffer);
        }
    }

    /** @return how many ticks the publisher publishes. */
    public long ticks() {
        return (long) rate * duration.toSeconds();
    }
}
