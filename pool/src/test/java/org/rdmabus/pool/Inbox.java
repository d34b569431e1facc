package org.rdmabus.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.DirectBuffer;

/**
 * A message sink for tests: copies every payload out, with its source, and releases the buffer at once, or holds
 * the handles while {@link #hold(boolean)} is set, to starve senders of credits.
 */
final class Inbox implements MessageSink {

    /** One received message. */
    record Received(String source, byte[] payload, long sequence) {
    }

    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ReceivedMessage> held = new ConcurrentLinkedQueue<>();
    private volatile boolean hold;

    @Override
    public void onMessage(String sourceNodeId, DirectBuffer buffer, int offset, int length, ReceivedMessage handle) {
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        received.add(new Received(sourceNodeId, copy, handle.sequence()));
        if (hold) {
            held.add(handle);
        } else {
            handle.release();
        }
    }

    void hold(boolean hold) {
        this.hold = hold;
    }

    /** Releases every held handle. */
    int releaseHeld() {
        int count = 0;
        ReceivedMessage handle;
        while ((handle = held.poll()) != null) {
            handle.release();
            count++;
        }
        return count;
    }

    int heldCount() {
        return held.size();
    }

    int size() {
        return received.size();
    }

    List<Received> all() {
        return new ArrayList<>(received);
    }

    List<Received> from(String source) {
        List<Received> list = new ArrayList<>();
        for (Received r : received) {
            if (r.source().equals(source)) {
                list.add(r);
            }
        }
        return list;
    }

    /** Waits until {@code condition} holds, polling; false if it did not within the timeout. */
    static boolean await(BooleanSupplier condition, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }
}
