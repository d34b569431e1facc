package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.impl.InboundHandler;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NotSentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ordering rule of one destination, without Vert.x: a fake channel and a fake TCP path both append to one
 * "wire", in the order the route hands messages to them (the channel settles before it refuses, as the contract
 * requires, so this is also the delivery order).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DestinationRouteTest {

    private static final String PEER = "peer";

    private final List<String> wire = new CopyOnWriteArrayList<>();
    private final List<String> overChannel = new CopyOnWriteArrayList<>();
    private final List<String> overTcp = new CopyOnWriteArrayList<>();
    private final FakeChannel channel = new FakeChannel();
    private final HookCounters counters = new HookCounters();
    private final DestinationRoute route = new DestinationRoute(PEER, channel, null, counters,
        new PendingRequests((replyAddress, reason) -> { }, System::nanoTime));

    private Outgoing message(String body) {
        return new Outgoing("address", Promise.promise(), new EncodedMessage(() -> Buffer.buffer(body)), () -> {
            synchronized (wire) {
                wire.add(body);
                overTcp.add(body);
            }
        });
    }

    @Test
    void messagesWaitForThePathDecisionAndLeaveInOrder() {
        AtomicReference<Consumer<Path>> pending = new AtomicReference<>();
        AtomicInteger resolutions = new AtomicInteger();
        PathResolver deferred = (nodeId, decision) -> {
            resolutions.incrementAndGet();
            pending.set(decision);
        };
        route.submit(message("m0"), deferred);
        route.submit(message("m1"), deferred);
        route.submit(message("m2"), deferred);
        assertEquals(List.of(), wire);
        assertEquals(1, resolutions.get());

        pending.get().accept(Path.CHANNEL);
        route.submit(message("m3"), deferred);
        assertEquals(List.of("m0", "m1", "m2", "m3"), wire);
        assertEquals(wire, overChannel);
        assertEquals(Path.CHANNEL, route.path());
    }

    @Test
    void aDestinationWithoutChannelTakesTcp() {
        PathResolver noChannel = (nodeId, decision) -> decision.accept(Path.TCP);
        route.submit(message("m0"), noChannel);
        route.submit(message("m1"), noChannel);
        assertEquals(List.of("m0", "m1"), overTcp);
        assertEquals(List.of(), overChannel);
        assertEquals(0, counters.switchesToTcp());
    }

    @Test
    void aRefusalSwitchesToTcpForGoodEvenIfTheChannelRecovers() {
        PathResolver channelPath = (nodeId, decision) -> decision.accept(Path.CHANNEL);
        channel.acceptUpTo(2);
        for (int i = 0; i < 5; i++) {
            route.submit(message("m" + i), channelPath);
        }
        channel.acceptUpTo(Integer.MAX_VALUE);
        route.submit(message("m5"), channelPath);
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), wire);
        assertEquals(List.of("m0", "m1"), overChannel);
        assertEquals(Path.TCP, route.path());
        assertEquals(1, counters.switchesToTcp());
    }

    @Test
    void aFailureReportedBeforeThePathIsDecidedSendsTheWaitingMessagesOverTcp() {
        AtomicReference<Consumer<Path>> pending = new AtomicReference<>();
        PathResolver deferred = (nodeId, decision) -> pending.set(decision);
        route.submit(message("m0"), deferred);
        route.switchToTcp("peer failed");
        route.submit(message("m1"), deferred);
        pending.get().accept(Path.CHANNEL);
        assertEquals(List.of("m0", "m1"), overTcp);
        assertEquals(List.of(), overChannel);
    }

    @Test
    void concurrentSendersKeepTheirOrderAcrossTheResolutionAndTheSwitch() throws InterruptedException {
        int senders = 4;
        int perSender = 2000;
        channel.acceptUpTo(3000);
        AtomicReference<Consumer<Path>> pending = new AtomicReference<>();
        CountDownLatch resolutionAsked = new CountDownLatch(1);
        PathResolver deferred = (nodeId, decision) -> {
            pending.set(decision);
            resolutionAsked.countDown();
        };
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perSender; i++) {
                    route.submit(message(sender + ":" + i), deferred);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        assertTrue(resolutionAsked.await(10, TimeUnit.SECONDS));
        Thread.sleep(5);
        pending.get().accept(Path.CHANNEL);
        for (Thread thread : threads) {
            thread.join(20_000);
        }

        assertEquals(senders * perSender, wire.size());
        int[] next = new int[senders];
        for (String body : wire) {
            String[] parts = body.split(":");
            int sender = Integer.parseInt(parts[0]);
            assertEquals(next[sender]++, Integer.parseInt(parts[1]), "sender " + sender + " out of order");
        }
        assertEquals(3000, overChannel.size());
        assertEquals(senders * perSender - 3000, overTcp.size());
        assertEquals(1, counters.switchesToTcp());
    }

    @Test
    void aMessageTheChannelAcceptedIsReportedWrittenOnlyWhenItArrivesAndFailedWhenItNeverDoes() {
        List<Consumer<Throwable>> outcomes = new ArrayList<>();
        channel.holdOutcomes(outcomes);
        PathResolver toChannel = (nodeId, decision) -> decision.accept(Path.CHANNEL);
        Promise<Void> arrives = Promise.promise();
        Promise<Void> lost = Promise.promise();
        route.submit(new Outgoing("address", arrives, new EncodedMessage(() -> Buffer.buffer("m0")), () -> { }), toChannel);
        route.submit(new Outgoing("address", lost, new EncodedMessage(() -> Buffer.buffer("m1")), () -> { }, "__vertx.reply.1", 30_000), toChannel);
        assertEquals(2, outcomes.size());
        assertTrue(!arrives.future().isComplete() && !lost.future().isComplete(), "nothing is reported written on acceptance");

        outcomes.get(0).accept(null);
        outcomes.get(1).accept(new IllegalStateException("receiver not ready"));
        assertTrue(arrives.future().succeeded());
        ReplyException failure = (ReplyException) lost.future().cause();
        assertEquals(ReplyFailure.ERROR, failure.failureType());
        assertTrue(failure.getMessage().contains("receiver not ready") && failure.getMessage().contains(PEER), failure.getMessage());
        assertEquals(1, counters.undeliveredMessages());
    }

    @Test
    void aRefusalHoldsLaterMessagesWithoutBlockingTheSenderUntilTheChannelHasSettled() {
        List<Consumer<Throwable>> outcomes = new ArrayList<>();
        channel.holdOutcomes(outcomes);
        channel.deferSettlement();
        channel.acceptUpTo(2);
        PathResolver toChannel = (nodeId, decision) -> decision.accept(Path.CHANNEL);
        route.submit(message("m0"), toChannel);
        route.submit(message("m1"), toChannel);
        route.submit(message("m2"), toChannel); // refused: returns at once, the message waits
        route.submit(message("m3"), toChannel);
        assertEquals(List.of(), overTcp, "nothing goes over TCP while the channel still carries m0 and m1");
        assertEquals(Path.UNRESOLVED, route.path());
        assertEquals(1, counters.switchesToTcp());

        outcomes.get(0).accept(null);
        outcomes.get(1).accept(new NotSentException(new IllegalStateException("the peer failed")));
        assertEquals(List.of(), overTcp, "a message handed back waits too, until the channel has settled");
        channel.settle();
        route.submit(message("m4"), toChannel);

        assertEquals(List.of("m1", "m2", "m3", "m4"), overTcp, "handed back first, then the refused one, then the rest");
        assertEquals(List.of("m0", "m1"), overChannel);
        assertEquals(Path.TCP, route.path());
        assertEquals(1, counters.switchesToTcp());
    }

    /**
     * Accepts up to a number of messages, then refuses. Settled at once unless told to defer: acceptance appends to
     * the wire at once.
     */
    private final class FakeChannel implements NodeChannel {
        private volatile int limit = Integer.MAX_VALUE;
        private int accepted;
        private List<Consumer<Throwable>> heldOutcomes;
        private boolean deferSettlement;
        private final List<Runnable> settleActions = new ArrayList<>();

        void holdOutcomes(List<Consumer<Throwable>> outcomes) {
            this.heldOutcomes = outcomes;
        }

        @Override
        public boolean send(String nodeId, Buffer message, Consumer<Throwable> outcome) {
            if (!send(nodeId, message)) {
                return false;
            }
            if (heldOutcomes == null) {
                outcome.accept(null);
            } else {
                heldOutcomes.add(outcome);
            }
            return true;
        }

        void deferSettlement() {
            deferSettlement = true;
        }

        /** The channel has settled: runs what waited for it. */
        void settle() {
            deferSettlement = false;
            List<Runnable> due = new ArrayList<>(settleActions);
            settleActions.clear();
            due.forEach(Runnable::run);
        }

        @Override
        public void whenSettled(String nodeId, Runnable action) {
            if (deferSettlement) {
                settleActions.add(action);
            } else {
                action.run();
            }
        }

        void acceptUpTo(int limit) {
            this.limit = limit;
        }

        @Override
        public boolean send(String nodeId, Buffer message) {
            synchronized (wire) {
                if (accepted >= limit) {
                    return false;
                }
                accepted++;
                wire.add(message.toString());
                overChannel.add(message.toString());
                return true;
            }
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void start(String localNodeId) {
        }

        @Override
        public String localAdvertisement() {
            return null;
        }

        @Override
        public void peerAdvertised(String nodeId, String advertisement) {
        }

        @Override
        public void advertisementLookup(java.util.function.Function<String, java.util.concurrent.CompletionStage<String>> lookup) {
        }

        @Override
        public void peerLeft(String nodeId) {
        }

        @Override
        public boolean reaches(String nodeId) {
            return true;
        }

        @Override
        public void onInbound(InboundHandler handler) {
        }

        @Override
        public void onPeerFailure(Consumer<String> handler) {
        }

        @Override
        public void close() {
        }
    }
}
