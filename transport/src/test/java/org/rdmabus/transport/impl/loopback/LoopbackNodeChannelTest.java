package org.rdmabus.transport.impl.loopback;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.testing.Await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test channel keeps the contract the hook relies on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopbackNodeChannelTest {

    private final LoopbackFabric fabric = new LoopbackFabric();
    private final List<LoopbackNodeChannel> opened = new ArrayList<>();

    private LoopbackNodeChannel open(String nodeId, List<String> inbox) {
        LoopbackNodeChannel channel = new LoopbackNodeChannel(fabric);
        channel.onInbound((source, message) -> inbox.add(source + ":" + message.toString()));
        channel.start(nodeId);
        opened.add(channel);
        return channel;
    }

    @AfterEach
    void close() {
        opened.forEach(LoopbackNodeChannel::close);
    }

    @Test
    void deliversInOrderOnItsOwnThreadAndOnlyToAdvertisedPeers() {
        List<String> inboxB = new CopyOnWriteArrayList<>();
        LoopbackNodeChannel a = open("node-a", new CopyOnWriteArrayList<>());
        LoopbackNodeChannel b = open("node-b", inboxB);
        assertFalse(a.reaches("node-b"));
        assertFalse(a.send("node-b", Buffer.buffer("early")));

        a.peerAdvertised("node-b", b.localAdvertisement());
        a.peerAdvertised("node-x", "loopback:another-fabric:whatever");
        assertTrue(a.reaches("node-b"));
        assertFalse(a.reaches("node-x"));
        for (int i = 0; i < 1000; i++) {
            assertTrue(a.send("node-b", Buffer.buffer("m" + i)));
        }
        Await.until("1000 deliveries", Duration.ofSeconds(10), () -> inboxB.size() == 1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals("node-a:m" + i, inboxB.get(i));
        }
        assertNotSame(Thread.currentThread(), b.pollerThread());
        assertTrue(b.pollerThread().getName().startsWith("rdmabus-loopback-poller-"));
    }

    @Test
    void aFailedLinkSettlesThenRefusesForGood() {
        List<String> reported = new CopyOnWriteArrayList<>();
        List<String> inboxB = new CopyOnWriteArrayList<>();
        LoopbackNodeChannel a = open("node-a", new CopyOnWriteArrayList<>());
        a.onPeerFailure(reported::add);
        LoopbackNodeChannel b = open("node-b", inboxB);
        a.peerAdvertised("node-b", b.localAdvertisement());
        for (int i = 0; i < 500; i++) {
            a.send("node-b", Buffer.buffer("m" + i));
        }
        a.failLink("node-b", true);
        // Settled: everything accepted before the failure was delivered by the time the failure is reported.
        assertEquals(500, inboxB.size());
        assertEquals(List.of("node-b"), reported);
        assertFalse(a.send("node-b", Buffer.buffer("late")));
        assertFalse(a.reaches("node-b"));
    }

    @Test
    void aThrowingHandlerDoesNotStopDelivery() {
        LoopbackNodeChannel a = open("node-a", new CopyOnWriteArrayList<>());
        List<String> inboxB = new CopyOnWriteArrayList<>();
        LoopbackNodeChannel b = new LoopbackNodeChannel(fabric);
        b.onInbound((source, message) -> {
            if (message.toString().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            inboxB.add(message.toString());
        });
        b.start("node-b");
        opened.add(b);
        a.peerAdvertised("node-b", b.localAdvertisement());
        a.send("node-b", Buffer.buffer("boom"));
        a.send("node-b", Buffer.buffer("after"));
        Await.until("delivery after a failure", Duration.ofSeconds(10), () -> inboxB.contains("after"));
        assertEquals(1, b.handlerFailures());
    }

    @Test
    void closingStopsTheThreadAndRefusesSendsToTheClosedNode() throws InterruptedException {
        LoopbackNodeChannel a = open("node-a", new CopyOnWriteArrayList<>());
        LoopbackNodeChannel b = open("node-b", new CopyOnWriteArrayList<>());
        a.peerAdvertised("node-b", b.localAdvertisement());
        Thread poller = b.pollerThread();
        b.close();
        poller.join(5_000);
        assertFalse(poller.isAlive());
        assertFalse(a.reaches("node-b"));
        assertFalse(a.send("node-b", Buffer.buffer("x")));
    }
}
