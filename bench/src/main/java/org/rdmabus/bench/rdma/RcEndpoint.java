package org.rdmabus.bench.rdma;

import java.util.EnumSet;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.WorkRequest;

/**
 * One node's side of the benchmark: a NIC with its completion queues, a shared receive queue kept full of
 * receive buffers, and the RC queue pairs created on it. Polling spins, bounded by a deadline.
 */
final class RcEndpoint implements AutoCloseable {
    static final int BUFFER = 256;
    private static final int RECEIVES = 256;

    private final Nic nic;
    private final CompletionQueue sends;
    private final CompletionQueue receives;
    private final SharedReceiveQueue queue;
    private final MemoryRegion buffers;
    // One at a time: each benchmark step waits for exactly one completion.
    private final Completion[] polled = Completion.array(1);
    private final WorkRequest request = new WorkRequest();

    RcEndpoint(Nic nic) {
        this.nic = nic;
        this.sends = nic.createCompletionQueue(4096);
        this.receives = nic.createCompletionQueue(4096);
        this.queue = nic.createSharedReceiveQueue(RECEIVES);
        this.buffers = nic.allocateRegion(RECEIVES * BUFFER, EnumSet.of(Access.LOCAL_WRITE));
        for (int i = 0; i < RECEIVES; i++) {
            queue.postReceive(i, buffers, (long) i * BUFFER, BUFFER);
        }
    }

    /** @return a new, unconnected RC queue pair. */
    ReliableQueuePair createQueuePair() {
        return nic.createReliableQueuePair(sends, queue, receives, 64);
    }

    /**
     * Posts an inline SEND of {@code length} bytes (the bytes themselves do not matter). When the send queue
     * is full, polls the send completions, which lets the provider retire unsignalled requests.
     */
    void send(ReliableQueuePair queuePair, int length, boolean signalled, long deadline) {
        request.sendInline(buffers.buffer(), 0, length).wrId(1).signalled(signalled);
        while (!queuePair.post(request)) {
            if (sends.poll(polled) > 0 && !polled[0].isSuccess()) {
                throw new IllegalStateException("send failed: " + polled[0]);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("send queue still full at the deadline");
            }
        }
    }

    /** Waits for one receive and posts its buffer again. */
    void awaitReceive(long deadline) {
        awaitOne(receives, deadline, true);
    }

    /** @return whether a receive had arrived (its buffer is posted again); never waits. */
    boolean tryReceive() {
        int n = receives.poll(polled);
        if (n == 1) {
            Completion c = polled[0];
            if (!c.isSuccess()) {
                throw new IllegalStateException("receive failed: " + c);
            }
            int slot = (int) c.wrId();
            queue.postReceive(slot, buffers, (long) slot * BUFFER, BUFFER);
            return true;
        }
        return false;
    }

    /** Waits for one send completion. */
    void awaitSend(long deadline) {
        awaitOne(sends, deadline, false);
    }

    private void awaitOne(CompletionQueue queue, long deadline, boolean repost) {
        while (true) {
            int n = queue.poll(polled);
            if (n == 1) {
                Completion c = polled[0];
                if (!c.isSuccess()) {
                    throw new IllegalStateException("completion failed: " + c);
                }
                if (repost) {
                    int slot = (int) c.wrId();
                    this.queue.postReceive(slot, buffers, (long) slot * BUFFER, BUFFER);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no completion before the deadline");
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        nic.close();
    }
}
