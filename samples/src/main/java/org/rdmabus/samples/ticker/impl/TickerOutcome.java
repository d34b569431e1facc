package org.rdmabus.samples.ticker.impl;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@code ticker} run did, for its exit code and for tests.
 *
 * @param published         how many ticks the publisher published; 0 if it never finished.
 * @param publishNanos      how long publishing took.
 * @param subscribers       each subscriber's report, fast ones first, then the slow one.
 * @param throughput        each fast subscriber's ticks taken per second while publishing, by name, in order.
 * @param nodePids          the process ids of every node JVM the run started.
 * @param sharedMemoryFiles the shared-memory files the nodes were seen using, all removed by now.
 * @param failure           why the run failed, if it did.
 */
public record TickerOutcome(long published, long publishNanos, List<SubscriberResult> subscribers,
                            List<Throughput> throughput, List<Long> nodePids, Set<Path> sharedMemoryFiles,
                            Optional<String> failure) {

    /**
     * One fast subscriber's ticks per second, second by second.
     *
     * @param name    the subscriber.
     * @param perSecond ticks it took in each second from the first sample on.
     */
    public record Throughput(String name, List<Long> perSecond) {

        /** Copies the samples. */
        public Throughput {
            perSecond = List.copyOf(perSecond);
        }
    }

    /** Copies the collections, so that an outcome cannot change later. */
    public TickerOutcome {
        subscribers = List.copyOf(subscribers);
        throughput = List.copyOf(throughput);
        nodePids = List.copyOf(nodePids);
        sharedMemoryFiles = Set.copyOf(sharedMemoryFiles);
    }

    /** @return whether every fast subscriber took every tick, in order, and the slow one took its ticks in order. */
    public boolean delivered() {
        return published > 0 && !subscribers.isEmpty() && subscribers.stream().allMatch(subscriber ->
            subscriber.role() == TickerRole.FAST ? subscriber.tookEvery(published) : subscriber.backwards() == 0);
    }

    /** @return 0 when the run completed and {@link #delivered()}, 1 otherwise. */
    public int exitCode() {
        return failure.isEmpty() && delivered() ? 0 : 1;
    }
}
