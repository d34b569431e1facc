package org.rdmabus.transport.reliability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.pool.SoftNodeChannelFactory;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.HazelcastTestConfig;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.TestCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exceptions thrown by code the poller calls. The only user-supplied code that runs on a completion poller is what
 * the channel's inbound path calls: the inbound handler and, through the hook, the event-bus metrics SPI; message
 * handlers run on Vert.x contexts. Proves that in each case no poller thread dies, the failure is reported (logged
 * and counted), and delivery continues with nothing lost or reordered.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PollerFailureTest {

    private static final int MESSAGES = 3_000;

    @Test
    void aThrowingInboundHandlerNeitherKillsThePollerNorStopsDelivery() {
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("poller");
                 LogCapture logs = new LogCapture()) {
            NodeChannel receiver = new SoftNodeChannelFactory().create(new RdmaEventBusOptions());
            NodeChannel sender = new SoftNodeChannelFactory().create(new RdmaEventBusOptions());
            try {
                List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger thrown = new AtomicInteger();
                receiver.onInbound((source, message) -> {
                    int number = message.getInt(0);
                    seen.add(number);
                    if (number % 7 == 3) {
                        thrown.incrementAndGet();
                        throw new IllegalStateException("injected failure " + number);
                    }
                    if (number % 101 == 50) {
                        thrown.incrementAndGet();
                        throw new NoClassDefFoundError("injected error " + number);
                    }
                });
                sender.onInbound((source, message) -> { });
                String receiverId = UUID.randomUUID().toString();
                String senderId = UUID.randomUUID().toString();
                receiver.start(receiverId);
                sender.start(senderId);
                receiver.advertisementLookup(id -> CompletableFuture.completedFuture(null));
                sender.advertisementLookup(id -> CompletableFuture.completedFuture(null));
                receiver.peerAdvertised(senderId, sender.localAdvertisement());
                sender.peerAdvertised(receiverId, receiver.localAdvertisement());
                Set<Thread> pollers = pollerThreads();
                assertPollersOf(receiver, pollers);

                for (int i = 0; i < MESSAGES; i++) {
                    // Every 50th message is larger than a receive buffer: it travels as segments and is reassembled.
                    Buffer message = Buffer.buffer().appendInt(i).appendBytes(new byte[i % 50 == 0 ? 20_000 : 60]);
                    assertTrue(sender.send(receiverId, message), "message " + i + " accepted");
                }
                Await.until(MESSAGES + " messages handed to the handler", Duration.ofSeconds(60), () -> seen.size() >= MESSAGES);

                assertInOrder(seen);
                assertTrue(thrown.get() > 400, "failures injected: " + thrown.get());
                assertEquals(thrown.get(), PoolChannelAccess.poolOf(receiver).stats().handlerFailures(), "every failure counted");
                assertTrue(logs.messages(Level.WARNING).stream().anyMatch(line -> line.contains("message sink") && line.contains("threw")),
                    "the failure is logged: " + logs.messages(Level.WARNING));
                assertTrue(pollers.stream().allMatch(Thread::isAlive), "every poller thread still runs");
                assertEquals(pollers, pollerThreads(), "no poller thread was replaced");
                System.out.printf("FIGURES poller-channel: %d messages handed over in order, handler threw on %d, counted %d, poller threads %d alive%n",
                    seen.size(), thrown.get(), PoolChannelAccess.poolOf(receiver).stats().handlerFailures(), pollers.size());
            } finally {
                sender.close();
                receiver.close();
            }
        }
    }

    @Test
    void throwingHandlersAndMetricsOnTheReceivingNodeCostNoMessage() {
        ThrowingMetrics metrics = new ThrowingMetrics();
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("poller-bus");
                 LogCapture logs = new LogCapture();
                 TestCluster cluster = TestCluster.empty("poller-bus")) {
            Vertx sender = cluster.addNode(new RdmaEventBusOptions().setProvider("soft"), bus -> { });
            Vertx receiver = startWithMetrics(cluster.name(), metrics);
            try {
                List<Throwable> reported = new CopyOnWriteArrayList<>();
                receiver.exceptionHandler(reported::add);
                List<Integer> seen = new CopyOnWriteArrayList<>();
                AtomicInteger warmUps = new AtomicInteger();
                String address = "poller-bus-" + UUID.randomUUID();
                Await.result(receiver.eventBus().<Integer>consumer(address, message -> {
                    if (message.body() < 0) {
                        warmUps.incrementAndGet();
                        return;
                    }
                    seen.add(message.body());
                    if (message.body() % 10 == 9) {
                        throw new IllegalStateException("injected consumer failure " + message.body());
                    }
                }).completion());
                Await.until("the sender sees the consumer", Duration.ofSeconds(30), () -> {
                    sender.eventBus().send(address, -1);
                    return warmUps.get() > 0;
                });
                Set<Thread> pollers = pollerThreads();
                assertPollersOf(HookRegistry.hookOf(receiver).channel(), pollers);
                HookCounters counters = HookRegistry.hookOf(receiver).counters();
                long deliveredBefore = counters.inboundDelivered();

                Context context = sender.getOrCreateContext();
                context.runOnContext(v -> sendChunk(context, sender.eventBus(), address, 0));
                Await.until(MESSAGES + " messages consumed", Duration.ofSeconds(60), () -> seen.size() >= MESSAGES);

                assertInOrder(seen);
                assertTrue(counters.inboundDelivered() - deliveredBefore >= MESSAGES, "the messages took the channel: " + counters);
                Await.until("every consumer failure reported", Duration.ofSeconds(10), () -> reported.size() >= MESSAGES / 10);
                assertEquals(MESSAGES / 10, reported.stream().filter(t -> String.valueOf(t.getMessage()).startsWith("injected consumer failure")).count());
                assertTrue(metrics.thrown.get() > 100, "metrics failures injected: " + metrics.thrown.get());
                assertEquals(metrics.thrown.get(), counters.inboundMetricsFailures(), "every metrics failure counted");
                assertTrue(logs.messages(Level.WARNING).stream().anyMatch(line -> line.contains("metrics failed")), "metrics failures are logged");
                assertTrue(pollers.stream().allMatch(Thread::isAlive), "every poller thread still runs");
                assertEquals(pollers, pollerThreads(), "no poller thread was replaced");
                System.out.printf("FIGURES poller-bus: %d messages consumed in order, consumer failures reported %d, metrics failures %d counted %d%n",
                    seen.size(), reported.size(), metrics.thrown.get(), counters.inboundMetricsFailures());
            } finally {
                Await.result(receiver.close());
            }
        }
    }

    private static Vertx startWithMetrics(String clusterName, ThrowingMetrics metrics) {
        RdmaEventBus.configure(new RdmaEventBusOptions().setProvider("soft"));
        try {
            return Await.result(Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true))
                    .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
                .withMetrics(options -> metrics)
                .withClusterManager(new HazelcastClusterManager(HazelcastTestConfig.create(clusterName)))
                .buildClustered(), Duration.ofSeconds(60));
        } finally {
            RdmaEventBus.configure(null);
        }
    }

    private static void sendChunk(Context context, EventBus bus, String address, int first) {
        int end = Math.min(first + 100, MESSAGES);
        for (int i = first; i < end; i++) {
            bus.send(address, i);
        }
        if (end < MESSAGES) {
            context.runOnContext(v -> sendChunk(context, bus, address, end));
        }
    }

    private static void assertInOrder(List<Integer> seen) {
        assertEquals(MESSAGES, seen.size(), "messages seen");
        for (int i = 0; i < MESSAGES; i++) {
            assertEquals(i, seen.get(i), "message at position " + i);
        }
    }

    /**
     * The receiving channel's own poller threads are among those watched, so "every poller still runs, none replaced"
     * is about them and cannot hold because none was found.
     */
    private static void assertPollersOf(NodeChannel channel, Set<Thread> watched) {
        List<String> names = PoolChannelAccess.pollerNames(channel);
        assertFalse(names.isEmpty(), "the receiving channel has poller threads");
        Set<String> watchedNames = watched.stream().map(Thread::getName).collect(Collectors.toSet());
        assertTrue(watchedNames.containsAll(names), "the receiver's pollers " + names + " are among the watched threads " + watchedNames);
    }

    private static Set<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(CompletionPoller.THREAD_NAME_PREFIX)).collect(Collectors.toSet());
    }

    /** Event-bus metrics whose {@code messageRead} (called on the poller for channel traffic) throws every 5th time. */
    private static final class ThrowingMetrics implements VertxMetrics {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger thrown = new AtomicInteger();

        @Override
        public EventBusMetrics<?> createEventBusMetrics() {
            return new EventBusMetrics<Object>() {
                @Override
                public void messageRead(String address, int numberOfBytes) {
                    if (calls.incrementAndGet() % 5 == 0) {
                        thrown.incrementAndGet();
                        throw new IllegalStateException("injected metrics failure");
                    }
                }
            };
        }
    }
}
