package org.rdmabus.transport.reliability;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.pool.PoolStats;
import org.rdmabus.pool.ReceiverNotReadyException;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.pool.SoftNodeChannelFactory;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.verbs.NicOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver out of receive buffers, on the soft fabric: its poller stalls (its handler blocks), so the buffers it
 * posted (512) are used up and not posted again, while 20 senders each fill the 32 credits it granted them
 * (640 frames). The frames that find no buffer wait at the NIC (RNR retry) until its RNR timeout, then fail.
 * Proves: every message is accepted (what exceeds the credits waits in the channel); those that find no buffer are
 * reported failed with a typed {@link ReceiverNotReadyException}, no sooner than the RNR timeout; every message
 * reported delivered is received, once, in order; every message gets an outcome; and the receiver recovers whole:
 * every receive buffer is posted again (none lost to a receive queue that refused it), every sender holds all its
 * credits again, and no poller step failed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReceiveExhaustionTest {

    private static final int SENDERS = 20;
    private static final int MESSAGES = 40;

    @Test
    void exhaustedReceiveBuffersFailTypedAfterRnrRetryAndLoseNothingReportedSent() throws InterruptedException {
        SoftNodeChannelFactory factory = new SoftNodeChannelFactory();
        List<NodeChannel> channels = new ArrayList<>();
        CountDownLatch stall = new CountDownLatch(1);
        Map<Integer, List<Integer>> received = new ConcurrentHashMap<>();
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("rnr")) {
            NodeChannel receiver = factory.create(new RdmaEventBusOptions());
            channels.add(receiver);
            receiver.onInbound((source, message) -> {
                awaitQuietly(stall);
                received.computeIfAbsent(message.getInt(0), s -> new CopyOnWriteArrayList<>()).add(message.getInt(4));
            });
            String receiverId = UUID.randomUUID().toString();
            receiver.start(receiverId);
            receiver.advertisementLookup(id -> CompletableFuture.completedFuture(null));
            List<NodeChannel> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                NodeChannel sender = factory.create(new RdmaEventBusOptions());
                channels.add(sender);
                senders.add(sender);
                String senderId = UUID.randomUUID().toString();
                sender.onInbound((source, message) -> { });
                sender.start(senderId);
                sender.advertisementLookup(id -> CompletableFuture.completedFuture(null));
                sender.peerAdvertised(receiverId, receiver.localAdvertisement());
                receiver.peerAdvertised(senderId, sender.localAdvertisement());
            }

            Map<Integer, Map<Integer, Throwable>> outcomes = new ConcurrentHashMap<>();
            Map<Integer, Map<Integer, Long>> failedAfterNanos = new ConcurrentHashMap<>();
            AtomicLong accepted = new AtomicLong();
            for (int m = 0; m < MESSAGES; m++) {
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    int number = m;
                    long sentNanos = System.nanoTime();
                    boolean taken = senders.get(s).send(receiverId, Buffer.buffer().appendInt(s).appendInt(m).appendBytes(new byte[100]), failure -> {
                        outcomes.computeIfAbsent(sender, k -> new ConcurrentHashMap<>()).put(number, failure == null ? NONE : failure);
                        if (failure != null) {
                            failedAfterNanos.computeIfAbsent(sender, k -> new ConcurrentHashMap<>()).put(number, System.nanoTime() - sentNanos);
                        }
                    });
                    if (taken) {
                        accepted.incrementAndGet();
                    }
                }
            }
            assertEquals(SENDERS * MESSAGES, accepted.get(), "every message was accepted");
            Await.until("receive buffers run out and senders hear of it", Duration.ofSeconds(30),
                () -> outcomes.values().stream().anyMatch(perSender -> perSender.values().stream().anyMatch(o -> o != NONE)));
            stall.countDown();
            Await.until("every accepted message has an outcome", Duration.ofSeconds(60),
                () -> outcomes.values().stream().mapToLong(Map::size).sum() == accepted.get());

            long delivered = 0;
            long failed = 0;
            long soonest = Long.MAX_VALUE;
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                Map<Integer, Throwable> perSender = outcomes.getOrDefault(s, Map.of());
                TreeSet<Integer> reportedDelivered = new TreeSet<>();
                perSender.forEach((number, outcome) -> {
                    if (outcome == NONE) {
                        reportedDelivered.add(number);
                    } else {
                        assertInstanceOf(ReceiverNotReadyException.class, outcome, "sender " + sender + " message " + number);
                    }
                });
                Await.until("sender " + s + "'s delivered messages are handed over", Duration.ofSeconds(30),
                    () -> received.getOrDefault(sender, List.of()).size() >= reportedDelivered.size());
                List<Integer> got = received.getOrDefault(s, List.of());
                assertEquals(new ArrayList<>(reportedDelivered), got, "sender " + s + ": every message reported delivered arrived, once, in order, and nothing else");
                delivered += reportedDelivered.size();
                failed += perSender.size() - reportedDelivered.size();
                for (long nanos : failedAfterNanos.getOrDefault(s, Map.of()).values()) {
                    soonest = Math.min(soonest, nanos);
                }
            }
            assertTrue(failed > 0, "some frames found no receive buffer");
            assertTrue(soonest >= NicOptions.DEFAULT_RNR_TIMEOUT.toNanos() * 9 / 10, "an RNR failure came after only " + soonest / 1_000_000 + " ms");
            System.out.printf("FIGURES rnr: senders=%d accepted=%d delivered=%d failedTyped=%d soonestFailureMs=%d (rnrTimeout %d ms)%n",
                SENDERS, accepted.get(), delivered, failed, soonest / 1_000_000, NicOptions.DEFAULT_RNR_TIMEOUT.toMillis());

            // The receiver recovered: a fresh sender reaches it.
            NodeChannel fresh = factory.create(new RdmaEventBusOptions());
            channels.add(fresh);
            String freshId = UUID.randomUUID().toString();
            fresh.onInbound((source, message) -> { });
            fresh.start(freshId);
            fresh.advertisementLookup(id -> CompletableFuture.completedFuture(null));
            fresh.peerAdvertised(receiverId, receiver.localAdvertisement());
            receiver.peerAdvertised(freshId, fresh.localAdvertisement());
            assertTrue(fresh.send(receiverId, Buffer.buffer().appendInt(SENDERS).appendInt(0)));
            Await.until("the receiver serves again", Duration.ofSeconds(10), () -> received.containsKey(SENDERS));

            // Nothing leaked: every buffer is posted again, every credit is back.
            PoolStats stats = PoolChannelAccess.poolOf(receiver).stats();
            Await.until("every receive buffer is posted again", Duration.ofSeconds(10), () -> stats.receiveBuffersLent() == 0
                && stats.receiveBuffersWaitingToPost() == 0 && stats.receiveBuffersPosted() == PoolOptions.DEFAULT_RECEIVE_BUFFERS);
            assertEquals(0, stats.pollerFailures(), "no poller step of the receiver failed");
            for (int s = 0; s < SENDERS; s++) {
                PoolStats senderStats = PoolChannelAccess.poolOf(senders.get(s)).stats();
                PeerStats toReceiver = PoolChannelAccess.poolOf(senders.get(s)).peerStats(receiverId);
                Await.until("sender " + s + " holds all its credits again", Duration.ofSeconds(10),
                    () -> toReceiver.sendCredits() == PoolOptions.DEFAULT_INITIAL_CREDITS);
                assertEquals(0, senderStats.pollerFailures(), "no poller step of sender " + s + " failed");
            }
            System.out.printf("FIGURES rnr recovered: %d of %d receive buffers posted, every sender's %d credits back%n", stats.receiveBuffersPosted(),
                PoolOptions.DEFAULT_RECEIVE_BUFFERS, PoolOptions.DEFAULT_INITIAL_CREDITS);
        } finally {
            stall.countDown();
            for (NodeChannel channel : channels) {
                channel.close();
            }
        }
    }

    /** Marks a message reported delivered, in a map that cannot hold null. */
    private static final Throwable NONE = new Throwable("delivered");

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
