package org.rdmabus.samples.functions.impl;

import java.time.Duration;

/**
 * What {@code rdmabus function-runtime} runs.
 *
 * @param invocations measured invocations per column.
 * @param warmup      invocations per column run first and left out of the figures, so that they describe warm JVMs
 *                    rather than the JIT compiler at work.
 * @param timeLimit   how long all invocations may take; the run stops early, with fewer, when it passes.
 */
public record FunctionSettings(int invocations, int warmup, Duration timeLimit) {

    /** Measured invocations per column unless told otherwise. */
    public static final int DEFAULT_INVOCATIONS = 200;
    /** Warm-up invocations per column unless told otherwise. */
    public static final int DEFAULT_WARMUP = 50;
    /** The time limit unless told otherwise, in seconds. */
    public static final int DEFAULT_TIME_LIMIT_SECONDS = 120;
    /** The most invocations per column. */
    public static final int MAX_INVOCATIONS = 100_000;
    /** The longest time limit. */
    public static final Duration MAX_TIME_LIMIT = Duration.ofHours(1);

    /**
     * @throws IllegalArgumentException if a value is out of range, saying which.
     */
    public FunctionSettings {
        if (invocations < 1 || invocations > MAX_INVOCATIONS) {
            throw new IllegalArgumentException("invocations must be between 1 and " + MAX_INVOCATIONS + ", not "
                + invocations);
        }
        if (warmup < 0 || warmup > MAX_INVOCATIONS) {
            throw new IllegalArgumentException("warmup must be between 0 and " + MAX_INVOCATIONS + ", not " + warmup);
        }
        if (timeLimit.compareTo(Duration.ofSeconds(1)) < 0 || timeLimit.compareTo(MAX_TIME_LIMIT) > 0) {
            throw new IllegalArgumentException("the time limit must be between 1 s and " + MAX_TIME_LIMIT.toMinutes()
                + " min, not " + timeLimit);
        }
    }
}
