package org.rdmabus.samples.impl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.samples.impl.node.HistogramCodec;

/** The workload loops on a local event bus: they stop at their count or their time limit, and count failures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoundTripsTest {

    private static final Buffer BODY = Buffer.buffer("0123456789");
    private static final Duration LONG = Duration.ofSeconds(30);

    private Vertx vertx;
    private RoundTrips roundTrips;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        roundTrips = new RoundTrips(vertx.getOrCreateContext(), vertx.eventBus(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void sequentialRoundTripsStopAtTheirCountAndRecordEachOne() throws Exception {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger mostOutstanding = new AtomicInteger();
        vertx.eventBus().<Buffer>consumer("echo", request -> delayedEcho(request, outstanding, mostOutstanding));
        Histogram histogram = HistogramCodec.newHistogram();
        AtomicLong lastProgress = new AtomicLong();
        LoadOutcome outcome = await(roundTrips.sequential("echo", BODY, 50, LONG, histogram, lastProgress::set));
        assertEquals(new LoadOutcome(50, 0, outcome.elapsedNanos(), false, null), outcome);
        assertEquals(50, histogram.getTotalCount());
        assertTrue(histogram.getMinValue() >= TimeUnit.MILLISECONDS.toNanos(1), "each round trip waited for the reply");
        assertEquals(50, lastProgress.get());
        assertEquals(1, mostOutstanding.get(), "one at a time");
    }

    @Test
    void pipelinedRequestsKeepAtMostInflightWaiting() throws Exception {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger mostOutstanding = new AtomicInteger();
        vertx.eventBus().<Buffer>consumer("echo", request -> delayedEcho(request, outstanding, mostOutstanding));
        LoadOutcome outcome = await(roundTrips.pipelined("echo", BODY, 200, 8, LONG, null, done -> { }));
        assertEquals(200, outcome.completed());
        assertEquals(0, outcome.failed());
        assertEquals(8, mostOutstanding.get(), "the window filled, and never overflowed");
        assertTrue(outcome.requestsPerSecond() > 0);
    }

    @Test
    void theTimeLimitStopsALoadBeforeItsCount() throws Exception {
        vertx.eventBus().<Buffer>consumer("slow", request -> vertx.setTimer(50, id -> request.reply(request.body())));
        long began = System.nanoTime();
        LoadOutcome outcome = await(roundTrips.sequential("slow", BODY, 1_000_000, Duration.ofMillis(300), null,
            done -> { }));
        assertTrue(outcome.timedOut());
        assertTrue(outcome.completed() >= 1 && outcome.completed() < 20, "stopped early: " + outcome);
        assertTrue(System.nanoTime() - began < TimeUnit.SECONDS.toNanos(5), "and promptly");
    }

    @Test
    void requestsWithoutAConsumerFailWithoutOverflowingTheStack() throws Exception {
        LoadOutcome outcome = await(roundTrips.pipelined("nobody", BODY, 20_000, 4, LONG, null, done -> { }));
        assertEquals(0, outcome.completed());
        assertEquals(20_000, outcome.failed());
        assertFalse(outcome.timedOut());
        assertTrue(outcome.firstFailure().contains("nobody"), outcome.firstFailure());
    }

    @Test
    void aSingleRequestReportsItsRoundTripOrItsFailure() throws Exception {
        vertx.eventBus().<Buffer>consumer("echo", request -> request.reply(request.body()));
        assertTrue(await(roundTrips.single("echo", BODY)) > 0);
        Future<Long> failed = roundTrips.single("nobody", BODY);
        assertThrowsExecution(failed);
    }

    private void delayedEcho(Message<Buffer> request, AtomicInteger outstanding, AtomicInteger mostOutstanding) {
        mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
        vertx.setTimer(1, id -> {
            outstanding.decrementAndGet();
            request.reply(request.body());
        });
    }

    private static void assertThrowsExecution(Future<Long> future) {
        try {
            await(future);
        } catch (Exception e) {
            return;
        }
        throw new AssertionError("a request to no consumer succeeded");
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
