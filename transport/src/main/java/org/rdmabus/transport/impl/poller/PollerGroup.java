package org.rdmabus.transport.impl.poller;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.rdmabus.transport.PollerIdleStrategy;

/**
 * The JVM's completion pollers: a bounded number of {@link CompletionPoller} threads, each driving the work
 * for its index.
 */
public final class PollerGroup implements AutoCloseable {
    private final List<CompletionPoller> pollers;

    /**
     * Starts {@code count} pollers.
     *
     * @param count        how many threads; see {@link #threadCount(int, int)}.
     * @param workForIndex the units poller {@code i} drives.
     * @param idle         how pollers idle.
     * @param errorHandler told of every failure a unit throws.
     */
    public PollerGroup(int count, IntFunction<List<PollerWork>> workForIndex, PollerIdleStrategy idle,
                       Consumer<Throwable> errorHandler) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<CompletionPoller> started = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            started.add(new CompletionPoller(i, workForIndex.apply(i), IdleStrategies.create(idle, cores),
                errorHandler));
        }
        this.pollers = List.copyOf(started);
    }

    /**
     * Bounds the poller count by the cores: a poller per four cores by default, and never more pollers than
     * leave one core to the event loops.
     *
     * @param requested the configured count, or 0 for the default.
     * @param cores     the cores available.
     * @return how many poller threads to start, at least 1.
     */
    public static int threadCount(int requested, int cores) {
        int ceiling = Math.max(1, cores - 1);
        int wanted = requested > 0 ? requested : Math.max(1, cores / 4);
        return Math.min(wanted, ceiling);
    }

    /** @return the pollers, in index order. */
    public List<CompletionPoller> pollers() {
        return pollers;
    }

    /** @return polls summed over every poller. */
    public long polls() {
        return pollers.stream().mapToLong(CompletionPoller::polls).sum();
    }

    /** @return empty polls summed over every poller. */
    public long emptyPolls() {
        return pollers.stream().mapToLong(CompletionPoller::emptyPolls).sum();
    }

    /** Stops every poller. Idempotent. */
    @Override
    public void close() {
        pollers.forEach(CompletionPoller::close);
    }
}
