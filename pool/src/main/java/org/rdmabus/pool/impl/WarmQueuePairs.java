package org.rdmabus.pool.impl;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * RC queue pairs created ahead of time, so that connecting a peer takes one instead of creating one (KRCore's warm
 * pool, for RC). {@link #take()} hands out a ready queue pair and asks the control executor to create its
 * replacement, off every request path; only when the pool is empty does a caller create one itself (counted, as a
 * cold take).
 */
final class WarmQueuePairs implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WarmQueuePairs.class.getName());

    private final Supplier<ReliablePath> factory;
    private final Executor refiller;
    private final int target;
    private final ConcurrentLinkedQueue<ReliablePath> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private final AtomicLong warmTakes = new AtomicLong();
    private final AtomicLong coldTakes = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param factory  creates one unconnected queue pair; may throw.
     * @param refiller where replacements are created.
     * @param target   how many to keep ready.
     */
    WarmQueuePairs(Supplier<ReliablePath> factory, Executor refiller, int target) {
        this.factory = factory;
        this.refiller = refiller;
        this.target = target;
    }

    /** Creates the whole reserve now, on the caller's thread; for start-up. */
    void fill() {
        while (size.get() < target) {
            ready.add(factory.get());
            size.incrementAndGet();
        }
    }

    /**
     * @return an unconnected queue pair, from the reserve when it has one.
     * @throws RuntimeException if the reserve is empty and a new one cannot be created.
     */
    ReliablePath take() {
        ReliablePath path = ready.poll();
        if (path != null) {
            size.decrementAndGet();
            warmTakes.incrementAndGet();
        } else {
            coldTakes.incrementAndGet();
            path = factory.get();
        }
        scheduleRefill();
        return path;
    }

    private void scheduleRefill() {
        if (target == 0 || closed || !refilling.compareAndSet(false, true)) {
            return;
        }
        try {
            refiller.execute(this::refill);
        } catch (RejectedExecutionException closing) {
            refilling.set(false);
        }
    }

    private void refill() {
        try {
            while (!closed && size.get() < target) {
                ready.add(factory.get());
                size.incrementAndGet();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not create a warm RC queue pair; the next connect creates its own", e);
        } finally {
            refilling.set(false);
        }
        if (closed) {
            close();
        }
    }

    /** @return queue pairs ready now. */
    int ready() {
        return size.get();
    }

    /** @return connects served from the reserve. */
    long warmTakes() {
        return warmTakes.get();
    }

    /** @return connects that found the reserve empty and created their queue pair. */
    long coldTakes() {
        return coldTakes.get();
    }

    /** Closes every queue pair still in reserve. Idempotent. */
    @Override
    public void close() {
        closed = true;
        ReliablePath path;
        while ((path = ready.poll()) != null) {
            size.decrementAndGet();
            try {
                path.close();
            } catch (RuntimeException ignored) {
                // Best effort: the NIC's own close releases the rest.
            }
        }
    }
}
