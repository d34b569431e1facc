package org.rdmabus.samples.quote.impl;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code quote-service} run did, for its exit code and for tests.
 *
 * @param checks            the self-test's requests and their checks, warm-up first, in order; empty without a
 *                          self-test.
 * @param served            the hops of every quote the gateway reported serving.
 * @param nodePids          the process ids of every node JVM the run started.
 * @param sharedMemoryFiles the shared-memory files the nodes were seen using, all removed by now.
 * @param failure           why the run failed, if it did.
 */
public record QuoteOutcome(List<QuoteCheck> checks, HopHistograms served, List<Long> nodePids,
                           Set<Path> sharedMemoryFiles, Optional<String> failure) {

    /** Copies the lists, so that an outcome cannot change later. */
    public QuoteOutcome {
        checks = List.copyOf(checks);
        nodePids = List.copyOf(nodePids);
        sharedMemoryFiles = Set.copyOf(sharedMemoryFiles);
    }

    /** @return how many self-test requests got a wrong answer or none. */
    public long failedChecks() {
        return checks.stream().filter(check -> !check.passed()).count();
    }

    /** @return 0 when the run completed and every self-test answer was right, 1 otherwise. */
    public int exitCode() {
        return failure.isEmpty() && failedChecks() == 0 ? 0 : 1;
    }
}
