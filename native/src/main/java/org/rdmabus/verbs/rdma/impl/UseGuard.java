package org.rdmabus.verbs.rdma.impl;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a native object alive while calls use it: {@link #close()} waits until running calls leave, and later
 * calls see it closed instead of touching freed memory. Entering and leaving cost one CAS each and allocate
 * nothing, so the data path can use it.
 */
final class UseGuard {
    private static final int CLOSED = -1;
    private final AtomicInteger users = new AtomicInteger();

    /** @return {@code true} if the object is open; the caller must then call {@link #exit()}. */
    boolean enter() {
        while (true) {
            int current = users.get();
            if (current == CLOSED) {
                return false;
            }
            if (users.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Leaves a call that {@link #enter()} admitted. */
    void exit() {
        users.decrementAndGet();
    }

    /** @return whether {@link #close()} has run. */
    boolean isClosed() {
        return users.get() == CLOSED;
    }

    /**
     * Waits for running calls to leave and closes.
     *
     * @return {@code true} for the one caller that closed it; {@code false} if it was already closed.
     */
    boolean close() {
        while (true) {
            int current = users.get();
            if (current == CLOSED) {
                return false;
            }
            if (current == 0 && users.compareAndSet(0, CLOSED)) {
                return true;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
