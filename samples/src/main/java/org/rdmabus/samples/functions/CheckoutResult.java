package org.rdmabus.samples.functions;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a function instance answered, and when, by {@link System#nanoTime()} in its JVM.
 *
 * @param totalCents      the checkout's total.
 * @param startedNanos    when the instance's code began to run.
 * @param callsNanos      when its first call began, after any control path of its own.
 * @param finishedNanos   when it had both answers.
 * @param controlPath     how long each control-path step took, in nanoseconds; empty for an instance that opened
 *                        nothing of its own.
 */
public record CheckoutResult(long totalCents, long startedNanos, long callsNanos, long finishedNanos,
                             Map<ControlStep, Long> controlPath) {

    /**
     * Copies the control path, so that a result cannot change later.
     *
     * @throws IllegalArgumentException if the times are not in order.
     */
    public CheckoutResult {
        if (callsNanos - startedNanos < 0 || finishedNanos - callsNanos < 0) {
            throw new IllegalArgumentException("the times of a result must be in order: started " + startedNanos
                + ", calls " + callsNanos + ", finished " + finishedNanos);
        }
        controlPath = controlPath.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(controlPath));
    }

    /** @return how long the two calls took. */
    public long callsTookNanos() {
        return finishedNanos - callsNanos;
    }
}
