package org.rdmabus.samples.quote.impl;

import java.util.List;
import java.util.Optional;
import org.rdmabus.samples.quote.Quote;
import org.rdmabus.samples.quote.QuoteRequest;

/**
 * One self-test request and what was wrong with its answer, if anything.
 *
 * @param warmup         whether it was a warm-up request: checked, but not in the latency figures.
 * @param request        what was asked.
 * @param status         the HTTP status, or -1 when no response came.
 * @param body           the response body, or why no response came.
 * @param roundTripNanos the HTTP round trip as the self-test measured it.
 * @param quote          the quote the body holds, when it is a well-formed one.
 * @param problems       what is wrong: empty when the answer is right.
 */
public record QuoteCheck(boolean warmup, QuoteRequest request, int status, String body, long roundTripNanos,
                         Optional<Quote> quote, List<String> problems) {

    /** The status of a request that got no response. */
    public static final int NO_RESPONSE = -1;

    /** Copies the problems, so that a check cannot change later. */
    public QuoteCheck {
        problems = List.copyOf(problems);
    }

    /** @return whether the answer is right. */
    public boolean passed() {
        return problems.isEmpty();
    }
}
