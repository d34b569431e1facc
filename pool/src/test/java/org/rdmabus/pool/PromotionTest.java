package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hybrid DC/RC: promoting a peer to a dedicated reliable queue pair and back while several threads send in both
 * directions loses, duplicates and reorders nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PromotionTest {

    /** Per test, not per class, so that each shows as skipped in the report, never as zero tests. */
    @BeforeEach
    void onlyOnDc() {
        assumeTrue(PoolCluster.TRANSPORT != TransportService.RC, "not applicable on RC: every peer gets its queue"
            + " pair at first contact, nothing is promoted (ReliableConnectedTest covers release and reconnect)");
    }


    /**
     * Both pools run on {@link LaggyFabric}, whose DC initiators deliver a millisecond late while reliable queue
     * pairs deliver at once: a switch that did not wait for the DC path to drain would reorder messages here.
     */
    @Test
    void promotionAndDemotionUnderConcurrentSendersKeepEveryMessageOnceAndInOrder() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", PromotionTest::laggy);
            QpPool b = cluster.start("node-b", PromotionTest::laggy);
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            a.messageSink(inboxA);
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ba = b.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);

            Traffic forward = new Traffic(ab, 3, 4000, 25, 64, 700, 3000).start();
            Traffic backward = new Traffic(ba, 3, 4000, 25, 64, 700, 3000).start();
            for (int cycle = 1; cycle <= 2; cycle++) {
                Thread.sleep(30);
                assertTrue(a.promote("node-b"), "promotion begins");
                assertTrue(Inbox.await(() -> ab.isPromoted() && ba.isPromoted(), 10, TimeUnit.SECONDS),
                    "both sides promoted");
                long onChannel = a.stats().framesSentOnChannels();
                long otherOnChannel = b.stats().framesSentOnChannels();
                assertTrue(Inbox.await(() -> a.stats().framesSentOnChannels() > onChannel
                    && b.stats().framesSentOnChannels() > otherOnChannel, 10, TimeUnit.SECONDS),
                    "traffic moves onto the channel in both directions");
                assertFalse(b.demote("node-a"), "only the proposer demotes");
                assertTrue(a.demote("node-b"), "demotion begins");
                int expectedDemotions = cycle;
                assertTrue(Inbox.await(() -> !ab.isPromoted() && !ba.isPromoted()
                    && a.stats().demotions() == expectedDemotions && b.stats().demotions() == expectedDemotions,
                    10, TimeUnit.SECONDS), "both sides demoted");
            }
            forward.await().verify(inboxB, "node-a");
            backward.await().verify(inboxA, "node-b");
            assertEquals(0, forward.failures().size() + backward.failures().size());
            assertEquals(2, a.stats().promotions());
            assertEquals(2, b.stats().promotions());
            assertEquals(0, a.stats().sequenceGaps() + b.stats().sequenceGaps());
            assertEquals(0, a.stats().framesDropped() + b.stats().framesDropped());
            assertEquals(0, a.stats().promotedPeers());
        }
    }

    @Test
    void hotPeersArePromotedAutomaticallyAndIdleOnesDemoted() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", o -> o.promotionThreshold(500).demotionIdle(Duration.ofMillis(300)));
            QpPool b = cluster.start("node-b");
            Inbox inboxB = new Inbox();
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic hot = new Traffic(ab, 2, 3000, 10, 128).start();
            assertTrue(Inbox.await(ab::isPromoted, 20, TimeUnit.SECONDS), "a hot peer is promoted");
            hot.await().verify(inboxB, "node-a");
            assertTrue(a.stats().framesSentOnChannels() > 0);
            assertTrue(Inbox.await(() -> !ab.isPromoted() && a.stats().demotions() == 1, 10, TimeUnit.SECONDS),
                "an idle peer is demoted");
            assertNullOutcome(Outcome.send(ab, new byte[] {1, 2, 3}));
            assertTrue(Inbox.await(() -> inboxB.size() == 6001, 5, TimeUnit.SECONDS));
        }
    }

    @Test
    void crossingOffersEndWithOneChannel() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            Inbox inboxA = new Inbox();
            Inbox inboxB = new Inbox();
            a.messageSink(inboxA);
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ba = b.connect("node-a").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertNullOutcome(Outcome.send(ab, new byte[] {1}));
            assertNullOutcome(Outcome.send(ba, new byte[] {2}));
            assertTrue(Inbox.await(() -> inboxA.size() == 1 && inboxB.size() == 1, 5, TimeUnit.SECONDS));
            assertTrue(a.promote("node-b"));
            // Usually both offers cross; if a's offer already reached b, b's promote is refused, which is fine too.
            b.promote("node-a");
            assertTrue(Inbox.await(() -> ab.isPromoted() && ba.isPromoted(), 10, TimeUnit.SECONDS));
            assertEquals(1, a.stats().promotedPeers());
            assertEquals(1, b.stats().promotedPeers());
            Traffic forward = new Traffic(ab, 2, 500, 0, 100).start();
            Traffic backward = new Traffic(ba, 2, 500, 0, 100).start();
            forward.await();
            backward.await();
            assertTrue(a.demote("node-b") || b.demote("node-a"), "the winner of the tie-break can demote");
            assertTrue(Inbox.await(() -> !ab.isPromoted() && !ba.isPromoted(), 10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeerThatDeclinesLeavesTrafficOnTheSharedInitiators() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b", o -> o.maxPromotedPeers(0));
            Inbox inboxB = new Inbox();
            b.messageSink(inboxB);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic traffic = new Traffic(ab, 2, 500, 10, 200).start();
            assertTrue(a.promote("node-b"));
            traffic.await().verify(inboxB, "node-a");
            assertFalse(ab.isPromoted());
            assertEquals(0, a.stats().promotions());
            assertEquals(0, a.stats().framesSentOnChannels());
            assertTrue(Inbox.await(() -> a.promote("node-b"), 5, TimeUnit.SECONDS),
                "after the refusal the handshake is over and may be tried again");
        }
    }

    private static void laggy(PoolOptions options) {
        options.nicOptions(options.nicOptions().provider(LaggyFabric.NAME));
    }

    private static void assertNullOutcome(Outcome outcome) throws Exception {
        PoolException failure = outcome.await();
        if (failure != null) {
            throw new AssertionError("send failed", failure);
        }
    }
}
