package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A peer that restarts comes back with a new epoch and address; both sides start its sequences afresh. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestartTest {

    @Test
    void aRestartedPeerIsReachedAtItsNewAddressAndItsNewSequenceIsAccepted() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            Inbox inboxA = new Inbox();
            a.messageSink(inboxA);
            QpPool first = new QpPool(cluster.options("node-b"));
            first.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Inbox inboxFirst = new Inbox();
            first.messageSink(inboxFirst);
            first.directory().put("node-a", a.advertisedAddress());
            a.directory().put("node-b", first.advertisedAddress());
            Thread poller = pollInBackground(first);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection firstToA = first.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                assertNull(Outcome.send(ab, MessagingTest.payload(i, 100)).await());
                assertNull(Outcome.send(firstToA, MessagingTest.payload(i, 100)).await());
            }
            assertTrue(Inbox.await(() -> inboxFirst.size() == 50 && inboxA.size() == 50, 10, TimeUnit.SECONDS));
            poller.interrupt();
            poller.join(5_000);
            first.close();

            QpPool second = cluster.start("node-b");
            Inbox inboxSecond = new Inbox();
            second.messageSink(inboxSecond);
            Connection secondToA = second.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                assertNull(Outcome.send(secondToA, MessagingTest.payload(1000 + i, 100)).await());
                assertNull(Outcome.send(ab, MessagingTest.payload(2000 + i, 100)).await(),
                    "a reaches node-b at its new address");
            }
            assertTrue(Inbox.await(() -> inboxA.size() == 70 && inboxSecond.size() == 20, 10, TimeUnit.SECONDS),
                () -> "a got " + inboxA.size() + ", the restarted b " + inboxSecond.size());
            assertEquals(0, inboxA.all().subList(50, 70).stream().filter(r -> r.sequence() >= 50).count(),
                "the restarted node numbers its frames from the start again");
            assertEquals(0, a.stats().framesDropped(), "nothing from the new incarnation is taken for a duplicate");
            assertEquals(0, second.stats().sequenceGaps());
        }
    }

    private static Thread pollInBackground(QpPool pool) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (pool.doWork(0) == 0) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
