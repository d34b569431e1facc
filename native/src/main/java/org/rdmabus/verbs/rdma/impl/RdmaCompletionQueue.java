package org.rdmabus.verbs.rdma.impl;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.Opcode;

/**
 * A verbs completion queue. {@link #poll} reads native records into a reused off-heap buffer and translates
 * them: the provider's work-request ids lead to the caller's ids (see {@link WorkRequestIds}), completions
 * already reported by a reset are dropped, and unsignalled requests the provider signalled stay silent.
 * Completions that the NIC never produces (requests flushed by a reset, buffers of a closed receive queue)
 * are queued by other threads and handed out first.
 */
final class RdmaCompletionQueue implements CompletionQueue {
    private static final int BATCH = 32;
    private static final int IBV_WC_RECV_RDMA_WITH_IMM = 129;
    private static final int IBV_WC_WITH_IMM = 1 << 1;

    private final RdmaNic nic;
    private final long cq;
    private final int capacity;
    private final VarHandleBuffer records;
    private final long recordsAddress;
    private final Queue<Synthetic> synthetic = new ConcurrentLinkedQueue<>();
    private final UseGuard guard = new UseGuard();
    private final Attachments attachments;

    RdmaCompletionQueue(RdmaNic nic, long cq, int capacity) {
        this.nic = nic;
        this.cq = cq;
        this.capacity = capacity;
        ByteBuffer memory = DirectMemory.allocateAligned(BATCH * VerbsNative.COMPLETION_SIZE, 64);
        this.records = new VarHandleBuffer(memory);
        this.recordsAddress = DirectMemory.address(memory);
        this.attachments = new Attachments("completion queue", () -> VerbsNative.destroyCq(cq));
    }

    long handle() {
        return cq;
    }

    Attachments attachments() {
        return attachments;
    }

    /** Queues a completion the NIC will not produce; any thread. */
    void addSynthetic(long wrId, Opcode opcode, CompletionStatus status, int byteLength) {
        synthetic.add(new Synthetic(wrId, opcode, status, byteLength));
    }

    @Override
    public int poll(Completion[] out) {
        int filled = 0;
        Synthetic pending;
        while (filled < out.length && (pending = synthetic.poll()) != null) {
            out[filled++].set(pending.wrId, pending.opcode, pending.status, pending.byteLength, 0, false);
        }
        if (filled == out.length || !guard.enter()) {
            return filled;
        }
        try {
            int want = Math.min(out.length - filled, BATCH);
            int got = VerbsNative.pollCq(cq, want, recordsAddress);
            for (int i = 0; i < got; i++) {
                if (translate(i * VerbsNative.COMPLETION_SIZE, out[filled])) {
                    filled++;
                }
            }
            return filled;
        } finally {
            guard.exit();
        }
    }

    /** @return whether the record at {@code offset} becomes a caller-visible completion. */
    private boolean translate(int offset, Completion into) {
        long id = records.getLong(offset + VerbsNative.COMPLETION_WR_ID);
        int statusCode = records.getInt(offset + VerbsNative.COMPLETION_STATUS);
        CompletionStatus status = CompletionStatuses.of(statusCode);
        if (WorkRequestIds.isReceive(id)) {
            ReceiveSlots queue = nic.receiveQueue(WorkRequestIds.receiveQueueSlot(id));
            int buffer = WorkRequestIds.bufferSlot(id);
            if (queue == null) {
                return false;
            }
            // A UD receive counts the GRH the NIC put in the provider's scratch area; the caller gets the payload.
            int byteLength = status == CompletionStatus.SUCCESS
                ? records.getInt(offset + VerbsNative.COMPLETION_BYTE_LENGTH) - queue.headerLength() : 0;
            long wrId = queue.wrIdOf(buffer);
            int bufferLength = queue.lengthOf(buffer);
            if (!queue.release(buffer)) {
                return false;
            }
            if (status == CompletionStatus.SUCCESS && byteLength > bufferLength) {
                // A UD datagram longer than the buffer spilled into the provider's overflow scratch: it is
                // dropped, the buffer's contents are undefined (as after any failed receive), the queue pair
                // works on.
                into.set(wrId, Opcode.RECV, CompletionStatus.LOCAL_LENGTH, 0, 0, false);
                return true;
            }
            if (status != CompletionStatus.SUCCESS) {
                nic.receiveFailed(records.getInt(offset + VerbsNative.COMPLETION_QP_NUMBER));
                into.set(wrId, Opcode.RECV, status, byteLength, 0, false);
                return true;
            }
            boolean withImmediate = (records.getInt(offset + VerbsNative.COMPLETION_FLAGS) & IBV_WC_WITH_IMM) != 0;
            Opcode opcode = records.getInt(offset + VerbsNative.COMPLETION_OPCODE) == IBV_WC_RECV_RDMA_WITH_IMM
                ? Opcode.RECV_RDMA_WITH_IMM : Opcode.RECV;
            into.set(wrId, opcode, status, byteLength,
                withImmediate ? records.getInt(offset + VerbsNative.COMPLETION_IMMEDIATE) : 0, withImmediate);
            return true;
        }
        RdmaQueuePairBase<?> queuePair = nic.queuePair(WorkRequestIds.queuePairSlot(id));
        if (queuePair == null
            || queuePair.queuePairNumber() != records.getInt(offset + VerbsNative.COMPLETION_QP_NUMBER)) {
            // A late completion of a destroyed queue pair.
            return false;
        }
        SendQueue sends = queuePair.sendQueue();
        long sequence = sends.expand(WorkRequestIds.sequence(id));
        long wrId = sends.wrId(sequence);
        Opcode opcode = sends.opcode(sequence);
        // Verbs defines byte counts of send completions only for some operations; the request's is exact.
        int byteLength = sends.length(sequence);
        if (!sends.claim(sequence)) {
            return false;
        }
        if (status != CompletionStatus.SUCCESS) {
            queuePair.markError();
        } else if (WorkRequestIds.isSilent(id)) {
            return false;
        }
        into.set(wrId, opcode, status, byteLength, 0, false);
        return true;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        if (guard.close()) {
            nic.forget(this);
            attachments.close();
        }
    }

    boolean isClosed() {
        return guard.isClosed();
    }

    private record Synthetic(long wrId, Opcode opcode, CompletionStatus status, int byteLength) {
    }
}
