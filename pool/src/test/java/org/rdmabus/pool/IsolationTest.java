package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.soft.SoftFaults;

/**
 * One slow, dead or failing peer never holds up traffic to healthy peers, and nothing is lost silently.
 * <p>
 * The sender has a single initiator, shared by every peer, and its NIC waits {@link #NIC_GIVES_UP_AFTER} before
 * giving up on a receiver with no buffer or an unresponsive peer, so a design in which a bad peer could occupy the
 * initiator would delay the healthy peer by that long; the bound asserted, {@link #BOUND_NANOS}, is a sixth of it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IsolationTest {
    /**
     * The healthy peer's largest latency. It sits well above a loaded 2-core machine's pauses, and far below
     * {@link #NIC_GIVES_UP_AFTER}, which a bad peer occupying the shared initiator would cost the healthy one.
     */
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The NIC's RNR and peer timeouts: how long a frame to a bad peer could hold the initiator in a blocking design. */
    private static final Duration NIC_GIVES_UP_AFTER = Duration.ofSeconds(30);

    /** One shared initiator, so the bad peer and the healthy one share it, and a NIC that gives up slowly. */
    private static void slowNic(PoolOptions options, PoolCluster cluster) {
        options.initiatorsPerPoller(1).nicOptions(new NicOptions().provider("soft").directory(cluster.directory())
            .rnrTimeout(NIC_GIVES_UP_AFTER).peerTimeout(NIC_GIVES_UP_AFTER));
    }

    @Test
    void aPeerOutOfCreditsDoesNotDelayAHealthyPeer() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", o -> slowNic(o, cluster));
            // Exactly as many buffers as credits: any frame sent beyond its credits would wait for a receive.
            QpPool slow = cluster.start("node-slow", o -> o.receiveBuffers(16));
            QpPool healthy = cluster.start("node-h");
            Inbox slowInbox = new Inbox();
            slowInbox.hold(true);
            slow.messageSink(slowInbox);
            Inbox healthyInbox = new Inbox();
            healthy.messageSink(healthyInbox);

            Connection toSlow = a.connect("node-slow").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic stuck = new Traffic(toSlow, 1, 100, 0, 300);
            Thread flooding = new Thread(() -> stuck.start());
            flooding.start();
            assertTrue(Inbox.await(() -> slowInbox.heldCount() == 16, 10, TimeUnit.SECONDS));

            Connection toHealthy = a.connect("node-h").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Traffic flowing = new Traffic(toHealthy, 2, 300, 50, 100, 1500).start().await();
            flowing.verify(healthyInbox, "node-a");
            assertTrue(flowing.maxLatencyNanos() < BOUND_NANOS,
                "healthy peer delayed " + flowing.maxLatencyNanos() / 1_000_000 + " ms");
            assertEquals(16, slowInbox.size(), "the slow peer got more than its credits");

            slowInbox.hold(false);
            slowInbox.releaseHeld();
            stuck.await().verify(slowInbox, "node-a");
            assertEquals(Map.of(), stuck.failures(), "a slow peer's messages wait; they do not fail");
        }
    }

    @Test
    void aDeadPeerFailsTypedWhileAHealthyPeerFlowsAndItComesBack() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a", o -> {
                slowNic(o, cluster);
                o.unreachableBackoff(Duration.ofMillis(300));
            });
            QpPool dead = cluster.start("node-dead");
            QpPool healthy = cluster.start("node-h");
            Inbox deadInbox = new Inbox();
            dead.messageSink(deadInbox);
            Inbox healthyInbox = new Inbox();
            healthy.messageSink(healthyInbox);
            Connection toDead = a.connect("node-dead").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection toHealthy = a.connect("node-h").toCompletableFuture().get(5, TimeUnit.SECONDS);

            lookDead(dead, true);
            Traffic doomed = new Traffic(toDead, 2, 100, 10, 100, 1500).start();
            Traffic flowing = new Traffic(toHealthy, 2, 300, 50, 100, 1500).start();
            flowing.await().verify(healthyInbox, "node-a");
            assertTrue(flowing.maxLatencyNanos() < BOUND_NANOS,
                "healthy peer delayed " + flowing.maxLatencyNanos() / 1_000_000 + " ms");
            Map<String, PoolException> failures = doomed.await().failures();
            assertEquals(200, failures.size(), "every message to the dead peer fails, none silently");
            for (PoolException failure : failures.values()) {
                assertInstanceOf(PeerUnreachableException.class, failure);
                assertEquals(CompletionStatus.RETRY_EXCEEDED, failure.status());
            }
            assertEquals(0, deadInbox.size());
            assertTrue(a.stats().errors(CompletionStatus.RETRY_EXCEEDED) >= 1);

            lookDead(dead, false);
            Thread.sleep(400);
            assertNull(Outcome.send(toDead, new byte[] {42}).await(), "after the back-off the peer is probed again");
            assertTrue(Inbox.await(() -> deadInbox.size() == 1, 5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeerWhosePoolClosedIsUnreachable() throws Exception {
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool gone = new QpPool(cluster.options("node-gone"));
            gone.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            a.directory().put("node-gone", gone.advertisedAddress());
            gone.close();
            Connection connection = a.connect("node-gone").toCompletableFuture().get(5, TimeUnit.SECONDS);
            PoolException failure = Outcome.send(connection, new byte[10]).await();
            assertInstanceOf(PeerUnreachableException.class, failure);
        }
    }

    /** Makes a node look dead to every sender: its DC target, or on RC the datagram queue pair peers first reach. */
    private static void lookDead(QpPool pool, boolean dead) {
        if (pool.core().target() != null) {
            SoftFaults.lookDead(pool.core().target(), dead);
        } else {
            SoftFaults.lookDead(pool.core().datagramQueuePair(), dead);
        }
    }

    @Test
    void anInitiatorErrorFailsOneMessageTypedAndReplaysTheFlushedOnesInOrder() throws Exception {
        assumeTrue(PoolCluster.TRANSPORT != TransportService.RC,
            "not applicable on RC: there are no shared initiators (ReliableConnectedTest covers a queue pair error)");
        try (PoolCluster cluster = new PoolCluster()) {
            QpPool a = cluster.start("node-a");
            QpPool b = cluster.start("node-b");
            QpPool c = cluster.start("node-c");
            Inbox inboxB = new Inbox();
            Inbox inboxC = new Inbox();
            b.messageSink(inboxB);
            c.messageSink(inboxC);
            Connection ab = a.connect("node-b").toCompletableFuture().get(5, TimeUnit.SECONDS);
            Connection ac = a.connect("node-c").toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<org.rdmabus.verbs.QueuePair> initiators = a.core().initiatorQueuePairs();

            Traffic toB = new Traffic(ab, 2, 400, 20, 100, 1000).start();
            Traffic toC = new Traffic(ac, 2, 400, 20, 100, 1000).start();
            CompletionStatus[] injected = {CompletionStatus.LOCAL_PROTECTION, CompletionStatus.RNR_RETRY_EXCEEDED,
                CompletionStatus.REMOTE_INVALID_REQUEST};
            for (CompletionStatus status : injected) {
                Thread.sleep(20);
                for (org.rdmabus.verbs.QueuePair initiator : initiators) {
                    SoftFaults.failNextPost(initiator, status);
                }
            }
            toB.await().verify(inboxB, "node-a");
            toC.await().verify(inboxC, "node-a");

            List<PoolException> failures = new ArrayList<>(toB.failures().values());
            failures.addAll(toC.failures().values());
            long injections = injected.length * initiators.size();
            assertTrue(failures.size() <= injections, "more failures than injected faults: " + failures);
            for (PoolException failure : failures) {
                assertTrue(failure instanceof TransferFailedException || failure instanceof ReceiverNotReadyException,
                    "unexpected " + failure);
            }
            assertTrue(a.stats().initiatorResets() >= 1, "an initiator in error is reset");
            assertEquals(0, b.stats().sequenceGaps() + c.stats().sequenceGaps(),
                "replayed frames reuse the numbers of frames that never arrived");
            assertEquals(0, b.stats().framesDropped() + c.stats().framesDropped());
            assertTrue(Inbox.await(() -> a.stats().sendChunksInUse() == 0, 5, TimeUnit.SECONDS),
                "every send chunk is released, failures included");
        }
    }
}
