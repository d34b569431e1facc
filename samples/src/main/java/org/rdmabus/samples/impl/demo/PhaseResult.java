package org.rdmabus.samples.impl.demo;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.node.PathReport;

/**
 * What one phase measured.
 *
 * @param transport     the phase.
 * @param requesterPath the path the requester reported.
 * @param responderPath the path the responder reported.
 * @param startMillis   how long the slower node took to join the cluster.
 * @param latency       the measured sequential round trips, in nanoseconds.
 * @param latencyLoad   how the measured round trips went.
 * @param throughput    how the pipelined load went.
 * @param firstContacts the first and second request to each never-contacted node.
 */
public record PhaseResult(Transport transport, PathReport requesterPath, PathReport responderPath, long startMillis,
                          Histogram latency, LoadOutcome latencyLoad, LoadOutcome throughput,
                          List<FirstContact> firstContacts) {

    /** Copies the list. */
    public PhaseResult {
        firstContacts = List.copyOf(firstContacts);
    }

    /** @return whether the phase's traffic really went over rdmabus, as both nodes report. */
    public boolean overRdma() {
        return requesterPath.overRdma() && responderPath.overRdma();
    }

    /** @return the requests that failed or were cut short by a time limit in the measured loads. */
    public long problems() {
        long problems = latencyLoad.failed() + throughput.failed();
        if (latencyLoad.timedOut()) {
            problems++;
        }
        if (throughput.timedOut()) {
            problems++;
        }
        return problems;
    }

    /** @return the median first request to a new node, in nanoseconds. */
    public long firstContactMedianNanos() {
        List<Long> sorted = firstContacts.stream().map(FirstContact::firstNanos).sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * The first and the second request to a node the requester never contacted before.
     *
     * @param address     the fresh node's consumer address.
     * @param firstNanos  the first request's round trip: for TCP, it includes opening the connection.
     * @param secondNanos the second request's round trip, on the now open connection, for comparison.
     */
    public record FirstContact(String address, long firstNanos, long secondNanos) {
    }
}
