package org.rdmabus.transport.channel;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.disposables.Disposable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.transport.RdmaBackPressureException;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaChannelClosedException;
import org.rdmabus.transport.RdmaChannelUnavailableException;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaMessage;
import org.rdmabus.transport.RdmaMessageTooLargeException;
import org.rdmabus.transport.RdmaRemoteFailureException;
import org.rdmabus.transport.RdmaRequestTimeoutException;
import org.rdmabus.transport.RdmaUnknownNodeException;
import org.rdmabus.transport.impl.channel.ChannelEndpoint;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.ProviderUnderTest;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.transport.testing.TestTimes;
import org.reactivestreams.Subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link RdmaChannel} between two clustered Vert.x nodes (Hazelcast on loopback) over the soft fabric: the channel
 * shares each node's warm pool with the event bus. Node A sends, node B receives, unless a test says otherwise.
 * Subclasses run the same tests over another provider ({@link #provider()}); both nodes are first checked to run that
 * provider's pool, so a node on TCP or on another fabric fails the class with its start-up line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RdmaChannelTest {
    private static final Duration WAIT = TestTimes.scaled(Duration.ofSeconds(30));

    private TestCluster cluster;
    private Vertx a;
    private Vertx b;
    private String bId;
    private String aId;
    private RdmaChannel channelA;
    private RdmaChannel channelB;
    private CallbackThreads threads;
    private String skipped;

    /**
     * The channel provider both nodes run.
     *
     * @return {@code soft} here
     */
    String provider() {
        return "soft";
    }

    @BeforeAll
    void startCluster() {
        skipped = ProviderUnderTest.skipReason(provider());
        if (skipped != null) {
            return; // every test reports the skip (a class-level skip would count as no tests at all)
        }
        try (LogCapture startUp = new LogCapture()) {
            cluster = TestCluster.start(getClass().getSimpleName(), 2, TestCluster.rdmabusOn().setProvider(provider()));
            a = cluster.node(0);
            b = cluster.node(1);
            ProviderUnderTest.assertTakes(provider(), "node A", a, startUp);
            ProviderUnderTest.assertTakes(provider(), "node B", b, startUp);
        }
        aId = cluster.nodeId(0);
        bId = cluster.nodeId(1);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openChannels() {
        assumeTrue(skipped == null, skipped);
        threads = new CallbackThreads();
        channelA = RdmaChannel.create(a);
        channelB = RdmaChannel.create(b);
    }

    @AfterEach
    void closeChannels() {
        if (skipped != null) {
            return;
        }
        channelA.close();
        channelB.close();
        Await.until("the application released every message", WAIT,
            () -> endpoint(a).messagesHeld() == 0 && endpoint(b).messagesHeld() == 0);
    }

    @Test
    void messagesArriveInOrderAndAreReadInPlace() throws Exception {
        int count = 500;
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicBoolean inPlace = new AtomicBoolean(true);
        CountDownLatch all = new CountDownLatch(count);
        Disposable subscription = channelB.messages().subscribe(message -> {
            threads.observe("onNext");
            ByteBuffer view = message.content();
            inPlace.compareAndSet(true, view.isReadOnly() && view.isDirect());
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            received.add(message.source() + ":" + new String(bytes, StandardCharsets.UTF_8));
            all.countDown();
        });
        RdmaConnection toB = await(channelA.connect(bId));
        assertEquals(bId, toB.nodeId());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            toB.send(Buffer.buffer("m" + i)).subscribe(() -> {
                threads.observe("send completed");
                sent.incrementAndGet();
            }, failures::add);
        }
        assertTrue(all.await(WAIT.toSeconds(), TimeUnit.SECONDS), "received " + received.size() + " of " + count);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(aId + ":m" + i);
        }
        assertEquals(expected, received);
        assertTrue(inPlace.get(), "the content is a read-only view of the (direct) receive buffer");
        Await.until("every send completed", WAIT, () -> sent.get() == count);
        assertTrue(failures.isEmpty(), failures.toString());
        subscription.dispose();
        threads.assertAllOnVertxContexts();
    }

    @Test
    void aMessageIsReleasedAfterOnNextUnlessRetained() {
        AtomicReference<RdmaMessage> released = new AtomicReference<>();
        AtomicReference<RdmaMessage> retained = new AtomicReference<>();
        Disposable subscription = channelB.messages().subscribe(message -> {
            if (released.get() == null) {
                released.set(message);
            } else {
                retained.set(message.retain());
            }
        });
        await(channelA.send(bId, Buffer.buffer("one")));
        await(channelA.send(bId, Buffer.buffer("two")));
        Await.until("both messages arrived", WAIT, () -> retained.get() != null);

        assertEquals(0, released.get().refCnt());
        assertThrows(IllegalStateException.class, () -> released.get().content());
        assertThrows(IllegalStateException.class, () -> released.get().release());

        RdmaMessage kept = retained.get();
        assertEquals(1, kept.refCnt());
        assertEquals("two", new String(kept.bytes(), StandardCharsets.UTF_8), "readable after onNext returned");
        assertEquals(1, endpoint(b).messagesHeld(), "the retained message keeps its receive buffer");
        assertTrue(kept.release());
        assertEquals(0, endpoint(b).messagesHeld());
        subscription.dispose();
    }

    @Test
    void requestsAreAnsweredOnTheRequestersContext() throws Exception {
        Disposable subscription = channelB.messages().subscribe(message -> {
            threads.observe("request onNext");
            assertTrue(message.isRequest());
            message.reply(Buffer.buffer("re:").appendBuffer(message.buffer()))
                .subscribe(() -> threads.observe("reply sent"), failure -> fail(failure));
        });
        Context contextA = a.getOrCreateContext();
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicBoolean onRequesterContext = new AtomicBoolean();
        contextA.runOnContext(v -> channelA.request(bId, Buffer.buffer("hello")).subscribe(reply -> {
            threads.observe("reply onSuccess");
            onRequesterContext.set(Vertx.currentContext() == contextA);
            answer.complete(reply.source() + ":" + reply.buffer());
        }, answer::completeExceptionally));
        assertEquals(bId + ":re:hello", answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(onRequesterContext.get(), "the reply is emitted on the context that subscribed");

        RdmaConnection toB = await(channelA.connect(bId));
        for (int i = 0; i < 200; i++) {
            assertEquals("re:" + i, await(toB.request(Buffer.buffer(Integer.toString(i))).map(r -> r.buffer().toString())));
        }
        assertEquals(0, endpoint(a).counters().timeouts());
        subscription.dispose();
        threads.assertAllOnVertxContexts();
    }

    @Test
    void aFailedRequestFailsAtTheRequester() {
        Disposable subscription = channelB.messages()
            .subscribe(message -> message.fail("no thanks").subscribe(() -> { }, failure -> fail(failure)));
        Throwable failure = failureOf(channelA.request(bId, Buffer.buffer("please")));
        RdmaRemoteFailureException remote = assertInstanceOf(RdmaRemoteFailureException.class, failure);
        assertEquals("no thanks", remote.reason());
        assertEquals(bId, remote.nodeId());
        subscription.dispose();
    }

    @Test
    void aRequestWithoutReplyTimesOutAndItsLateReplyIsDropped() {
        AtomicReference<RdmaMessage> unanswered = new AtomicReference<>();
        Disposable subscription = channelB.messages().subscribe(message -> unanswered.set(message.retain()));
        long lateBefore = endpoint(a).counters().lateReplies();
        long start = System.nanoTime();
        Throwable failure = failureOf(channelA.request(bId, Buffer.buffer("anyone?"), Duration.ofMillis(200)));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        RdmaRequestTimeoutException timeout = assertInstanceOf(RdmaRequestTimeoutException.class, failure);
        assertEquals(Duration.ofMillis(200), timeout.timeout());
        assertEquals(bId, timeout.nodeId());
        assertTrue(waitedMillis >= 200, "failed after " + waitedMillis + " ms");

        RdmaMessage request = unanswered.get();
        await(request.reply(Buffer.buffer("too late")));
        request.release();
        Await.until("the late reply was counted and dropped", WAIT,
            () -> endpoint(a).counters().lateReplies() == lateBefore + 1);
        assertEquals(0, endpoint(a).messagesHeld(), "the late reply's buffer went back to the pool");
        subscription.dispose();
    }

    @Test
    void typedErrors() throws Exception {
        Throwable unknown = failureOf(channelA.connect("00000000-0000-0000-0000-000000000000"));
        assertEquals("00000000-0000-0000-0000-000000000000",
            assertInstanceOf(RdmaUnknownNodeException.class, unknown).nodeId());

        int limit = channelA.maxMessageSize();
        assertTrue(limit > 1000 && limit < PoolOptions.DEFAULT_RECEIVE_BUFFER_SIZE, "limit " + limit);
        Throwable tooLarge = failureOf(channelA.send(bId, Buffer.buffer(new byte[limit + 1])).toSingleDefault(0));
        RdmaMessageTooLargeException large = assertInstanceOf(RdmaMessageTooLargeException.class, tooLarge);
        assertEquals(limit, large.limit());
        assertEquals(limit + 1, large.length());
        assertTrue(large.getMessage().contains(Integer.toString(limit)), large.getMessage());

        CompletableFuture<Integer> largest = new CompletableFuture<>();
        Disposable subscription = channelB.messages().subscribe(message -> largest.complete(message.length()));
        await(channelA.send(bId, Buffer.buffer(new byte[limit])));
        assertEquals(limit, largest.get(WAIT.toSeconds(), TimeUnit.SECONDS), "a payload of exactly the limit arrives");
        subscription.dispose();

        assertThrows(IllegalArgumentException.class, () -> channelA.request(bId, Buffer.buffer("x"), Duration.ZERO));
        assertInstanceOf(RdmaChannelUnavailableException.class,
            assertThrows(RuntimeException.class, () -> RdmaChannel.create(a)), "one open channel per Vert.x instance");
        Vertx plain = Vertx.vertx();
        try {
            assertThrows(RdmaChannelUnavailableException.class, () -> RdmaChannel.create(plain));
        } finally {
            Await.result(plain.close());
        }
    }

    @Test
    void aNodeWithoutAnOpenChannelRefusesRequests() {
        channelB.close();
        Throwable failure = failureOf(channelA.request(bId, Buffer.buffer("hello?")));
        assertTrue(assertInstanceOf(RdmaRemoteFailureException.class, failure).reason().contains("no RdmaChannel is open"),
            failure.getMessage());
        channelB = RdmaChannel.create(b);
        Disposable subscription = channelB.messages()
            .subscribe(message -> message.reply(Buffer.buffer("back")).subscribe());
        assertEquals("back", await(channelA.request(bId, Buffer.buffer("hello?")).map(r -> r.buffer().toString())),
            "a channel opened again takes requests");
        subscription.dispose();
    }

    @Test
    void closingTheChannelFailsItsPendingRequests() {
        Disposable subscription = channelB.messages().subscribe(message -> { });
        Single<RdmaMessage> request = channelA.request(bId, Buffer.buffer("wait"), Duration.ofSeconds(60));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        request.subscribe(reply -> outcome.complete(null), outcome::complete);
        Await.until("the request arrived", WAIT, () -> endpoint(b).counters().received() > 0);
        channelA.close();
        assertInstanceOf(RdmaChannelClosedException.class, outcome.join());
        assertInstanceOf(RdmaChannelClosedException.class, failureOf(channelA.connect(bId)));
        subscription.dispose();
    }

    @Test
    void aNewSubscriberTakesOverAfterTheFirstCancelled() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        channelB.messages().take(1).subscribe(message -> first.complete(message.buffer().toString()));
        assertThrowsOnSecondSubscriber();
        await(channelA.send(bId, Buffer.buffer("first")));
        assertEquals("first", first.get(WAIT.toSeconds(), TimeUnit.SECONDS));

        CompletableFuture<String> second = new CompletableFuture<>();
        Disposable subscription = channelB.messages().subscribe(message -> second.complete(message.buffer().toString()));
        await(channelA.send(bId, Buffer.buffer("second")));
        assertEquals("second", second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        subscription.dispose();
    }

    private void assertThrowsOnSecondSubscriber() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        channelB.messages().subscribe(message -> { }, refused::set);
        Await.until("the second subscriber is refused", WAIT, () -> refused.get() != null);
        assertInstanceOf(IllegalStateException.class, refused.get());
    }

    /**
     * B subscribes and requests nothing: A's sends stop once B holds every credit A had; A's sendAll stops pulling
     * from its source, single sends beyond the bounded queues fail with back-pressure, and B holds no more receive
     * buffers than the credits it grants. Once B requests, everything arrives, in order.
     */
    @Test
    void aSubscriberThatRequestsNothingBackPressuresTheSender() throws Exception {
        AtomicReference<Subscription> upstream = new AtomicReference<>();
        List<String> received = new CopyOnWriteArrayList<>();
        channelB.messages().subscribe(new io.reactivex.rxjava3.core.FlowableSubscriber<RdmaMessage>() {
            @Override
            public void onSubscribe(Subscription s) {
                upstream.set(s);
            }

            @Override
            public void onNext(RdmaMessage message) {
                threads.observe("stream onNext");
                received.add(message.buffer().toString());
            }

            @Override
            public void onError(Throwable t) {
                fail(t);
            }

            @Override
            public void onComplete() {
            }
        });
        RdmaConnection toB = await(channelA.connect(bId));
        int total = 5_000;
        AtomicLong pulled = new AtomicLong();
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        toB.sendAll(Flowable.range(0, total).map(i -> Buffer.buffer("s" + i)).doOnNext(b -> pulled.incrementAndGet()))
            .subscribe(() -> allSent.complete(null), allSent::completeExceptionally);

        long plateau = awaitPlateau(pulled);
        assertTrue(plateau < total, "the source was drained although B requested nothing: " + plateau);
        assertFalse(allSent.isDone());
        assertFalse(toB.isWritable(), "the connection reports it is full");
        int held = endpoint(b).messagesHeld();
        assertTrue(held > 0 && held <= PoolOptions.DEFAULT_INITIAL_CREDITS,
            "B holds " + held + " receive buffers; at most A's credits");
        assertTrue(received.isEmpty());

        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        AtomicInteger delivered = new AtomicInteger();
        int fired = 3 * PoolOptions.DEFAULT_SEND_QUEUE_DEPTH;
        for (int i = 0; i < fired; i++) {
            toB.send(Buffer.buffer("x" + i)).subscribe(delivered::incrementAndGet, refusals::add);
        }
        Await.until("single sends beyond the bounded queues are refused", WAIT, () -> !refusals.isEmpty());
        for (Throwable refusal : refusals) {
            assertInstanceOf(RdmaBackPressureException.class, refusal);
        }
        assertEquals(0, delivered.get(), "nothing is delivered while B requests nothing");
        assertTrue(endpoint(b).messagesHeld() <= PoolOptions.DEFAULT_INITIAL_CREDITS, "memory stays bounded on B");

        upstream.get().request(Long.MAX_VALUE);
        allSent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Await.until("every single send was settled", WAIT, () -> delivered.get() + refusals.size() == fired);
        int accepted = delivered.get();
        for (Throwable refusal : refusals) {
            assertInstanceOf(RdmaBackPressureException.class, refusal);
        }
        Await.until("everything accepted arrived", WAIT, () -> received.size() >= total + accepted);
        assertEquals(total + accepted, received.size(), "nothing refused arrived, nothing accepted was lost");
        List<String> streamed = received.stream().filter(s -> s.startsWith("s")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add("s" + i);
        }
        assertEquals(expected, streamed, "the stream arrives whole and in order after the stall");
        threads.assertAllOnVertxContexts();
    }

    @Test
    void theEventBusKeepsTakingTheChannelWhileRdmaChannelTrafficFlows() throws Exception {
        MessageConsumer<String> consumer = b.eventBus().<String>consumer("rdmachannel.echo", m -> m.reply("eb:" + m.body()));
        Await.result(consumer.completion());
        Disposable subscription = channelB.messages()
            .subscribe(message -> message.reply(Buffer.buffer("rc:" + message.buffer())).subscribe());
        long channelSendsBefore = cluster.channelSends();
        try {
            for (int i = 0; i < 50; i++) {
                assertEquals("rc:" + i, await(channelA.request(bId, Buffer.buffer("" + i)).map(r -> r.buffer().toString())));
                assertEquals("eb:" + i, Await.result(a.eventBus().<String>request("rdmachannel.echo", "" + i)).body());
            }
            assertTrue(cluster.channelSends() >= channelSendsBefore + 100, "event-bus requests and replies took the channel");
            assertEquals(0, cluster.tcpConnections(), "no event-bus TCP connection");
        } finally {
            subscription.dispose();
            Await.result(consumer.unregister());
        }
    }

    @Test
    void noUserCallbackRunsOnAPollerThread() throws Exception {
        Disposable subscription = channelB.messages().subscribe(message -> {
            threads.observe("onNext");
            if (message.isRequest()) {
                message.reply(message.buffer()).subscribe(() -> threads.observe("reply completed"));
            }
        });
        for (int i = 0; i < 20; i++) {
            CountDownLatch done = new CountDownLatch(3);
            channelA.connect(bId).subscribe(connection -> {
                threads.observe("connect onSuccess");
                done.countDown();
            });
            channelA.send(bId, Buffer.buffer("one-way")).subscribe(() -> {
                threads.observe("send onComplete");
                done.countDown();
            });
            channelA.request(bId, Buffer.buffer("two-way")).subscribe(reply -> {
                threads.observe("request onSuccess");
                done.countDown();
            });
            assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        CountDownLatch failures = new CountDownLatch(2);
        channelA.send(bId, Buffer.buffer(new byte[channelA.maxMessageSize() + 1])).subscribe(() -> { }, failure -> {
            threads.observe("send onError");
            failures.countDown();
        });
        channelA.connect("00000000-0000-0000-0000-000000000001").subscribe(c -> { }, failure -> {
            threads.observe("connect onError");
            failures.countDown();
        });
        assertTrue(failures.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        subscription.dispose();
        threads.assertAllOnVertxContexts();
    }

    private static ChannelEndpoint endpoint(Vertx vertx) {
        return ((PoolNodeChannel) HookRegistry.hookOf(vertx).channel()).channelEndpoint();
    }

    private static long awaitPlateau(AtomicLong counter) throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long now = counter.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        return counter.get();
    }

    private static <T> T await(Single<T> single) {
        return single.timeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).blockingGet();
    }

    private static void await(Completable completable) {
        assertTrue(completable.blockingAwait(WAIT.toMillis(), TimeUnit.MILLISECONDS), "not completed within " + WAIT);
    }

    private static Throwable failureOf(Single<?> single) {
        try {
            Object value = single.timeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).blockingGet();
            throw new AssertionError("expected a failure, got " + value);
        } catch (RuntimeException e) {
            return e;
        }
    }
}
