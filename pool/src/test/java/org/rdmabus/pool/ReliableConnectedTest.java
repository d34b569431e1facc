package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.soft.SoftFaults;

/**
 * What only the RC transport has: peers connected at first contact from the warm reserve, over datagrams that may
 * be lost, with the number of connected peers bounded. Every pool here runs on RC, whatever the suite's transport.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReliableConnectedTest {

    private static Consumer<PoolOptions> rc(Consumer<PoolOptions> more) {
        return options -> more.accept(options.transportService(TransportService.RC));
    }

    private static Consumer<PoolOptions> rc() {
        return rc(options -> { });
    }

    @Test
    void firstContactConnectsAWarmQueuePairOnEachSideAndCreatesNone() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc(o -> o.warmQueuePairs(2)));
            QpPool b = cluster.start("node-b", rc(o -> o.warmQueuePairs(2)));
            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            assertEquals(TransportService.RC, a.transportService());
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertFalse(ab.isPromoted(), "connect() itself only looks the peer up");
            assertNull(Outcome.send(ab, new byte[] {1, 2, 3}).await());
            assertTrue(Inbox.await(() -> inbox.size() == 1, 5, TimeUnit.SECONDS));
            assertTrue(ab.isPromoted(), "the first message connected the peer's queue pair");
            for (QpPool pool : new QpPool[] {a, b}) {
                assertEquals(1, pool.stats().warmQueuePairTakes(), "one queue pair from the reserve on each side");
                assertEquals(0, pool.stats().coldQueuePairTakes(), "none created on the connect path");
                assertEquals(1, pool.stats().promotedPeers());
                assertTrue(Inbox.await(() -> pool.stats().warmQueuePairs() == 2, 5, TimeUnit.SECONDS),
                    "the reserve is refilled in the background");
            }
            assertEquals(0, a.stats().initiators(), "no DC initiator on RC");
        }
    }

    @Test
    void releaseAndReconnectUnderConcurrentSendersKeepEveryMessageOnceAndInOrder() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc());
            QpPool b = cluster.start("node-b", rc());
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            a.messageSink(inboxA);
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ba = b.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic forward = new Traffic(ab, 3, 3000, 25, 64, 700, 3000).start();
            Traffic backward = new Traffic(ba, 3, 3000, 25, 64, 700, 3000).start();
            for (int cycle = 1; cycle <= 3; cycle++) {
                assertTrue(Inbox.await(() -> ab.isPromoted() && ba.isPromoted(), 10, TimeUnit.SECONDS),
                    "connected, cycle " + cycle);
                Thread.sleep(20);
                assertTrue(a.demote("node-b") || b.demote("node-a"), "the proposer releases, cycle " + cycle);
                int releases = cycle;
                assertTrue(Inbox.await(() -> a.stats().demotions() >= releases && b.stats().demotions() >= releases,
                    10, TimeUnit.SECONDS), "both sides released, cycle " + cycle);
            }
            forward.await().verify(inboxB, "node-a");
            backward.await().verify(inboxA, "node-b");
            assertEquals(0, forward.failures().size() + backward.failures().size());
            assertTrue(a.stats().promotions() >= 3, "reconnected after each release: " + a.stats().promotions());
            assertEquals(0, a.stats().sequenceGaps() + b.stats().sequenceGaps());
            assertEquals(0, a.stats().framesDropped() + b.stats().framesDropped());
        }
    }

    @Test
    void aQueuePairErrorFailsOneMessageTypedAndReplaysTheFlushedOnesOnANewConnection() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc());
            QpPool b = cluster.start("node-b", rc());
            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic traffic = new Traffic(ab, 2, 5000, 20, 100, 1000).start();
            CompletionStatus[] injected = {CompletionStatus.LOCAL_PROTECTION, CompletionStatus.RNR_RETRY_EXCEEDED,
                CompletionStatus.REMOTE_INVALID_REQUEST};
            for (CompletionStatus status : injected) {
                assertTrue(Inbox.await(() -> a.core().channelQueuePair("node-b") != null && ab.isPromoted(), 10,
                    TimeUnit.SECONDS), "connected before injecting " + status);
                SoftFaults.failNextPost(a.core().channelQueuePair("node-b"), status);
                long promotions = a.stats().promotions();
                assertTrue(Inbox.await(() -> a.stats().promotions() > promotions, 10, TimeUnit.SECONDS),
                    "a new queue pair is connected after " + status);
            }
            traffic.await().verify(inbox, "node-a");
            assertTrue(traffic.failures().size() <= injected.length, "more failures than faults: " + traffic.failures());
            for (PoolException failure : traffic.failures().values()) {
                assertTrue(failure instanceof TransferFailedException || failure instanceof ReceiverNotReadyException,
                    "unexpected " + failure);
            }
            assertEquals(0, b.stats().sequenceGaps(), "replayed frames reuse the numbers of frames that never arrived");
            assertEquals(0, b.stats().framesDropped());
            assertTrue(Inbox.await(() -> a.stats().sendChunksInUse() == 0, 5, TimeUnit.SECONDS));
        }
    }

    @Test
    void crossingFirstContactsEndWithOneQueuePairEachSide() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc());
            QpPool b = cluster.start("node-b", rc());
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            a.messageSink(inboxA);
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ba = b.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic forward = new Traffic(ab, 1, 200, 0, 100).start();
            Traffic backward = new Traffic(ba, 1, 200, 0, 100).start();
            forward.await().verify(inboxB, "node-a");
            backward.await().verify(inboxA, "node-b");
            assertEquals(1, a.stats().promotedPeers());
            assertEquals(1, b.stats().promotedPeers());
            assertEquals(1, a.stats().promotions());
            assertEquals(1, b.stats().promotions());
        }
    }

    @Test
    void atTheLimitTheIdlestPeerIsReleasedForANewOne() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc(o -> o.maxConnectedPeers(1).demotionIdle(Duration.ofMinutes(5))));
            QpPool b = cluster.start("node-b", rc());
            QpPool c = cluster.start("node-c", rc());
            Inbox inboxB = new Inbox();
            Inbox inboxC = new Inbox();
            b.messageSink(inboxB);
            c.messageSink(inboxC);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ac = a.connect("node-c").toCompletableFuture().get(5, TimeUnit.SECONDS);
            new Traffic(ab, 1, 50, 0, 100).start().await().verify(inboxB, "node-a");
            new Traffic(ac, 1, 50, 0, 100).start().await().verify(inboxC, "node-a");
            assertTrue(ac.isPromoted());
            assertFalse(ab.isPromoted(), "b's queue pair was released to make room for c");
            assertEquals(1, a.stats().promotedPeers(), "never more than maxConnectedPeers");
            assertNull(Outcome.send(ab, new byte[] {9}).await(), "b is connected again when it is needed");
            assertTrue(Inbox.await(() -> inboxB.size() == 51, 5, TimeUnit.SECONDS));
            assertEquals(2, a.stats().demotions());
        }
    }

    @Test
    void aPeerAtItsLimitRefusesAndTheWaitingMessagesFailTyped() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc());
            QpPool b = cluster.start("node-b", rc(o -> o.maxConnectedPeers(1)));
            QpPool c = cluster.start("node-c", rc());
            Inbox inboxB = new Inbox();
            b.messageSink(inboxB);
            Connection cb = c.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertNull(Outcome.send(cb, new byte[] {1}).await());
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            PoolException failure = Outcome.send(ab, new byte[] {2}).await();
            assertInstanceOf(PeerUnreachableException.class, failure);
            assertTrue(failure.getMessage().contains("refused"), failure.getMessage());
            assertEquals(1, inboxB.size(), "only c's message arrived");
        }
    }

    @Test
    void lostDatagramsAreSentAgainUntilTheHandshakeCompletes() throws Exception {
        LossyFabric.dropFirstDatagrams(3);
        int droppedBefore = LossyFabric.dropped();
        try (PoolCluster cluster = new PoolCluster()) {
            Consumer<PoolOptions> lossy = rc(o -> o.nicOptions(o.nicOptions().provider(LossyFabric.NAME)));
            QpPool a = cluster.start("node-a", lossy);
            QpPool b = cluster.start("node-b", lossy);
            LossyFabric.dropFirstDatagrams(0);
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            a.messageSink(inboxA);
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ba = b.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic forward = new Traffic(ab, 1, 100, 0, 100).start();
            Traffic backward = new Traffic(ba, 1, 100, 0, 100).start();
            forward.await().verify(inboxB, "node-a");
            backward.await().verify(inboxA, "node-b");
            assertEquals(0, forward.failures().size() + backward.failures().size());
            assertEquals(6, LossyFabric.dropped() - droppedBefore, "three datagrams lost on each side");
        } finally {
            LossyFabric.dropFirstDatagrams(0);
        }
    }

    @Test
    void aPeerThatNeverAnswersFailsTheWaitingMessagesTypedAfterTheHandshakeTimeout() throws Exception {
        LossyFabric.dropFirstDatagrams(1_000_000);
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", rc(o -> o.nicOptions(o.nicOptions().provider(LossyFabric.NAME))));
            LossyFabric.dropFirstDatagrams(0);
            QpPool b = cluster.start("node-b", rc());
            Inbox inbox = new Inbox();
            b.messageSink(inbox);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            long start = System.nanoTime();
            PoolException failure = Outcome.send(ab, new byte[] {1}).await();
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(PeerUnreachableException.class, failure);
            assertTrue(failure.getMessage().contains("handshake"), failure.getMessage());
            assertTrue(waitedMillis < 8_000, "failed after " + waitedMillis + " ms");
            assertEquals(0, inbox.size());
        } finally {
            LossyFabric.dropFirstDatagrams(0);
        }
    }
}
