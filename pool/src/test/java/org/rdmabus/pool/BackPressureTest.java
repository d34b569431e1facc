package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;

/** Credits: a receiver that holds its buffers stops the sender, which resumes when they are released. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackPressureTest {

    @Test
    void exhaustedCreditsBackPressureThenResumeInOrderWhenReleased() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", o -> o.sendQueueDepth(32));
            QpPool b = cluster.start("node-b");
            Inbox inbox = new Inbox();
            inbox.hold(true);
            b.messageSink(inbox);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<Outcome> accepted = new ArrayList<>();
            SendStatus status = fill(ab, accepted);
            // Frames still in flight when the queue first filled free their initiator slots (and on RC the whole
            // first fill waits for the connect, then drains to the credits); fill again once the receiver holds
            // every credit, so the count below is exact, and watch for a drain from then on.
            assertTrue(Inbox.await(() -> inbox.heldCount() == 16, 10, TimeUnit.SECONDS));
            CountDownLatch drained = new CountDownLatch(1);
            ab.drainHandler(drained::countDown);
            status = fill(ab, accepted);
            int offered = accepted.size();

            assertEquals(SendStatus.BACK_PRESSURED, status);
            assertFalse(ab.isWritable());
            assertEquals(16 + 32, offered, "initial credits plus the send queue's depth");
            Thread.sleep(100);
            assertEquals(16, inbox.size(), "nothing beyond the credits may reach the receiver");
            assertEquals(0, ab.stats().sendCredits());
            assertEquals(1, drained.getCount(), "no drain before the receiver releases");
            assertTrue(a.stats().backPressured() >= 1);
            assertTrue(a.stats().queueWaits() >= 32);

            inbox.hold(false);
            inbox.releaseHeld();
            assertTrue(drained.await(10, TimeUnit.SECONDS), "the drain handler runs once the queue has room");
            for (Outcome outcome : accepted) {
                assertNull(outcome.await());
            }
            assertTrue(Inbox.await(() -> inbox.size() == 48, 10, TimeUnit.SECONDS));
            List<Inbox.Received> received = inbox.all();
            for (int i = 0; i < received.size(); i++) {
                assertArrayEquals(MessagingTest.payload(i, 64), received.get(i).payload());
            }
            assertTrue(ab.isWritable());
            assertTrue(Inbox.await(() -> ab.stats().sendCredits() == 16, 10, TimeUnit.SECONDS),
                "every credit comes back, by piggy-back or CREDIT frame: " + ab.stats().sendCredits());
            assertTrue(a.stats().queueWaitNanosTotal() > 0);
        }
    }

    private static SendStatus fill(Connection connection, List<Outcome> accepted) {
        while (accepted.size() < 10_000) {
            Outcome outcome = new Outcome();
            byte[] payload = MessagingTest.payload(accepted.size(), 64);
            SendStatus status = connection.offer(FrameType.MESSAGE, 0, new VarHandleBuffer(payload), 0, payload.length,
                outcome);
            if (status != SendStatus.ACCEPTED) {
                return status;
            }
            accepted.add(outcome);
        }
        return SendStatus.ACCEPTED;
    }

    @Test
    void anOversizedMessageIsRefusedBeforeAnyAllocationNamingTheLimit() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            cluster.start("node-b");
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            int limit = a.maxMessageSize();
            assertEquals(4096 - 56, limit);
            Outcome outcome = new Outcome();
            byte[] payload = new byte[limit + 1];
            SendStatus status = ab.offer(FrameType.MESSAGE, 0, new VarHandleBuffer(payload), 0, payload.length, outcome);
            assertEquals(SendStatus.REJECTED, status);
            MessageTooLargeException failure =
                assertInstanceOf(MessageTooLargeException.class, outcome.done.getNow(null));
            assertEquals(limit, failure.limit());
            assertEquals(limit + 1, failure.length());
            assertTrue(failure.getMessage().contains(Integer.toString(limit)), failure.getMessage());
            assertEquals(0, a.stats().sendChunksInUse());
            assertEquals(0, ab.stats().queuedMessages());
            assertEquals(0, a.stats().framesSent());
        }
    }

    @Test
    void controlTypesAndBadFlagsAreProgrammingErrors() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            cluster.start("node-b");
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            VarHandleBuffer buffer = new VarHandleBuffer(new byte[8]);
            AtomicInteger calls = new AtomicInteger();
            SendCallback callback = failure -> calls.incrementAndGet();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ab.offer(FrameType.CREDIT, 0, buffer, 0, 8, callback));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ab.offer(FrameType.ERROR, org.rdmabus.codec.FrameLayout.FLAG_SEGMENT, buffer, 0, 8, callback));
            org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> ab.offer(FrameType.MESSAGE, 0, buffer, 4, 8, callback));
            assertEquals(0, calls.get());
        }
    }
}
