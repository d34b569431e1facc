package org.rdmabus.samples.ticker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.subscribers.TestSubscriber;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;

/**
 * The consumer-backed Flowable on one local Vert.x: it hands over exactly what was requested, in order; a consumer
 * without demand holds at most its buffer and drops the rest; cancelling unregisters; Reactive Streams' rules for bad
 * requests and second subscribers hold.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageConsumerFlowableTest {

    private static final String ADDRESS = "test.ticks";
    /** Vert.x warns once per message a full consumer drops: these tests drop hundreds on purpose. */
    private static final Logger CONSUMER_LOGGER = Logger.getLogger("io.vertx.core.eventbus.impl.MessageConsumerImpl");
    private static final long SETTLE_MILLIS = 300;

    private Vertx vertx;
    private Context context;

    @BeforeAll
    static void quietDrops() {
        CONSUMER_LOGGER.setLevel(Level.OFF);
    }

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void itHandsOverExactlyWhatWasRequestedInOrder() throws Exception {
        MessageConsumerFlowable<Integer> flowable = flowable(1_000);
        TestSubscriber<Integer> subscriber = flowable.map(Message::body).test(0);
        await(flowable);
        send(0, 100);
        Thread.sleep(SETTLE_MILLIS);
        subscriber.assertValueCount(0);
        subscriber.request(5);
        subscriber.awaitCount(5);
        Thread.sleep(SETTLE_MILLIS);
        subscriber.assertValues(0, 1, 2, 3, 4);
        subscriber.request(95);
        subscriber.awaitCount(100);
        subscriber.assertValueSequence(IntStream.range(0, 100).boxed().toList());
        subscriber.assertNotComplete().assertNoErrors();
    }

    @Test
    void withoutDemandTheConsumerHoldsItsBufferAndDropsTheRest() throws Exception {
        MessageConsumerFlowable<Integer> flowable = flowable(50);
        TestSubscriber<Integer> subscriber = flowable.map(Message::body).test(0);
        await(flowable);
        send(0, 1_000);
        Thread.sleep(SETTLE_MILLIS);
        subscriber.request(Long.MAX_VALUE);
        subscriber.awaitCount(50);
        Thread.sleep(SETTLE_MILLIS);
        subscriber.assertValueSequence(IntStream.range(0, 50).boxed().toList());
        // With demand again, new messages flow straight through.
        send(1_000, 10);
        subscriber.awaitCount(60);
        assertEquals(IntStream.range(1_000, 1_010).boxed().toList(), subscriber.values().subList(50, 60));
    }

    @Test
    void aRequestMadeInOnSubscribeBeforeRegistrationCounts() throws Exception {
        MessageConsumerFlowable<Integer> flowable = flowable(10);
        TestSubscriber<Integer> subscriber = flowable.map(Message::body).test(3);
        await(flowable);
        send(0, 10);
        subscriber.awaitCount(3);
        Thread.sleep(SETTLE_MILLIS);
        subscriber.assertValues(0, 1, 2);
    }

    @Test
    void cancellingUnregistersTheConsumerAndStopsTheSignals() throws Exception {
        MessageConsumerFlowable<Integer> flowable = flowable(10);
        TestSubscriber<Integer> subscriber = flowable.map(Message::body).test(Long.MAX_VALUE);
        await(flowable);
        send(0, 3);
        subscriber.awaitCount(3);
        subscriber.cancel();
        Thread.sleep(SETTLE_MILLIS);
        ExecutionException noHandlers = assertThrows(ExecutionException.class, () -> vertx.eventBus()
            .request(ADDRESS, 99).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) noHandlers.getCause()).failureType());
        subscriber.assertValues(0, 1, 2).assertNotComplete().assertNoErrors();
    }

    @Test
    void aNonPositiveRequestIsAnError() throws Exception {
        MessageConsumerFlowable<Integer> flowable = flowable(10);
        TestSubscriber<Message<Integer>> subscriber = new TestSubscriber<>(0L) {
            @Override
            public void onSubscribe(Subscription subscription) {
                super.onSubscribe(subscription);
                subscription.request(0);
            }
        };
        flowable.subscribe(subscriber);
        subscriber.await(5, TimeUnit.SECONDS);
        subscriber.assertError(IllegalArgumentException.class);
    }

    @Test
    void aSecondSubscriberIsRefused() {
        MessageConsumerFlowable<Integer> flowable = flowable(10);
        flowable.test(0);
        flowable.test(0).assertError(IllegalStateException.class);
    }

    @Test
    void theOptionsNeedAnAddressAndTheContextMustBeAnEventLoop() throws Exception {
        IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
            () -> new MessageConsumerFlowable<>(context, new MessageConsumerOptions()));
        assertTrue(noAddress.getMessage().contains("address"), noAddress.getMessage());
        CompletableFuture<Context> worker = new CompletableFuture<>();
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                worker.complete(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
        Context workerContext = worker.get(5, TimeUnit.SECONDS);
        assertThrows(IllegalArgumentException.class, () -> new MessageConsumerFlowable<>(workerContext,
            new MessageConsumerOptions().setAddress(ADDRESS)));
    }

    private MessageConsumerFlowable<Integer> flowable(int buffer) {
        return new MessageConsumerFlowable<>(context,
            new MessageConsumerOptions().setAddress(ADDRESS).setMaxBufferedMessages(buffer));
    }

    private static void await(MessageConsumerFlowable<?> flowable) throws Exception {
        flowable.registered().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void send(int from, int count) {
        // From one thread, so that the sends are in order, and all made when this returns.
        List<Integer> bodies = IntStream.range(from, from + count).boxed().toList();
        try {
            vertx.<Void>executeBlocking(() -> {
                bodies.forEach(body -> vertx.eventBus().send(ADDRESS, body));
                return null;
            }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("sending failed", e);
        }
    }
}
