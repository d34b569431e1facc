package org.rdmabus.samples.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The toy models against hand-worked figures, and the services and the event-bus function on one local Vert.x. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckoutTest {

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theModelsGiveTheHandWorkedFigures() {
        assertEquals(100, Checkout.priceCents(0));
        // 2654435761 mod 99900 = 2654435761 - 26570 * 99900 = 92761; plus 100.
        assertEquals(92_861, Checkout.priceCents(1));
        assertEquals(7, Checkout.taxBps(0));
        assertEquals(38, Checkout.taxBps(1));
        // 92861 * 10038 / 10000 = 93213.87... -> 93214; 100 * 10007 / 10000 = 100.07 -> 100.
        assertEquals(93_214, Checkout.totalCents(92_861, 38));
        assertEquals(100, Checkout.totalCents(100, 7));
        // Half up: 150 * 10050 / 10000 = 150.75 -> 151; 10 * 10050 / 10000 = 10.05 -> 10.
        assertEquals(151, Checkout.totalCents(150, 50));
        assertEquals(10, Checkout.totalCents(10, 50));
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Checkout.priceCents(-1));
        assertThrows(IllegalArgumentException.class, () -> Checkout.taxBps(Checkout.MAX_ID + 1));
        assertThrows(IllegalArgumentException.class, () -> new CheckoutRequest(-1, 0));
        for (long i = 0; i < 1_000; i++) {
            CheckoutRequest request = CheckoutRequest.numbered(i);
            assertTrue(request.item() >= 0 && request.region() >= 0, request.toString());
        }
    }

    @Test
    void aFreshFunctionInstanceCallsBothServices() throws Exception {
        await(vertx.deployVerticle(ServiceVerticle.catalog()).toCompletionStage().toCompletableFuture());
        await(vertx.deployVerticle(ServiceVerticle.tax()).toCompletionStage().toCompletableFuture());
        CheckoutRequest request = new CheckoutRequest(1, 1);
        Promise<CheckoutResult> result = Promise.promise();
        await(vertx.deployVerticle(new CheckoutFunction(request, result)).toCompletionStage().toCompletableFuture());
        CheckoutResult answer = await(result.future().toCompletionStage().toCompletableFuture());
        assertEquals(93_214, answer.totalCents());
        assertEquals(answer.startedNanos(), answer.callsNanos(), "an event-bus instance has no control path");
        assertTrue(answer.controlPath().isEmpty());
        assertTrue(answer.finishedNanos() > answer.callsNanos());
    }

    @Test
    void aFunctionWhoseServiceIsMissingFailsItsResult() throws Exception {
        await(vertx.deployVerticle(ServiceVerticle.catalog()).toCompletionStage().toCompletableFuture());
        Promise<CheckoutResult> result = Promise.promise();
        await(vertx.deployVerticle(new CheckoutFunction(new CheckoutRequest(1, 1), result)).toCompletionStage()
            .toCompletableFuture());
        ExecutionException failure = assertThrows(ExecutionException.class,
            () -> await(result.future().toCompletionStage().toCompletableFuture()));
        ReplyException reply = (ReplyException) failure.getCause();
        assertEquals(ReplyFailure.NO_HANDLERS, reply.failureType());
    }

    @Test
    void aServiceRefusesWhatIsNotALongInRange() throws Exception {
        await(vertx.deployVerticle(ServiceVerticle.tax()).toCompletionStage().toCompletableFuture());
        for (Object bad : new Object[] {"7", -5L}) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> await(vertx.eventBus()
                .request(Checkout.TAX_ADDRESS, bad).toCompletionStage().toCompletableFuture()));
            ReplyException reply = (ReplyException) failure.getCause();
            assertEquals(Checkout.BAD_REQUEST, reply.failureCode(), String.valueOf(bad));
        }
        assertEquals(38L, await(vertx.eventBus().request(Checkout.TAX_ADDRESS, 1L).toCompletionStage()
            .toCompletableFuture()).body());
    }

    @Test
    void resultsKeepTheirTimesInOrder() {
        assertThrows(IllegalArgumentException.class, () -> new CheckoutResult(1, 10, 5, 20, java.util.Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new CheckoutResult(1, 10, 20, 15, java.util.Map.of()));
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }
}
