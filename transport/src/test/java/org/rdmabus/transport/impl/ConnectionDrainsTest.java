package org.rdmabus.transport.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.impl.poller.PollerWork;

/** The drain-handler slot of one connection, shared by the event bus and RdmaChannel. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionDrainsTest {

    @Test
    void everyProtocolsDrainRunsOffAPoller() {
        ConnectionDrains drains = new ConnectionDrains();
        FakeConnection connection = new FakeConnection();
        List<String> ran = new CopyOnWriteArrayList<>();
        drains.add(connection, () -> ran.add("event bus"));
        drains.add(connection, () -> ran.add("channel"));
        connection.handler.get().run();
        assertEquals(2, ran.size(), "both drains ran at once: " + ran);
        assertTrue(ran.containsAll(List.of("event bus", "channel")));
        connection.handler.get().run();
        assertEquals(4, ran.size());
        assertTrue(!ran.get(0).equals(ran.get(2)), "the next run starts with the other protocol: " + ran);
        assertEquals(0, drains.runDeferred(), "nothing was deferred off a poller");
    }

    @Test
    void aDrainThePoolRunsOnAPollerWaitsForThePollersNextUnit() throws Exception {
        ConnectionDrains drains = new ConnectionDrains();
        FakeConnection connection = new FakeConnection();
        AtomicInteger drained = new AtomicInteger();
        drains.add(connection, drained::incrementAndGet);
        AtomicBoolean ranInline = new AtomicBoolean(true);
        AtomicInteger deferredRuns = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        PollerWork pool = () -> {
            if (once.compareAndSet(false, true)) {
                // As the pool's memory-waiter loop does: the handler is called, and must return without offering.
                connection.handler.get().run();
                connection.handler.get().run();
                ranInline.set(drained.get() != 0);
                return 1;
            }
            return 0;
        };
        PollerWork deferred = () -> {
            int work = drains.runDeferred();
            deferredRuns.addAndGet(work);
            if (work > 0) {
                done.countDown();
            }
            return work;
        };
        try (CompletionPoller poller = new CompletionPoller(0, List.of(pool, deferred),
            new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)), Throwable::printStackTrace)) {
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(false, ranInline.get(), "on a poller the drain is deferred, not run inside the pool's call");
            assertEquals(1, drained.get(), "two requests while pending make one drain");
            assertEquals(1, deferredRuns.get());
        }
    }

    /** A connection that only keeps its drain handler. */
    private static final class FakeConnection implements Connection {
        final AtomicReference<Runnable> handler = new AtomicReference<>();

        @Override
        public String nodeId() {
            return "peer";
        }

        @Override
        public SendStatus offer(FrameType type, int flags, DirectBuffer source, int offset, int length,
                                SendCallback callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void drainHandler(Runnable drain) {
            handler.set(drain);
        }

        @Override
        public boolean isPromoted() {
            return false;
        }

        @Override
        public PeerStats stats() {
            throw new UnsupportedOperationException();
        }
    }
}
