package org.rdmabus.samples.quote.impl;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code rdmabus quote-service} runs.
 *
 * @param port        the gateway's HTTP port on 127.0.0.1; 0 picks a free one.
 * @param duration    how long to serve before stopping; empty to serve until Ctrl-C. With a self-test, how long all
 *                    its requests may take at most ({@link #DEFAULT_SELF_TEST_LIMIT_SECONDS} when empty).
 * @param selfTest    how many measured requests the self-test sends, one at a time; 0 for no self-test.
 * @param warmup      how many requests the self-test sends first, checked but not measured, so that the figures
 *                    are of warm nodes (JIT-compiled, event-bus connections open); ignored without a self-test.
 * @param reportEvery how often the per-hop latency of the last interval is printed while serving.
 */
public record QuoteSettings(int port, Optional<Duration> duration, int selfTest, int warmup, Duration reportEvery) {

    /** The gateway's port unless told otherwise. */
    public static final int DEFAULT_PORT = 8080;
    /** How often the per-hop latency is printed unless told otherwise, in seconds. */
    public static final int DEFAULT_REPORT_SECONDS = 5;
    /** The self-test's warm-up requests unless told otherwise. */
    public static final int DEFAULT_WARMUP = 500;
    /** The self-test's time limit when no duration is given, in seconds. */
    public static final int DEFAULT_SELF_TEST_LIMIT_SECONDS = 60;
    /** The most requests a self-test sends. */
    public static final int MAX_SELF_TEST = 1_000_000;
    /** The longest duration. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    /** The longest report interval. */
    public static final Duration MAX_REPORT_EVERY = Duration.ofHours(1);

    /**
     * @throws IllegalArgumentException if a value is out of range, saying which.
     */
    public QuoteSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        duration.ifPresent(limit -> {
            if (limit.compareTo(Duration.ofSeconds(1)) < 0 || limit.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("the duration must be between 1 s and " + MAX_DURATION.toDays()
                    + " days, not " + limit);
            }
        });
        if (selfTest < 0 || selfTest > MAX_SELF_TEST) {
            throw new IllegalArgumentException("self-test must be between 1 and " + MAX_SELF_TEST
                + " requests (or 0 for none), not " + selfTest);
        }
        if (warmup < 0 || warmup > MAX_SELF_TEST) {
            throw new IllegalArgumentException("warmup must be between 0 and " + MAX_SELF_TEST + " requests, not "
                + warmup);
        }
        if (reportEvery.compareTo(Duration.ofSeconds(1)) < 0 || reportEvery.compareTo(MAX_REPORT_EVERY) > 0) {
            throw new IllegalArgumentException("report-every must be between 1 s and " + MAX_REPORT_EVERY.toMinutes()
                + " min, not " + reportEvery);
        }
    }

    /** @return whether this run is a self-test. */
    public boolean selfTesting() {
        return selfTest > 0;
    }

    /** @return how long the self-test's requests, warm-up included, may take at most. */
    public Duration selfTestLimit() {
        return duration.orElse(Duration.ofSeconds(DEFAULT_SELF_TEST_LIMIT_SECONDS));
    }
}
