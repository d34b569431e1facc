package org.rdmabus.transport.impl.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CreditedFlowableTest {
    private final ExecutorService context = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-context"));
    private final List<Integer> released = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        context.shutdownNow();
    }

    private CreditedFlowable<Integer> stream(int credits) {
        return new CreditedFlowable<>(credits, context, released::add, failures::add);
    }

    @Test
    void withoutDemandNothingIsEmittedAndTheQueueIsBoundedByTheCredits() throws Exception {
        CreditedFlowable<Integer> stream = stream(5);
        TestSubscriber<Integer> subscriber = stream.test(0);
        for (int i = 0; i < 5; i++) {
            assertTrue(stream.offer(i));
        }
        assertFalse(stream.offer(99), "a sixth item has no credit: the producer keeps it");
        settle();
        subscriber.assertNoValues();
        assertTrue(released.isEmpty(), "held items keep their receive buffers");
    }

    @Test
    void requestEmitsExactlyTheDemandInOrderOnTheContextThenReleases() throws Exception {
        CreditedFlowable<Integer> stream = stream(8);
        AtomicReference<String> thread = new AtomicReference<>();
        TestSubscriber<Integer> subscriber = new TestSubscriber<>(0) {
            @Override
            public void onNext(Integer t) {
                thread.set(Thread.currentThread().getName());
                super.onNext(t);
            }
        };
        stream.subscribe(subscriber);
        for (int i = 0; i < 6; i++) {
            stream.offer(i);
        }
        subscriber.request(4);
        settle();
        subscriber.assertValues(0, 1, 2, 3);
        assertEquals("test-context", thread.get());
        assertEquals(List.of(0, 1, 2, 3), released);
        for (int i = 6; i < 12; i++) {
            assertTrue(stream.offer(i), "two items wait, so six of eight credits are free");
        }
        assertFalse(stream.offer(12), "the bound is the credit count, not the queue's rounded capacity");
        subscriber.request(Long.MAX_VALUE);
        settle();
        subscriber.assertValues(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void cancellingReleasesEveryQueuedItemAndRefusesNewOnes() throws Exception {
        CreditedFlowable<Integer> stream = stream(8);
        TestSubscriber<Integer> subscriber = stream.test(1);
        for (int i = 0; i < 5; i++) {
            stream.offer(i);
        }
        settle();
        subscriber.cancel();
        settle();
        assertEquals(List.of(0, 1, 2, 3, 4), released);
        assertFalse(stream.offer(5));
    }

    @Test
    void aThrowingSubscriberIsCancelledAndReportedWithoutLeakingBuffers() throws Exception {
        CreditedFlowable<Integer> stream = stream(8);
        stream.subscribe(new TestSubscriber<Integer>(Long.MAX_VALUE) {
            @Override
            public void onNext(Integer t) {
                if (t == 2) {
                    throw new IllegalStateException("user bug");
                }
            }
        });
        // Items offered after the subscriber threw are refused (the producer keeps them): the context runs on its
        // own thread, so how many the stream took depends on timing, but each it took is released exactly once.
        int taken = 0;
        for (int i = 0; i < 5; i++) {
            if (stream.offer(i)) {
                taken++;
            }
        }
        settle();
        assertEquals(1, failures.size());
        assertTrue(stream.isCancelled());
        assertTrue(taken >= 3, "the items up to the throwing one were taken: " + taken);
        assertEquals(taken, released.size(), "every item taken released exactly once: " + released);
        assertEquals(taken, released.stream().distinct().count());
    }

    @Test
    void terminateReleasesWhatWaitsAndEndsAtOnceWithoutDemand() throws Exception {
        CreditedFlowable<Integer> stream = stream(8);
        TestSubscriber<Integer> subscriber = stream.test(0);
        for (int i = 0; i < 3; i++) {
            assertTrue(stream.offer(i));
        }
        stream.terminate(null);
        settle();
        subscriber.assertNoValues();
        subscriber.assertComplete();
        assertEquals(List.of(0, 1, 2), released, "held items go back at once");
        assertFalse(stream.offer(3), "a terminated stream takes nothing");

        CreditedFlowable<Integer> unsubscribed = stream(8);
        assertTrue(unsubscribed.offer(7));
        IllegalStateException why = new IllegalStateException("closed");
        unsubscribed.terminate(why);
        settle();
        assertEquals(List.of(0, 1, 2, 7), released, "released even before anyone subscribed");
        TestSubscriber<Integer> late = unsubscribed.test(0);
        settle();
        late.assertError(why);
    }

    @Test
    void completionAndErrorsArriveAfterTheQueuedItems() throws Exception {
        CreditedFlowable<Integer> stream = stream(4);
        TestSubscriber<Integer> subscriber = stream.test(0);
        stream.offer(1);
        stream.complete();
        settle();
        subscriber.assertNotComplete();
        subscriber.request(1);
        settle();
        subscriber.assertValues(1).assertComplete();

        CreditedFlowable<Integer> failing = stream(4);
        TestSubscriber<Integer> second = failing.test(5);
        failing.fail(new IllegalStateException("peer died"));
        settle();
        second.assertError(IllegalStateException.class);
    }

    @Test
    void aSecondSubscriberAndANonPositiveRequestAreErrors() throws Exception {
        CreditedFlowable<Integer> stream = stream(4);
        stream.test(0);
        TestSubscriber<Integer> second = stream.test(0);
        second.assertError(IllegalStateException.class);

        CreditedFlowable<Integer> other = stream(4);
        TestSubscriber<Integer> subscriber = other.test(0);
        other.offer(1);
        subscriber.request(0);
        settle();
        subscriber.assertError(IllegalArgumentException.class);
        assertEquals(List.of(1), released);
    }

    private void settle() throws Exception {
        context.submit(() -> { }).get(5, TimeUnit.SECONDS);
        context.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }
}
