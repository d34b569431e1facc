package org.rdmabus.transport.reliability;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.codec.DecodeError;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.TestCluster;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages above {@code maxMessageSize} (64 KiB here), on the soft fabric:
 * <ul>
 *   <li>event bus: the channel refuses the message before copying it, with a warning naming the limit; the hook moves
 *       that destination to TCP for good; the stream arrives complete and in order, the large message intact;</li>
 *   <li>channel, sending side: the refusal allocates nothing near the message's size, comes only after every message
 *       accepted before it completed, and is final;</li>
 *   <li>channel, receiving side (a peer configured with a larger limit): the reassembler refuses the message at its
 *       first segment with a typed error naming the limit, before allocating it, and the next message still
 *       arrives.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OversizedMessageTest {

    private static final int LIMIT = 64 * 1024;
    private static final int STREAM = 200;
    private static final int LARGE_AT = 100;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void anOversizedEventBusMessageMovesItsDestinationToTcpInOrder() {
        RdmaEventBusOptions options = new RdmaEventBusOptions().setProvider("soft").setMaxMessageSize(LIMIT);
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("oversized");
                 LogCapture logs = new LogCapture();
                 TestCluster cluster = TestCluster.start("oversized", 2, options)) {
            String address = "oversized-" + UUID.randomUUID();
            List<Object> received = new CopyOnWriteArrayList<>();
            AtomicBoolean warm = new AtomicBoolean();
            Await.result(cluster.node(1).eventBus().consumer(address, message -> {
                if (Integer.valueOf(-1).equals(message.body())) {
                    warm.set(true);
                } else {
                    received.add(message.body());
                }
            }).completion());
            Await.until("node 0 sees the consumer", Duration.ofSeconds(30), () -> {
                cluster.node(0).eventBus().send(address, -1);
                return warm.get();
            });
            QpPool pool = PoolChannelAccess.poolOf(HookRegistry.hookOf(cluster.node(0)).channel());
            long bytesBefore = pool.stats().bytesSent();

            Context context = cluster.node(0).getOrCreateContext();
            context.runOnContext(v -> {
                EventBus bus = cluster.node(0).eventBus();
                for (int i = 0; i < STREAM; i++) {
                    bus.send(address, i == LARGE_AT ? large(i, 100 * 1024) : (Object) i);
                }
            });
            Await.until(STREAM + " messages", Duration.ofSeconds(60), () -> received.size() >= STREAM);

            for (int i = 0; i < STREAM; i++) {
                Object body = received.get(i);
                if (i == LARGE_AT) {
                    assertEquals(large(i, 100 * 1024), body, "the large message arrives intact");
                } else {
                    assertEquals(i, body, "message at position " + i);
                }
            }
            HookCounters counters = cluster.counters(0);
            assertEquals(1, counters.switchesToTcp(), counters.toString());
            assertTrue(cluster.tcpConnectionTargets(0).contains(cluster.nodeId(1)));
            assertTrue(pool.stats().bytesSent() - bytesBefore < 100 * 1024, "no part of the large message took the channel");
            assertTrue(logs.messages(Level.WARNING).stream().anyMatch(line -> line.contains("exceeds maxMessageSize (" + LIMIT + " bytes)")),
                "a warning names the limit: " + logs.messages(Level.WARNING));
        }
    }

    @Test
    void theChannelRefusesAnOversizedMessageWithoutCopyingItAndOnlyAfterSettling() {
        RdmaEventBusOptions options = new RdmaEventBusOptions().setMaxMessageSize(LIMIT);
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("oversized-channel");
                 ChannelPair pair = new ChannelPair(options, options)) {
            for (int i = 0; i < 50; i++) {
                assertTrue(pair.send(Buffer.buffer().appendInt(i).appendBytes(new byte[i % 10 == 0 ? 20_000 : 100])));
            }
            Buffer huge = Buffer.buffer(new byte[1 << 20]);
            long allocated = ThreadAllocations.ofCurrentThread();
            boolean accepted = pair.send(huge);
            allocated = ThreadAllocations.ofCurrentThread() - allocated;

            assertFalse(accepted, "a message above the limit is refused");
            assertTrue(allocated < 16 * 1024, "the refusal allocated " + allocated + " bytes");
            assertFalse(pair.send(Buffer.buffer("small")), "the refusal is final");
            Await.until("the 50 accepted messages arrive", Duration.ofSeconds(10), () -> pair.received.size() == 50);
            for (int i = 0; i < 50; i++) {
                assertEquals(i, pair.received.get(i).getInt(0));
            }
        }
    }

    @Test
    void theReceiverRefusesAMessageAboveItsLimitBeforeAllocatingIt() {
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("oversized-receiver");
                 LogCapture logs = new LogCapture();
                 ChannelPair pair = new ChannelPair(new RdmaEventBusOptions().setMaxMessageSize(1 << 20), new RdmaEventBusOptions().setMaxMessageSize(LIMIT))) {
            assertTrue(pair.send(Buffer.buffer("first")));
            Await.until("the first message arrives", Duration.ofSeconds(10), () -> pair.received.size() == 1);
            long pollerAllocation = pollerAllocation();

            assertTrue(pair.send(Buffer.buffer(new byte[512 * 1024])), "the sender's limit allows it");
            assertTrue(pair.send(Buffer.buffer("after")));
            Await.until("the message after it arrives", Duration.ofSeconds(10), () -> pair.received.size() == 2);
            pollerAllocation = pollerAllocation() - pollerAllocation;

            assertEquals("after", pair.received.get(1).toString());
            // Each segment is refused on its own, before anything is allocated for the message it belongs to.
            int segmentData = PoolChannelAccess.poolOf(pair.sender).maxMessageSize() - FrameLayout.SEGMENT_HEADER_LENGTH;
            assertEquals((512 * 1024 + segmentData - 1) / segmentData, PoolChannelAccess.decodeErrorsOf(pair.receiver).count(DecodeError.MESSAGE_TOO_LARGE));
            assertTrue(pollerAllocation < 256 * 1024, "the pollers allocated " + pollerAllocation + " bytes for a refused 512 KiB message");
            assertTrue(logs.messages(Level.WARNING).stream().anyMatch(line -> line.contains("MESSAGE_TOO_LARGE") && line.contains("maxMessageSize=" + LIMIT)),
                "the refusal names the limit: " + logs.messages(Level.WARNING));
        }
    }

    private static Buffer large(int index, int size) {
        Buffer buffer = Buffer.buffer(size).appendInt(index);
        while (buffer.length() < size) {
            buffer.appendByte((byte) buffer.length());
        }
        return buffer;
    }

    private static long pollerAllocation() {
        long sum = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(CompletionPoller.THREAD_NAME_PREFIX)) {
                sum += THREADS.getThreadAllocatedBytes(thread.getId());
            }
        }
        return sum;
    }
}
