package org.rdmabus.codec;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many frames and segments were refused, per {@link DecodeError}. Decoders and reassemblers on any thread
 * may share one set; a metrics thread reads it at any time. Counting never allocates.
 */
public final class DecodeErrorCounters {
    private static final DecodeError[] REASONS = DecodeError.values();

    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    /** Creates a set with every count at zero. */
    public DecodeErrorCounters() {
    }

    /**
     * Counts one refusal.
     *
     * @param reason why.
     */
    public void increment(DecodeError reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    /**
     * @param reason a reason.
     * @return how many refusals had that reason.
     */
    public long count(DecodeError reason) {
        return counts.get(reason.ordinal());
    }

    /** @return how many refusals there were, whatever the reason. */
    public long total() {
        long sum = 0;
        for (int i = 0; i < REASONS.length; i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** @return a copy of the non-zero counts. Allocates; meant for metrics and logs. */
    public Map<DecodeError, Long> snapshot() {
        Map<DecodeError, Long> copy = new EnumMap<>(DecodeError.class);
        for (DecodeError reason : REASONS) {
            long value = counts.get(reason.ordinal());
            if (value != 0) {
                copy.put(reason, value);
            }
        }
        return copy;
    }

    /** @return the non-zero counts. */
    @Override
    public String toString() {
        return "DecodeErrorCounters" + snapshot();
    }
}
