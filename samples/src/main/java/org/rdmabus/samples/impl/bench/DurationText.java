package org.rdmabus.samples.impl.bench;

import java.time.Duration;

/** Durations the way the command line takes them: {@code 5m}, {@code 12s}, {@code 500ms}. */
final class DurationText {
    private DurationText() {
    }

    /**
     * @param duration a duration.
     * @return it in the largest of hours, minutes, seconds or milliseconds that says it exactly.
     */
    static String of(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
