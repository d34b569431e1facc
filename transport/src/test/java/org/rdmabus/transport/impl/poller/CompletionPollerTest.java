package org.rdmabus.transport.impl.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.PollerIdleStrategy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompletionPollerTest {

    @Test
    void aThrowingUnitNeitherKillsThePollerNorStarvesTheOthers() throws Exception {
        AtomicInteger healthyPasses = new AtomicInteger();
        AtomicInteger failingCalls = new AtomicInteger();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        PollerWork failing = () -> {
            int call = failingCalls.incrementAndGet();
            // Errors as well as exceptions: user code can throw either.
            if (call % 2 == 0) {
                throw new AssertionError("user error " + call);
            }
            throw new IllegalStateException("boom " + call);
        };
        PollerWork healthy = () -> {
            healthyPasses.incrementAndGet();
            return 0;
        };
        try (CompletionPoller poller = new CompletionPoller(7, List.of(failing, healthy),
            new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)), reported::add)) {
            waitUntil(() -> healthyPasses.get() > 100 && reported.size() > 100);
            assertTrue(poller.isAlive());
            assertTrue(poller.errors() >= 100, "errors counted: " + poller.errors());
            assertTrue(reported.stream().anyMatch(t -> t instanceof AssertionError));
            assertTrue(reported.stream().anyMatch(t -> t instanceof IllegalStateException));
        }
    }

    @Test
    void aThrowingErrorHandlerDoesNotKillThePollerEither() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (CompletionPoller poller = new CompletionPoller(0, List.of(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("unit");
        }), new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)), t -> {
            throw new IllegalStateException("handler");
        })) {
            waitUntil(() -> calls.get() > 50);
            assertTrue(poller.isAlive());
        }
    }

    @Test
    void pollersRunOnTheirOwnNamedDaemonThreadsAndStopOnClose() throws Exception {
        AtomicReference<Thread> seen = new AtomicReference<>();
        CompletionPoller poller = new CompletionPoller(3, List.of(() -> {
            seen.set(Thread.currentThread());
            return 0;
        }), new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)), t -> { });
        waitUntil(() -> seen.get() != null);
        assertEquals("rdmabus-poller-3", seen.get().getName());
        assertTrue(seen.get().isDaemon());
        waitUntil(() -> poller.emptyPolls() > 10);
        assertEquals(poller.polls(), poller.emptyPolls(), "every pass found no work");
        poller.close();
        assertFalse(poller.isAlive());
    }

    @Test
    void workDoneIsNotCountedAsAnEmptyPoll() throws Exception {
        AtomicInteger remaining = new AtomicInteger(1_000);
        try (CompletionPoller poller = new CompletionPoller(0, List.of(() -> remaining.getAndUpdate(
            r -> Math.max(0, r - 1)) > 0 ? 1 : 0),
            new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)), t -> { })) {
            waitUntil(() -> remaining.get() == 0 && poller.emptyPolls() > 0);
            assertTrue(poller.polls() - poller.emptyPolls() >= 1_000,
                "polls " + poller.polls() + ", empty " + poller.emptyPolls());
        }
    }

    @Test
    void threadCountIsBoundedByTheCores() {
        assertEquals(1, PollerGroup.threadCount(0, 1));
        assertEquals(1, PollerGroup.threadCount(0, 2));
        assertEquals(1, PollerGroup.threadCount(4, 2), "two cores leave one poller at most");
        assertEquals(4, PollerGroup.threadCount(0, 16));
        assertEquals(15, PollerGroup.threadCount(64, 16));
    }

    @Test
    void theDefaultStrategyNeverSpinsForeverOnASmallMachine() {
        // Adaptive must reach a park after bounded idling, whatever the core count.
        var strategy = IdleStrategies.create(PollerIdleStrategy.ADAPTIVE, 2);
        long start = System.nanoTime();
        for (int i = 0; i < 2_100; i++) {
            strategy.idle(0);
        }
        long parkedStart = System.nanoTime();
        strategy.idle(0);
        long oneIdle = System.nanoTime() - parkedStart;
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(oneIdle >= 1_000, "after the yields the strategy parks: " + oneIdle + " ns");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(5);
        }
    }
}
