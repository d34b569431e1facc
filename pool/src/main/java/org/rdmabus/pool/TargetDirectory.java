package org.rdmabus.pool;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.rdmabus.verbs.TargetAddress;

/**
 * Maps node ids to the {@link TargetAddress} of each node's DC target.
 * <p>
 * The transport fills it eagerly from cluster membership with {@link #put} and {@link #remove}. A miss goes to a
 * pluggable asynchronous lookup, once per node however many callers miss at the same time, and the answer is
 * cached. Addresses are stored without their access key: nodes advertise them that way, and the pool puts the
 * cluster key back when it sends.
 * <p>
 * Thread-safe. Hits never allocate and never block.
 */
public final class TargetDirectory {

    /** Told when a node's address changes or goes away, so the pool can reset what it knew about the node. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called on the thread that changed the directory, after the change.
         *
         * @param nodeId   the node.
         * @param previous the address it had, or {@code null}.
         * @param current  the address it has now, or {@code null} if it left (then {@code previous} may be
         *                 {@code null} too: the node was known only to the pool).
         */
        void onChange(String nodeId, TargetAddress previous, TargetAddress current);
    }

    private static final Function<String, CompletionStage<TargetAddress>> NO_LOOKUP =
        node -> CompletableFuture.completedFuture(null);

    private final ConcurrentHashMap<String, TargetAddress> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<TargetAddress>> lookups = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Function<String, CompletionStage<TargetAddress>> lookup = NO_LOOKUP;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder lookupFailures = new LongAdder();
    private final AtomicLong missNanosTotal = new AtomicLong();
    private final AtomicLong missNanosMax = new AtomicLong();

    /** Creates an empty directory whose misses find nothing until {@link #lookup(Function)} is set. */
    public TargetDirectory() {
    }

    /**
     * @param lookup asks the cluster for a node's address; completes with {@code null} if the node is unknown.
     *               Called at most once at a time per node.
     * @return this.
     */
    public TargetDirectory lookup(Function<String, CompletionStage<TargetAddress>> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        return this;
    }

    /**
     * Records a node's address; a different address for a known node replaces it and tells the listeners.
     *
     * @param nodeId  the node.
     * @param address its DC target's address; any access key it carries is dropped.
     */
    public void put(String nodeId, TargetAddress address) {
        Objects.requireNonNull(nodeId, "nodeId");
        TargetAddress keyless = address.withAccessKey(0);
        TargetAddress previous = entries.put(nodeId, keyless);
        if (!keyless.equals(previous)) {
            notifyChange(nodeId, previous, keyless);
        }
    }

    /**
     * Forgets a node that left the cluster, and any lookup still running for it. Listeners are told even if no
     * address was cached, since the pool may know the node from its frames alone.
     *
     * @param nodeId the node.
     */
    public void remove(String nodeId) {
        CompletableFuture<TargetAddress> pending = lookups.remove(nodeId);
        TargetAddress previous = entries.remove(nodeId);
        if (pending != null) {
            pending.completeExceptionally(new UnknownNodeException(nodeId, null));
        }
        notifyChange(nodeId, previous, null);
    }

    /**
     * @param nodeId the node.
     * @return its cached address without access key, or {@code null} on a miss; never starts a lookup.
     */
    public TargetAddress cached(String nodeId) {
        return entries.get(nodeId);
    }

    /**
     * Resolves a node: a hit returns a completed stage; a miss starts the lookup, or joins the one in progress.
     *
     * @param nodeId the node.
     * @return its address without access key, or a failure with {@link UnknownNodeException}.
     */
    public CompletionStage<TargetAddress> resolve(String nodeId) {
        TargetAddress hit = entries.get(nodeId);
        if (hit != null) {
            hits.increment();
            return CompletableFuture.completedFuture(hit);
        }
        return miss(nodeId);
    }

    /**
     * Counts a hit served by a cache above this directory (the pool's own connection table), so hit rates
     * stay truthful.
     */
    void countHit() {
        hits.increment();
    }

    private CompletableFuture<TargetAddress> miss(String nodeId) {
        CompletableFuture<TargetAddress> created = new CompletableFuture<>();
        CompletableFuture<TargetAddress> running = lookups.putIfAbsent(nodeId, created);
        if (running != null) {
            return running;
        }
        TargetAddress raced = entries.get(nodeId);
        if (raced != null) {
            lookups.remove(nodeId, created);
            created.complete(raced);
            return created;
        }
        misses.increment();
        long start = System.nanoTime();
        CompletionStage<TargetAddress> answer;
        try {
            answer = Objects.requireNonNull(lookup.apply(nodeId), "lookup returned no stage");
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((address, failure) -> settle(nodeId, created, address, failure, start));
        return created;
    }

    private void settle(String nodeId, CompletableFuture<TargetAddress> lookupFuture, TargetAddress address,
                        Throwable failure, long start) {
        long elapsed = System.nanoTime() - start;
        missNanosTotal.addAndGet(elapsed);
        missNanosMax.accumulateAndGet(elapsed, Math::max);
        boolean current = lookups.remove(nodeId, lookupFuture);
        if (failure != null || address == null) {
            lookupFailures.increment();
            lookupFuture.completeExceptionally(new UnknownNodeException(nodeId, failure));
            return;
        }
        TargetAddress keyless = address.withAccessKey(0);
        if (!current) {
            // The node left, or was put, while the lookup ran: membership is newer than this answer.
            TargetAddress latest = entries.get(nodeId);
            if (latest == null) {
                lookupFuture.completeExceptionally(new UnknownNodeException(nodeId, null));
            } else {
                lookupFuture.complete(latest);
            }
            return;
        }
        TargetAddress previous = entries.putIfAbsent(nodeId, keyless);
        lookupFuture.complete(previous == null ? keyless : previous);
        if (previous == null) {
            notifyChange(nodeId, null, keyless);
        }
    }

    /** @param listener told of every change of a node's address. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @param listener a listener added before; it is told nothing more. */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void notifyChange(String nodeId, TargetAddress previous, TargetAddress current) {
        for (Listener listener : listeners) {
            listener.onChange(nodeId, previous, current);
        }
    }

    /** @return the nodes that have an address now; a snapshot. */
    public java.util.Set<String> nodeIds() {
        return java.util.Set.copyOf(entries.keySet());
    }

    /** @return how many nodes have an address. */
    public int size() {
        return entries.size();
    }

    /** @return lookups answered from the cache. */
    public long hits() {
        return hits.sum();
    }

    /** @return lookups that went to the pluggable lookup (concurrent misses for one node count once). */
    public long misses() {
        return misses.sum();
    }

    /** @return misses whose lookup failed or found nothing. */
    public long lookupFailures() {
        return lookupFailures.sum();
    }

    /** @return the total time misses spent in the pluggable lookup, in nanoseconds. */
    public long missNanosTotal() {
        return missNanosTotal.get();
    }

    /** @return the longest time one miss spent in the pluggable lookup, in nanoseconds. */
    public long missNanosMax() {
        return missNanosMax.get();
    }
}
