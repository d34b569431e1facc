package org.rdmabus.transport.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rdmabus.pool.Connection;
import org.rdmabus.transport.impl.poller.CompletionPoller;

/**
 * Shares the single drain-handler slot of a pool {@link Connection} between the protocols that send on it (the
 * event bus and {@code RdmaChannel}). Each registers its own drain; when the pool reports room again, every drain
 * of that connection runs, starting with a different one each time so that no protocol always refills the queue
 * first. A drain with nothing waiting returns at once, so running all of them is cheap.
 * <p>
 * When the pool calls a drain handler on a completion poller, the drains run a little later on that poller, from
 * {@link #runDeferred()}, after the pool's own work. The pool wakes peers that wait for registered memory in a loop
 * that a drain offering again (and being refused again) would re-enter for ever; that poller also receives the
 * credits that would free the memory. On any other thread the drains run at once.
 */
public final class ConnectionDrains {
    private final Map<Connection, FanOut> byConnection = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<FanOut> deferred = new ConcurrentLinkedQueue<>();

    /**
     * Adds a drain to a connection's handlers.
     *
     * @param connection the pool connection.
     * @param drain      offers what its protocol has waiting; may be called from inside an offer (re-entrantly).
     */
    public void add(Connection connection, Runnable drain) {
        byConnection.computeIfAbsent(connection, c -> {
            FanOut fanOut = new FanOut();
            c.drainHandler(fanOut);
            return fanOut;
        }).drains.add(drain);
    }

    /**
     * Forgets the drains of a peer that left.
     *
     * @param nodeId the peer's node id.
     */
    public void peerLeft(String nodeId) {
        byConnection.keySet().removeIf(connection -> connection.nodeId().equals(nodeId));
    }

    /** Forgets every drain. */
    public void clear() {
        byConnection.clear();
        deferred.clear();
    }

    /**
     * Runs the drains the pool asked for on a poller; a poller unit, after the pool's {@code doWork}. Drains asked for
     * while these run wait for the next call.
     *
     * @return how many connections were drained.
     */
    public int runDeferred() {
        int work = 0;
        for (int due = deferred.size(); due > 0; due--) {
            FanOut fanOut = deferred.poll();
            if (fanOut == null) {
                break;
            }
            fanOut.pending.set(false);
            fanOut.drainNow();
            work++;
        }
        return work;
    }

    private final class FanOut implements Runnable {
        private final CopyOnWriteArrayList<Runnable> drains = new CopyOnWriteArrayList<>();
        private final AtomicInteger rotation = new AtomicInteger();
        private final AtomicBoolean pending = new AtomicBoolean();

        @Override
        public void run() {
            if (!CompletionPoller.onPollerThread()) {
                drainNow();
            } else if (pending.compareAndSet(false, true)) {
                deferred.add(this);
            }
        }

        void drainNow() {
            Object[] current = drains.toArray();
            int first = Math.floorMod(rotation.getAndIncrement(), Math.max(1, current.length));
            RuntimeException failure = null;
            for (int i = 0; i < current.length; i++) {
                try {
                    ((Runnable) current[(first + i) % current.length]).run();
                } catch (RuntimeException e) {
                    // One protocol's failure must not leave the other's messages waiting; the pool counts it.
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
