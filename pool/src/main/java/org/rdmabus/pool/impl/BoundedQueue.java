package org.rdmabus.pool.impl;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free queue for any number of producers and consumers that allocates nothing after construction:
 * Dmitry Vyukov's array queue, where each slot's sequence number says whose turn it is. It replaces Agrona's
 * concurrent array queues, which reach {@code jdk.internal.misc.Unsafe} and so need a JVM flag; this one uses the
 * JDK's atomic arrays only.
 *
 * <p>A slot holds sequence {@code p} when a producer at position {@code p} may fill it, and {@code p + 1} when a
 * consumer at position {@code p} may empty it; emptying sets it to {@code p + capacity}, the next round's turn.
 *
 * @param <E> the element type.
 */
final class BoundedQueue<E> {
    /** Head and tail sit this many longs apart in one array, on different cache lines (128 bytes, for prefetchers). */
    private static final int COUNTER_SPACING = 16;
    private static final int TAIL = 0;
    private static final int HEAD = COUNTER_SPACING;

    private final AtomicReferenceArray<E> items;
    private final AtomicLongArray sequences;
    private final AtomicLongArray counters = new AtomicLongArray(2 * COUNTER_SPACING);
    private final int mask;

    /** @param capacity at least this many elements fit (rounded up to a power of two). */
    BoundedQueue(int capacity) {
        if (capacity <= 0 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity out of range: " + capacity);
        }
        int slots = Integer.highestOneBit(capacity) == capacity ? capacity : Integer.highestOneBit(capacity) << 1;
        this.items = new AtomicReferenceArray<>(slots);
        this.sequences = new AtomicLongArray(slots);
        this.mask = slots - 1;
        for (int i = 0; i < slots; i++) {
            sequences.setPlain(i, i);
        }
    }

    /**
     * @param element not {@code null}.
     * @return {@code false} if the queue is full.
     */
    boolean offer(E element) {
        if (element == null) {
            throw new NullPointerException("element");
        }
        long position = counters.get(TAIL);
        while (true) {
            int slot = (int) position & mask;
            long turn = sequences.getAcquire(slot) - position;
            if (turn == 0) {
                if (counters.compareAndSet(TAIL, position, position + 1)) {
                    items.setPlain(slot, element);
                    sequences.setRelease(slot, position + 1);
                    return true;
                }
                position = counters.get(TAIL);
            } else if (turn < 0) {
                return false;
            } else {
                position = counters.get(TAIL);
            }
        }
    }

    /** @return the oldest element, or {@code null} if the queue is empty. */
    E poll() {
        long position = counters.get(HEAD);
        while (true) {
            int slot = (int) position & mask;
            long turn = sequences.getAcquire(slot) - (position + 1);
            if (turn == 0) {
                if (counters.compareAndSet(HEAD, position, position + 1)) {
                    E element = items.getPlain(slot);
                    items.setPlain(slot, null);
                    sequences.setRelease(slot, position + mask + 1);
                    return element;
                }
                position = counters.get(HEAD);
            } else if (turn < 0) {
                return null;
            } else {
                position = counters.get(HEAD);
            }
        }
    }
}
