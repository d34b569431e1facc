package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Messages between pools on the soft provider: delivery, order, sizes, both directions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessagingTest {

    @Test
    void deliversMessagesOfEverySizeInOrderBothWays() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            a.messageSink(inboxA);
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ba = b.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            int[] sizes = {0, 1, 100, 200, 201, 1000, 4000, a.maxMessageSize()};
            List<Outcome> outcomes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (int size : sizes) {
                    byte[] payload = payload(round * 100 + size, size);
                    sent.add(payload);
                    outcomes.add(Outcome.send(ab, payload));
                    outcomes.add(Outcome.send(ba, payload));
                }
            }
            for (Outcome outcome : outcomes) {
                assertNull(outcome.await());
            }
            assertTrue(Inbox.await(() -> inboxB.size() == sent.size() && inboxA.size() == sent.size(), 20,
                TimeUnit.SECONDS), () -> "received " + inboxB.size() + " and " + inboxA.size() + " of " + sent.size());
            List<Inbox.Received> atB = inboxB.all();
            List<Inbox.Received> atA = inboxA.all();
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), atB.get(i).payload(), "message " + i + " at b");
                assertArrayEquals(sent.get(i), atA.get(i).payload(), "message " + i + " at a");
                assertEquals("node-a", atB.get(i).source());
                assertEquals("node-b", atA.get(i).source());
            }
            assertEquals(0, a.stats().sequenceGaps() + b.stats().sequenceGaps());
            assertEquals(0, a.stats().framesDropped() + b.stats().framesDropped());
            assertEquals(0, a.stats().sendChunksInUse());
            assertTrue(Inbox.await(() -> a.stats().receiveBuffersLent() == 0, 5, TimeUnit.SECONDS));
        }
    }

    static byte[] payload(int seed, int size) {
        byte[] bytes = new byte[size];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (int i = 0; i < size; i++) {
            buffer.put(i, (byte) (seed * 31 + i * 7));
        }
        return bytes;
    }
}
