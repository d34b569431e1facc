package org.rdmabus.verbs.rdma.impl;

import java.nio.ByteBuffer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.QueuePair;
import org.rdmabus.verbs.QueuePairState;
import org.rdmabus.verbs.VerbsException;
import org.rdmabus.verbs.WorkRequest;

/**
 * What RC and UD queue pairs and DC initiators share: posting with send-queue accounting, the error state, reset
 * and close. Subclasses supply the verbs call that posts and the transitions that bring the queue pair back to RTS.
 *
 * @param <R> what names the destination of one request: a DC or UD route, or nothing ({@link Void}) on RC.
 */
abstract class RdmaQueuePairBase<R> implements QueuePair {
    static final int IBV_QPS_RESET = 0;
    static final int IBV_QPS_ERR = 6;
    static final int IBV_SEND_INLINE = 1 << 3;
    private static final int IBV_WR_RDMA_WRITE = 0;
    private static final int IBV_WR_RDMA_WRITE_WITH_IMM = 1;
    private static final int IBV_WR_SEND = 2;
    private static final int IBV_WR_RDMA_READ = 4;
    private static final int IBV_SEND_SIGNALED = 1 << 1;
    private static final int ENOMEM = 12;

    protected final RdmaNic nic;
    protected final long qp;
    protected final int qpNumber;
    protected final RdmaCompletionQueue sendCompletions;
    private final SendQueue sends;
    private final int slot;
    private final int maxInline;
    private final VarHandleBuffer inlineStaging;
    private final long inlineStagingAddress;
    private final UseGuard guard = new UseGuard();
    private volatile QueuePairState state = QueuePairState.READY;

    RdmaQueuePairBase(RdmaNic nic, long qp, RdmaCompletionQueue sendCompletions, int sendQueueDepth,
                      int maxInline) {
        this.nic = nic;
        this.qp = qp;
        this.qpNumber = VerbsNative.qpNumber(qp);
        this.sendCompletions = sendCompletions;
        this.sends = new SendQueue(sendQueueDepth);
        this.maxInline = maxInline;
        ByteBuffer staging = DirectMemory.allocateAligned(Math.max(64, maxInline), 64);
        this.inlineStaging = new VarHandleBuffer(staging);
        this.inlineStagingAddress = DirectMemory.address(staging);
        this.slot = nic.register(this);
    }

    SendQueue sendQueue() {
        return sends;
    }

    int queuePairNumber() {
        return qpNumber;
    }

    /** @return the largest inline payload the device granted this queue pair. */
    final int maxInline() {
        return maxInline;
    }

    /** The completion path saw a failed request: verbs has moved the queue pair to ERROR. */
    void markError() {
        if (state == QueuePairState.READY) {
            state = QueuePairState.ERROR;
        }
    }

    /**
     * The completion path saw a failed receive of this queue pair. On RC that moved it to ERROR; subclasses
     * whose receive failures leave the queue pair working say otherwise.
     */
    void receiveFailed() {
        markError();
    }

    @Override
    public QueuePairState state() {
        return state;
    }

    @Override
    public int sendQueueSpace() {
        return Math.max(0, sends.space());
    }

    /**
     * Posts after the subclass checked its own preconditions.
     *
     * @param request the caller's request.
     * @param target  where the request goes; {@code null} for RC.
     * @return {@code false} if the send queue is full.
     */
    final boolean postRequest(WorkRequest request, R target) {
        Opcode opcode = request.opcode();
        int verbsOpcode = verbsOpcode(opcode);
        int length = request.length();
        if (!guard.enter()) {
            throw new IllegalStateException("the queue pair is closed");
        }
        try {
            if (sends.space() <= 0) {
                return false;
            }
            if (state == QueuePairState.ERROR) {
                // Verbs flushes requests posted in ERROR, but a provider may still run one posted right after
                // the failed request's completion became visible; refusing here keeps the promise.
                sendCompletions.addSynthetic(request.wrId(), opcode, CompletionStatus.FLUSHED, length);
                return true;
            }
            long localAddress;
            int lkey;
            int flags = 0;
            if (request.isInline()) {
                if (opcode != Opcode.SEND) {
                    throw new IllegalArgumentException("only SEND carries an inline payload, not " + opcode);
                }
                if (length < 0 || length > maxInline) {
                    return failLocally(request.wrId(), opcode, CompletionStatus.LOCAL_LENGTH, length);
                }
                inlineStaging.putBytes(0, request.inlineSource(), request.inlineOffset(), length);
                localAddress = inlineStagingAddress;
                lkey = 0;
                flags |= IBV_SEND_INLINE;
            } else if (request.localRegion() == null) {
                throw new IllegalArgumentException("the work request names no local region");
            } else if (!usable(request.localRegion(), request.localOffset(), length, opcode)) {
                // The NIC would refuse it too, but devices disagree on the status; verbs' meaning is this one.
                return failLocally(request.wrId(), opcode, CompletionStatus.LOCAL_PROTECTION, length);
            } else {
                RdmaMemoryRegion region = (RdmaMemoryRegion) request.localRegion();
                localAddress = region.address() + request.localOffset();
                lkey = region.lkey();
            }
            boolean silent = !request.isSignalled();
            if (sends.mustSignal(request.isSignalled()) || request.isSignalled()) {
                flags |= IBV_SEND_SIGNALED;
            }
            long sequence = sends.reserve(request.wrId(), opcode, length);
            int error = postNative(WorkRequestIds.send(slot, sequence, silent), verbsOpcode, flags, localAddress,
                length, lkey, request.remoteAddress(), request.rkey(), request.immediate(), target);
            if (error == 0) {
                sends.commit(sequence);
                return true;
            }
            if (error == ENOMEM) {
                return false;
            }
            if (state == QueuePairState.ERROR) {
                // Some providers refuse posts in ERROR instead of flushing them; report it the same way.
                sendCompletions.addSynthetic(request.wrId(), opcode, CompletionStatus.FLUSHED, length);
                return true;
            }
            throw new VerbsException("ibv_post_send failed on queue pair " + qpNumber + " with errno " + error);
        } finally {
            guard.exit();
        }
    }

    /**
     * Fails a request the NIC cannot even be given, the way the NIC fails requests: a completion with
     * {@code status}, and the queue pair in ERROR. The completion is queued ahead of any still on the NIC.
     */
    private boolean failLocally(long wrId, Opcode opcode, CompletionStatus status, int length) {
        stop();
        sendCompletions.addSynthetic(wrId, opcode, status, length);
        return true;
    }

    /** Whether the local buffer is an open region of this NIC that contains the range and allows the access. */
    private boolean usable(MemoryRegion region, long offset, int length, Opcode opcode) {
        return region instanceof RdmaMemoryRegion ours && ours.nic() == nic && !ours.isClosed()
            && offset >= 0 && length >= 0 && offset + length <= ours.length()
            && (opcode != Opcode.READ || ours.access().contains(Access.LOCAL_WRITE));
    }

    /** Moves the queue pair to ERROR on the NIC too, so later requests are flushed until {@link #reset()}. */
    final void stop() {
        markError();
        try {
            VerbsNative.modifyQpState(qp, IBV_QPS_ERR);
        } catch (VerbsException e) {
            System.getLogger("org.rdmabus.verbs.rdma").log(System.Logger.Level.WARNING,
                "rdma: cannot move " + this + " to ERROR: " + e.getMessage());
        }
    }

    private static int verbsOpcode(Opcode opcode) {
        if (opcode == null) {
            throw new IllegalArgumentException("the work request has no operation: call send, write or read first");
        }
        return switch (opcode) {
            case SEND -> IBV_WR_SEND;
            case WRITE -> IBV_WR_RDMA_WRITE;
            case WRITE_WITH_IMM -> IBV_WR_RDMA_WRITE_WITH_IMM;
            case READ -> IBV_WR_RDMA_READ;
            case RECV, RECV_RDMA_WITH_IMM -> throw new IllegalArgumentException(opcode + " is not a send operation");
        };
    }

    /** @return 0 or the errno of the post. */
    abstract int postNative(long wrId, int opcode, int flags, long localAddress, int length, int lkey,
                            long remoteAddress, int rkey, int immediate, R target);

    /** Brings the queue pair from RESET back to RTS with the attributes it had. */
    abstract void reconnect();

    /** Releases the CQ and SRQ attachments; runs once, after the queue pair is destroyed. */
    abstract void detach();

    @Override
    public void reset() {
        if (!guard.enter()) {
            throw new IllegalStateException("the queue pair is closed");
        }
        try {
            if (state != QueuePairState.ERROR && !inErrorOnTheNic()) {
                return;
            }
            VerbsNative.modifyQpState(qp, IBV_QPS_ERR);
            sends.claimOutstanding((wrId, opcode, bytes) -> sendCompletions.addSynthetic(wrId, opcode,
                CompletionStatus.FLUSHED, bytes));
            reconnect();
            state = QueuePairState.READY;
        } finally {
            guard.exit();
        }
    }

    /** A responder-side failure can move the queue pair to ERROR without a completion on this side. */
    final boolean inErrorOnTheNic() {
        int[] attributes = new int[3];
        VerbsNative.queryQp(qp, attributes);
        return attributes[0] == IBV_QPS_ERR;
    }

    @Override
    public void close() {
        if (!guard.close()) {
            return;
        }
        state = QueuePairState.CLOSED;
        try {
            VerbsNative.modifyQpState(qp, IBV_QPS_ERR);
        } catch (VerbsException ignored) {
            // Destroying works from any state; moving to ERROR only makes the NIC stop first.
        }
        sends.claimOutstanding((wrId, opcode, bytes) -> sendCompletions.addSynthetic(wrId, opcode,
            CompletionStatus.FLUSHED, bytes));
        nic.forget(this, slot);
        VerbsNative.destroyQp(qp);
        detach();
    }

    /** Reaches the queue pair's slot; for subclasses' work-request ids. */
    final int slot() {
        return slot;
    }

    /** @return whether {@link #close()} ran. */
    final boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Keeps the queue pair open for a subclass's own work before {@link #postRequest} (which enters again).
     *
     * @return {@code true} if it is open; the caller must then call {@link #leave()}.
     */
    final boolean enter() {
        return guard.enter();
    }

    /** Ends what {@link #enter()} admitted. */
    final void leave() {
        guard.exit();
    }
}
