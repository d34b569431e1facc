package org.rdmabus.transport.semantics;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.loopback.LoopbackNodeChannel;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestBodies;
import org.rdmabus.transport.testing.TestCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clustered event-bus semantics, with expectations that do not depend on the transport: the same tests run with
 * rdmabus on (the loopback channel) and off (Vert.x's TCP). Three nodes share one cluster for the whole class;
 * every test uses its own addresses and removes the interceptors it adds.
 *
 * <p>With rdmabus on, every test also proves the traffic took the channel: the channel counts the messages, and
 * after each test no node holds a single event-bus TCP connection, so the tests fail if diversion silently stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class EventBusSemanticsContract {

    static final int NODES = 3;

    TestCluster cluster;
    private long channelSendsBefore;

    /** Whether rdmabus runs on the nodes of this class. */
    abstract boolean overChannel();

    /** The rdmabus options of every node: the loopback channel when on, unless a subclass picks a fabric. */
    RdmaEventBusOptions rdmabusOptions() {
        return overChannel() ? TestCluster.rdmabusOn() : TestCluster.rdmabusOff();
    }

    @BeforeAll
    void startCluster() {
        RdmaEventBusOptions options = rdmabusOptions();
        cluster = TestCluster.start(getClass().getSimpleName(), NODES, options);
        for (int i = 0; i < NODES; i++) {
            TestBodies.register(bus(i));
            assertEquals(overChannel(), RdmaEventBus.status(node(i)).isActive(), RdmaEventBus.status(node(i)).getDescription());
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void countBefore() {
        channelSendsBefore = cluster.channelSends();
    }

    @AfterEach
    void checkThePathTaken() {
        for (int i = 0; i < NODES; i++) {
            HookCounters counters = cluster.counters(i);
            if (overChannel()) {
                assertEquals(0, cluster.tcpConnections(i), "node " + i + " opened an event-bus TCP connection");
                assertEquals(0, counters.tcpSends(), "node " + i + ": " + counters);
                assertEquals(0, counters.uncertainHandOvers(), "node " + i + ": " + counters);
                assertEquals(0, counters.switchesToTcp(), "node " + i + ": " + counters);
            } else {
                assertNull(counters, "rdmabus installed on node " + i + " although disabled");
                assertNull(cluster.channel(i), "node " + i + " has a channel although rdmabus is disabled");
            }
        }
    }

    /** With rdmabus on, at least this many messages took the channel during the test; with it off, none did. */
    void assertChannelCarried(long atLeast) {
        if (overChannel()) {
            // The sender counts a message once the channel accepted it, which can be after the receiver already has it.
            Await.until("the channel carried at least " + atLeast + " messages (" + (cluster.channelSends() - channelSendsBefore) + ")",
                Duration.ofSeconds(10), () -> cluster.channelSends() - channelSendsBefore >= atLeast);
        } else {
            long carried = cluster.channelSends() - channelSendsBefore;
            assertEquals(0, carried);
        }
    }

    Vertx node(int index) {
        return cluster.node(index);
    }

    EventBus bus(int index) {
        return cluster.node(index).eventBus();
    }

    static String address(String name) {
        return name + "-" + UUID.randomUUID();
    }

    <T> MessageConsumer<T> consumer(int index, String address, Handler<Message<T>> handler) {
        MessageConsumer<T> consumer = bus(index).consumer(address, handler);
        Await.result(consumer.completion());
        return consumer;
    }

    static ReplyException replyFailure(Future<?> future) {
        return assertInstanceOf(ReplyException.class, Await.failure(future));
    }

    /** Runs a task on a new event-loop context of a node and returns its result. */
    static <T> T onContext(Vertx vertx, java.util.function.Function<Context, Future<T>> task) {
        Context context = vertx.getOrCreateContext();
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> task.apply(context).onComplete(result));
        return Await.result(result.future());
    }

    @Test
    void sendReachesAConsumerOnAnotherNode() {
        String address = address("send");
        Promise<Object> received = Promise.promise();
        consumer(1, address, message -> received.tryComplete(message.body()));
        bus(0).send(address, "hello");
        assertEquals("hello", Await.result(received.future()));
        assertChannelCarried(1);
    }

    @Test
    void requestReplyFromTheMainThreadAnEventLoopAndAWorker() {
        String address = address("echo");
        consumer(1, address, message -> message.reply("echo:" + message.body()));

        assertEquals("echo:main", Await.result(bus(0).request(address, "main")).body());
        assertEquals("echo:loop", onContext(node(0), context -> bus(0).request(address, "loop").map(Message::body)));

        Promise<Object> fromWorker = Promise.promise();
        Await.result(node(0).deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                vertx.eventBus().request(address, "worker").map(Message::body).onComplete(fromWorker);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
        assertEquals("echo:worker", Await.result(fromWorker.future()));
        assertChannelCarried(6);
    }

    @Test
    void replyToAReply() {
        String address = address("ping");
        Promise<Object> finalReply = Promise.promise();
        consumer(1, address, message -> message.replyAndRequest("pong").onComplete(ar -> {
            if (ar.succeeded()) {
                finalReply.tryComplete(ar.result().body());
            } else {
                finalReply.tryFail(ar.cause());
            }
        }));
        Message<Object> pong = Await.result(bus(0).request(address, "ping"));
        assertEquals("pong", pong.body());
        pong.reply("done");
        assertEquals("done", Await.result(finalReply.future()));
        assertChannelCarried(3);
    }

    @Test
    void publishReachesEveryConsumerOnEveryNodeOnce() {
        String address = address("publish");
        List<String> received = new CopyOnWriteArrayList<>();
        consumer(0, address, message -> received.add("n0:" + message.body()));
        consumer(1, address, message -> received.add("n1:" + message.body()));
        consumer(2, address, message -> received.add("n2a:" + message.body()));
        consumer(2, address, message -> received.add("n2b:" + message.body()));
        bus(0).publish(address, "news");
        Await.until("four deliveries", Duration.ofSeconds(20), () -> received.size() >= 4);
        assertEquals(Set.of("n0:news", "n1:news", "n2a:news", "n2b:news"), Set.copyOf(received));
        assertEquals(4, received.size());
        assertChannelCarried(2);
    }

    @Test
    void headersTravelBothWays() {
        String address = address("headers");
        consumer(1, address, message -> message.reply("ok", new DeliveryOptions()
            .addHeader("seen-a", String.join("|", message.headers().getAll("a")))
            .addHeader("seen-b", message.headers().get("b"))));
        DeliveryOptions options = new DeliveryOptions().addHeader("a", "1").addHeader("a", "2").addHeader("b", "x y");
        Message<Object> reply = Await.result(bus(0).request(address, "h", options));
        assertEquals("1|2", reply.headers().get("seen-a"));
        assertEquals("x y", reply.headers().get("seen-b"));
        assertChannelCarried(2);
    }

    @Test
    void everySystemCodecAndAUserCodecCarryTheirBody() {
        String address = address("codecs");
        Queue<Object> received = new ConcurrentLinkedQueue<>();
        consumer(1, address, message -> {
            received.add(message.body() == null ? "<null>" : message.body());
            message.reply("ack");
        });
        List<Object> bodies = Arrays.asList(null, "text", Buffer.buffer("buffer"), new JsonObject().put("k", "v").put("n", 1),
            new JsonArray().add(1).add("two"), new byte[]{1, 2, 3}, 42, 42L, 1.5f, 2.5d, true, (short) 7, 'c', (byte) 9,
            new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 3, "carried"), new TestBodies.Point(3, 4),
            new TestBodies.Label("serialized"), new TestBodies.Pojo("user", 5));
        for (Object body : bodies) {
            assertEquals("ack", Await.result(bus(0).request(address, body)).body(), "for " + body);
            Object got = received.poll();
            if (body == null) {
                assertEquals("<null>", got);
            } else if (body instanceof byte[]) {
                assertArrayEquals((byte[]) body, (byte[]) got);
            } else if (body instanceof ReplyException) {
                ReplyException expected = (ReplyException) body;
                ReplyException actual = assertInstanceOf(ReplyException.class, got);
                assertEquals(expected.failureType(), actual.failureType());
                assertEquals(expected.failureCode(), actual.failureCode());
                assertEquals(expected.getMessage(), actual.getMessage());
            } else {
                assertEquals(body, got);
                assertEquals(body.getClass(), got.getClass());
            }
        }
        assertChannelCarried(2L * bodies.size());
    }

    @Test
    void aCodecUnknownToTheReceiverIsAnsweredWithAnError() {
        String codec = "only-on-node-0-" + UUID.randomUUID();
        bus(0).registerCodec(new TestBodies.NamedStringCodec(codec));
        try {
            String address = address("unknown-codec");
            AtomicInteger delivered = new AtomicInteger();
            consumer(1, address, message -> delivered.incrementAndGet());
            ReplyException failure = replyFailure(bus(0).request(address, "x", new DeliveryOptions().setCodecName(codec)));
            assertEquals(ReplyFailure.ERROR, failure.failureType());
            assertTrue(failure.getMessage().contains(codec), failure.getMessage());
            assertEquals(0, delivered.get());
            assertChannelCarried(2);
        } finally {
            bus(0).unregisterCodec(codec);
        }
    }

    @Test
    void failReachesTheRequesterAsRecipientFailure() {
        String address = address("fail");
        consumer(1, address, message -> message.fail(42, "boom"));
        ReplyException failure = replyFailure(bus(0).request(address, "x"));
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure.failureType());
        assertEquals(42, failure.failureCode());
        assertEquals("boom", failure.getMessage());
        assertChannelCarried(2);
    }

    @Test
    void noHandlersFailsFastInsteadOfTimingOut() {
        long start = System.nanoTime();
        ReplyException failure = replyFailure(bus(0).request(address("nobody"), "x", new DeliveryOptions().setSendTimeout(60_000)));
        assertEquals(ReplyFailure.NO_HANDLERS, failure.failureType());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "NO_HANDLERS took as long as a timeout");
    }

    @Test
    void aSilentConsumerLetsTheRequestTimeOut() {
        String address = address("silent");
        consumer(1, address, message -> { });
        ReplyException failure = replyFailure(bus(0).request(address, "x", new DeliveryOptions().setSendTimeout(500)));
        assertEquals(ReplyFailure.TIMEOUT, failure.failureType());
        assertChannelCarried(1);
    }

    @Test
    void aLocalConsumerIsNeverReachedFromAnotherNode() {
        String localOnly = address("local-only");
        AtomicInteger localHits = new AtomicInteger();
        MessageConsumer<Object> local = bus(1).localConsumer(localOnly, message -> localHits.incrementAndGet());
        Await.result(local.completion());
        assertEquals(ReplyFailure.NO_HANDLERS, replyFailure(bus(0).request(localOnly, "x")).failureType());

        String mixed = address("mixed");
        AtomicInteger mixedLocalHits = new AtomicInteger();
        AtomicInteger clusteredHits = new AtomicInteger();
        Await.result(bus(1).localConsumer(mixed, message -> mixedLocalHits.incrementAndGet()).completion());
        consumer(1, mixed, message -> clusteredHits.incrementAndGet());
        for (int i = 0; i < 20; i++) {
            bus(0).send(mixed, i);
        }
        Await.until("20 deliveries", Duration.ofSeconds(20), () -> clusteredHits.get() == 20);
        assertEquals(0, mixedLocalHits.get());
        assertEquals(0, localHits.get());
        assertChannelCarried(20);
    }

    @Test
    void unregisteringWhileMessagesAreInFlightNeverHangsOrMisdelivers() {
        String address = address("unregister");
        int requests = 300;
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<MessageConsumer<Object>> consumer = new AtomicReference<>();
        consumer.set(consumer(1, address, message -> {
            message.reply("echo:" + message.body());
            if (seen.incrementAndGet() == 50) {
                consumer.get().unregister();
            }
        }));
        List<Future<Message<Object>>> replies = onContext(node(0), context -> {
            List<Future<Message<Object>>> sent = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                sent.add(bus(0).request(address, "m" + i, new DeliveryOptions().setSendTimeout(3_000)));
            }
            return Future.succeededFuture(sent);
        });
        int succeeded = 0;
        for (int i = 0; i < requests; i++) {
            Future<Message<Object>> reply = replies.get(i);
            Await.until("request " + i + " completes", Duration.ofSeconds(30), reply::isComplete);
            if (reply.succeeded()) {
                assertEquals("echo:m" + i, reply.result().body());
                succeeded++;
            } else {
                ReplyFailure type = assertInstanceOf(ReplyException.class, reply.cause()).failureType();
                assertTrue(type == ReplyFailure.NO_HANDLERS || type == ReplyFailure.TIMEOUT, "request " + i + " failed with " + type);
            }
        }
        assertTrue(succeeded >= 50, "only " + succeeded + " replies");
        assertChannelCarried(2L * succeeded);
    }

    @Test
    void tenThousandMessagesFromOneSenderArriveInOrder() {
        String address = address("order");
        int count = 10_000;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        consumer(1, address, message -> {
            if ((Integer) message.body() != next.getAndIncrement()) {
                outOfOrder.incrementAndGet();
            }
        });
        Context sender = node(0).getOrCreateContext();
        sender.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                bus(0).send(address, i);
            }
        });
        Await.until(count + " messages", Duration.ofSeconds(60), () -> next.get() >= count);
        assertEquals(count, next.get());
        assertEquals(0, outOfOrder.get());
        assertChannelCarried(count);
    }

    @Test
    void bodiesOfOneAndSixteenMebibytesArriveIntact() {
        String address = address("big");
        consumer(1, address, message -> message.reply(message.body()));
        Random random = new Random(42);
        for (int size : new int[]{1 << 20, 16 << 20}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Buffer reply = (Buffer) Await.result(bus(0).request(address, Buffer.buffer(bytes)), Duration.ofSeconds(60)).body();
            assertEquals(size, reply.length());
            assertArrayEquals(bytes, reply.getBytes(), "body of " + size + " bytes");
        }
        assertChannelCarried(4);
    }

    @Test
    void aDelayingInterceptorDoesNotMixUpMessages() {
        String address = address("delayed");
        consumer(1, address, message -> message.reply("echo:" + message.body()));
        AtomicInteger delay = new AtomicInteger();
        Handler<DeliveryContext<Object>> delaying = context -> {
            if (address.equals(context.message().address())) {
                node(0).setTimer(1 + delay.getAndIncrement() % 7, id -> context.next());
            } else {
                context.next();
            }
        };
        bus(0).addOutboundInterceptor(delaying);
        try {
            List<Future<Message<Object>>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(bus(0).request(address, "m" + i));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals("echo:m" + i, Await.result(replies.get(i)).body());
            }
        } finally {
            bus(0).removeOutboundInterceptor(delaying);
        }
        assertChannelCarried(100);
    }

    @Test
    void aBatchingInterceptorDoesNotMixUpMessages() {
        List<Integer> expected = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        // Holds every even message and passes it on inside the next message's chain, first.
        assertEquals(expected, sendThroughPairingInterceptor(false));
    }

    @Test
    void aReorderingInterceptorDoesNotMixUpMessages() {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i += 2) {
            expected.add(i + 1);
            expected.add(i);
        }
        // Holds every even message and passes it on inside the next message's chain, after that message.
        assertEquals(expected, sendThroughPairingInterceptor(true));
    }

    /** Sends 0..99 from one context through an interceptor that passes messages on in pairs; returns what arrived. */
    private List<Integer> sendThroughPairingInterceptor(boolean swap) {
        String address = address("pairs");
        List<Integer> received = new CopyOnWriteArrayList<>();
        consumer(1, address, message -> received.add((Integer) message.body()));
        AtomicReference<DeliveryContext<Object>> held = new AtomicReference<>();
        Handler<DeliveryContext<Object>> pairing = context -> {
            if (!address.equals(context.message().address())) {
                context.next();
                return;
            }
            DeliveryContext<Object> first = held.getAndSet(null);
            if (first == null) {
                held.set(context);
            } else if (swap) {
                context.next();
                first.next();
            } else {
                first.next();
                context.next();
            }
        };
        bus(0).addOutboundInterceptor(pairing);
        try {
            node(0).getOrCreateContext().runOnContext(v -> {
                for (int i = 0; i < 100; i++) {
                    bus(0).send(address, i);
                }
            });
            Await.until("100 messages", Duration.ofSeconds(30), () -> received.size() >= 100);
        } finally {
            bus(0).removeOutboundInterceptor(pairing);
        }
        assertNull(held.get());
        assertChannelCarried(100);
        return received;
    }

    @Test
    void userInterceptorsSeeRepliesToo() {
        String address = address("seen");
        consumer(1, address, message -> message.reply("r"));
        Queue<String> seenOnReplier = new ConcurrentLinkedQueue<>();
        Handler<DeliveryContext<Object>> recording = context -> {
            seenOnReplier.add(context.message().address());
            context.next();
        };
        bus(1).addOutboundInterceptor(recording);
        try {
            Message<Object> request = Await.result(bus(0).request(address, "q"));
            assertEquals("r", request.body());
            assertTrue(seenOnReplier.stream().anyMatch(seen -> seen.startsWith("__vertx.reply.")), "the replier's interceptor saw " + seenOnReplier);
        } finally {
            bus(1).removeOutboundInterceptor(recording);
        }
        assertChannelCarried(2);
    }

    @Test
    void producerWritesComplete() {
        String sent = address("producer-send");
        Promise<Object> received = Promise.promise();
        consumer(1, sent, message -> received.tryComplete(message.body()));
        Await.result(bus(0).sender(sent).write("written"));
        assertEquals("written", Await.result(received.future()));

        String published = address("producer-publish");
        Queue<String> deliveries = new ConcurrentLinkedQueue<>();
        consumer(1, published, message -> deliveries.add("n1"));
        consumer(2, published, message -> deliveries.add("n2"));
        // Every target is remote, so with rdmabus on every copy is diverted: the write must still complete.
        Await.result(bus(0).publisher(published).write("to all"));
        Await.until("both deliveries", Duration.ofSeconds(20), () -> deliveries.size() == 2);
        assertEquals(Set.of("n1", "n2"), Set.copyOf(deliveries));

        ReplyException noConsumers = replyFailure(bus(0).publisher(address("nobody")).write("lost"));
        assertEquals(ReplyFailure.NO_HANDLERS, noConsumers.failureType());
        assertChannelCarried(3);
    }

    @Test
    void noHandlerInterceptorOrCodecRunsOnAPollerThread() {
        String address = address("threads");
        String published = address("threads-publish");
        Queue<String> wrongThreads = new ConcurrentLinkedQueue<>();
        AtomicInteger observations = new AtomicInteger();
        Set<Thread> pollers = pollerThreads();
        java.util.function.Consumer<String> record = what -> {
            observations.incrementAndGet();
            Thread thread = Thread.currentThread();
            if (!Context.isOnVertxThread() || pollers.contains(thread) || thread.getName().startsWith("rdmabus")) {
                wrongThreads.add(what + " on " + thread.getName());
            }
        };
        Handler<DeliveryContext<Object>> inbound = context -> {
            record.accept("inbound interceptor");
            context.next();
        };
        Handler<DeliveryContext<Object>> outbound = context -> {
            record.accept("outbound interceptor");
            context.next();
        };
        TestBodies.POJO_DECODING_THREADS.clear();
        for (int i = 0; i < NODES; i++) {
            bus(i).addInboundInterceptor(inbound);
            bus(i).addOutboundInterceptor(outbound);
        }
        try {
            consumer(1, address, message -> {
                record.accept("consumer");
                message.body();
                message.reply(new TestBodies.Pojo("reply", 2));
            });
            AtomicInteger publishDeliveries = new AtomicInteger();
            Handler<Message<Object>> publishConsumer = message -> {
                record.accept("publish consumer");
                message.body();
                publishDeliveries.incrementAndGet();
            };
            consumer(1, published, publishConsumer);
            consumer(2, published, publishConsumer);
            Object reply = onContext(node(0), context -> bus(0).request(address, new TestBodies.Pojo("request", 1)).map(message -> {
                record.accept("reply handler");
                return message.body();
            }));
            assertEquals(new TestBodies.Pojo("reply", 2), reply);
            node(0).getOrCreateContext().runOnContext(v -> bus(0).publish(published, new TestBodies.Pojo("news", 3)));
            Await.until("two publish deliveries", Duration.ofSeconds(20), () -> publishDeliveries.get() == 2);
        } finally {
            for (int i = 0; i < NODES; i++) {
                bus(i).removeInboundInterceptor(inbound);
                bus(i).removeOutboundInterceptor(outbound);
            }
        }
        for (Thread decoding : TestBodies.POJO_DECODING_THREADS) {
            if (pollers.contains(decoding) || decoding.getName().startsWith("rdmabus")) {
                wrongThreads.add("codec on " + decoding.getName());
            }
        }
        assertTrue(observations.get() >= 10, "only " + observations.get() + " observations");
        assertTrue(TestBodies.POJO_DECODING_THREADS.size() >= 4, "the codec decoded " + TestBodies.POJO_DECODING_THREADS.size() + " bodies");
        assertEquals(List.of(), new ArrayList<>(wrongThreads));
        if (overChannel()) {
            assertFalse(pollers.isEmpty());
        }
        assertChannelCarried(4);
    }

    private Set<Thread> pollerThreads() {
        Set<Thread> threads = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < NODES; i++) {
            LoopbackNodeChannel channel = cluster.channel(i);
            if (channel != null) {
                threads.add(channel.pollerThread());
            }
        }
        // The real channel's completion pollers, whichever node they serve.
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(CompletionPoller.THREAD_NAME_PREFIX)) {
                threads.add(thread);
            }
        }
        return threads;
    }
}
