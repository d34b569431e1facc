package org.rdmabus.samples.impl.bench;

import java.time.Duration;
import java.util.List;

/**
 * What one scenario did.
 *
 * @param scenario the scenario.
 * @param command  the command that ran it, one argument per element.
 * @param outcome  how it ended.
 * @param exitCode its JVM's exit code; -1 when it never started, or was killed before it could exit.
 * @param duration from start to end (or to the kill).
 * @param output   what it printed on standard output and standard error, interleaved as printed.
 * @param detail   why it failed to start, was killed or was cut short; empty otherwise.
 */
public record ScenarioResult(Scenario scenario, List<String> command, Outcome outcome, int exitCode,
                             Duration duration, String output, String detail) {

    /** How a scenario ended. */
    public enum Outcome {
        /** Its JVM exited by itself; the exit code says how well. */
        EXITED,
        /** It ran past the per-scenario timeout and was killed with everything it started. */
        TIMED_OUT,
        /** The tool was stopped (Ctrl-C) while it ran; it was killed with everything it started. */
        INTERRUPTED,
        /** Its JVM could not be started. */
        NOT_STARTED
    }

    /** @return whether it exited by itself with code 0. */
    public boolean succeeded() {
        return outcome == Outcome.EXITED && exitCode == 0;
    }

    /** @return one line for the console and the report, e.g. {@code exited with status 0 after 4.2 s}. */
    public String statusLine() {
        String took = String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        String line = switch (outcome) {
            case EXITED -> "exited with status " + exitCode + " after " + took;
            case TIMED_OUT -> "timed out after " + took + ": killed with every process it started";
            case INTERRUPTED -> "interrupted after " + took + ": killed with every process it started";
            case NOT_STARTED -> "did not start";
        };
        return detail.isEmpty() ? line : line + " (" + detail + ")";
    }
}
