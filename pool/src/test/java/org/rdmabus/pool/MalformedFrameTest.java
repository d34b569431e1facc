package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.rdmabus.buffer.VarHandleBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;

/**
 * A malformed data frame from a live peer is dropped, and the credit it spent comes back: without that, every such
 * frame would cost the sender one of its credits for good, and after as many as its initial grant it could send
 * nothing more to that receiver.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MalformedFrameTest {

    /** More malformed frames than the sender's initial credits (16 in {@link PoolCluster#options}). */
    private static final int MALFORMED = 40;

    @Test
    void malformedDataFramesAreDroppedAndTheirCreditsComeBack() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(16, ab.stats().sendCredits());
            long droppedBefore = b.stats().framesDropped();

            // A segment shorter than the segment header: the sender does not look inside, the receiver's decoder
            // refuses it (BAD_SEGMENT).
            byte[] broken = new byte[4];
            for (int i = 0; i < MALFORMED; i++) {
                Outcome outcome = new Outcome();
                SendStatus status = offer(ab, FrameLayout.FLAG_SEGMENT, broken, outcome);
                assertEquals(SendStatus.ACCEPTED, status, "malformed frame " + i);
                assertNull(outcome.await(), "malformed frame " + i + " lands in the receiver's queue");
            }
            byte[] payload = MessagingTest.payload(7, 64);
            Outcome outcome = new Outcome();
            assertEquals(SendStatus.ACCEPTED, offer(ab, 0, payload, outcome));
            assertNull(outcome.await(), "a well-formed frame after them arrives");

            assertTrue(Inbox.await(() -> inbox.size() == 1, 10, TimeUnit.SECONDS));
            assertArrayEquals(payload, inbox.all().get(0).payload());
            assertEquals(MALFORMED, b.stats().framesDropped() - droppedBefore, "every malformed frame is dropped and counted");
            assertTrue(Inbox.await(() -> ab.stats().sendCredits() == 16, 10, TimeUnit.SECONDS),
                "every credit comes back: " + ab.stats().sendCredits());
            assertEquals(0, b.stats().receiveBuffersWaitingToPost());
            assertEquals(0, b.stats().receiveBuffersLent());
        }
    }

    private static SendStatus offer(Connection connection, int flags, byte[] payload, Outcome outcome) {
        return connection.offer(FrameType.MESSAGE, flags, new VarHandleBuffer(payload), 0, payload.length, outcome);
    }
}
