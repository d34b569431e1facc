package org.rdmabus.pool.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link BoundedQueue}: order, bounds, and no element lost or doubled under four producers and four consumers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedQueueTest {

    @Test
    void elementsLeaveInOrderAndTheBoundHolds() {
        BoundedQueue<Integer> queue = new BoundedQueue<>(3);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                assertTrue(queue.offer(i), "capacity 3 rounds up to 4");
            }
            assertFalse(queue.offer(4), "full");
            for (int i = 0; i < 4; i++) {
                assertEquals(i, queue.poll());
            }
            assertNull(queue.poll(), "empty");
        }
        assertThrows(NullPointerException.class, () -> queue.offer(null));
        assertThrows(IllegalArgumentException.class, () -> new BoundedQueue<>(0));
    }

    @Test
    void concurrentProducersAndConsumersHandOverEveryElementOnce() throws InterruptedException {
        int producers = 4;
        int each = 100_000;
        BoundedQueue<Integer> queue = new BoundedQueue<>(64);
        BitSet seen = new BitSet(producers * each);
        AtomicInteger received = new AtomicInteger();
        AtomicInteger doubled = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p * each;
            threads.add(new Thread(() -> {
                await(start);
                for (int i = first; i < first + each; i++) {
                    while (!queue.offer(i)) {
                        Thread.onSpinWait();
                    }
                }
            }));
            threads.add(new Thread(() -> {
                await(start);
                while (received.get() < producers * each) {
                    Integer element = queue.poll();
                    if (element == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    synchronized (seen) {
                        if (seen.get(element)) {
                            doubled.incrementAndGet();
                        }
                        seen.set(element);
                    }
                    received.incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, doubled.get());
        assertEquals(producers * each, seen.cardinality());
        assertNull(queue.poll());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
