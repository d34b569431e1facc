package org.rdmabus.verbs.soft.impl;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Opcode;
import org.rdmabus.verbs.TargetAddress;

/**
 * Carries out one work request against a peer: every check first, then the copy, so a refused request writes and
 * delivers nothing. Owned by one send queue and called under its lock and the read side of the NIC's guard;
 * allocates nothing once the peer is cached.
 * <p>
 * A SEND or WRITE_WITH_IMM reserves a record in the target's completion ring before it claims a receive, so a
 * claimed receive always gets its completion; when either is unavailable the receiver is not ready, and the
 * request is retried until the RNR timeout.
 */
final class WorkExecutor {
    private static final int REMOTE_WRITE = 1 << Access.REMOTE_WRITE.ordinal();
    private static final int REMOTE_READ = 1 << Access.REMOTE_READ.ordinal();
    private static final int LOCAL_WRITE = 1 << Access.LOCAL_WRITE.ordinal();

    private final SoftNic nic;
    private TargetAddress lastAddress;
    private RemoteTarget lastTarget;

    WorkExecutor(SoftNic nic) {
        this.nic = nic;
    }

    /**
     * @param slot the request at the head of the send queue.
     * @param now  {@link System#nanoTime()}.
     * @return its outcome, or {@code null} to retry later.
     */
    CompletionStatus execute(WorkSlot slot, long now) {
        if (!slot.started) {
            slot.started = true;
            slot.firstAttemptNanos = now;
        }
        return executeGuarded(slot, now);
    }

    private CompletionStatus executeGuarded(WorkSlot slot, long now) {
        if (nic.isClosed()) {
            return CompletionStatus.FLUSHED;
        }
        CompletionStatus local = checkLocal(slot);
        if (local != null) {
            return local;
        }
        RemoteTarget target = resolve(slot.target);
        if (target == null || !target.nic().reachable(now, nic.peerTimeoutNanos())) {
            return CompletionStatus.RETRY_EXCEEDED;
        }
        NicSegment segment = target.nic().segment();
        int number = target.number();
        if (!segment.hasTarget(number) || segment.targetLooksDead(number)) {
            return CompletionStatus.RETRY_EXCEEDED;
        }
        if (segment.targetAccessKey(number) != target.accessKey()) {
            return CompletionStatus.REMOTE_ACCESS;
        }
        int injected = segment.takeTargetFailure(number);
        if (injected >= 0) {
            return CompletionStatus.ofOrdinal(injected);
        }
        switch (slot.opcode) {
            case SEND:
                return send(slot, target, now);
            case WRITE:
            case WRITE_WITH_IMM:
                return write(slot, target, now);
            case READ:
                return read(slot, target);
            default:
                return CompletionStatus.LOCAL_PROTECTION;
        }
    }

    private RemoteTarget resolve(TargetAddress address) {
        if (address == lastAddress && lastTarget != null && !lastTarget.nic().isRetired()) {
            return lastTarget;
        }
        RemoteTarget target = nic.peers().resolve(address);
        lastAddress = address;
        lastTarget = target;
        return target;
    }

    private CompletionStatus checkLocal(WorkSlot slot) {
        if (slot.length < 0 || slot.length > nic.capabilities().maxMessageSize()) {
            return CompletionStatus.LOCAL_LENGTH;
        }
        if (slot.inline) {
            return null;
        }
        MemoryRegion region = slot.region;
        if (!(region instanceof SoftMemoryRegion own) || own.nic() != nic || own.isClosed()
            || slot.localOffset < 0 || slot.localOffset > own.length() - (long) slot.length) {
            return CompletionStatus.LOCAL_PROTECTION;
        }
        if (slot.opcode == Opcode.READ && (own.accessBits() & LOCAL_WRITE) == 0) {
            return CompletionStatus.LOCAL_PROTECTION;
        }
        return null;
    }

    private CompletionStatus send(WorkSlot slot, RemoteTarget target, long now) {
        RemoteReceiveQueue receives = target.receiveQueue();
        ManyToOneRingBuffer ring = target.completionRing();
        if (receives == null || ring == null) {
            return CompletionStatus.RETRY_EXCEEDED;
        }
        if (!receives.hasPosted()) {
            // Checked before reserving a ring record: an aborted reservation occupies ring space until polled.
            return receiverNotReady(slot, now);
        }
        int record = ring.tryClaim(CompletionRecord.MESSAGE_TYPE, CompletionRecord.LENGTH);
        if (record < 0) {
            return receiverNotReady(slot, now);
        }
        long seq = receives.tryClaim();
        if (seq < 0) {
            ring.abort(record);
            return receiverNotReady(slot, now);
        }
        int length = slot.length;
        CompletionStatus received;
        CompletionStatus sent;
        if (length > receives.length(seq)) {
            received = CompletionStatus.LOCAL_LENGTH;
            sent = CompletionStatus.REMOTE_INVALID_REQUEST;
        } else {
            RemoteRegion buffer = target.nic().region(receives.rkey(seq));
            long offset = receives.offset(seq);
            if (buffer == null || offset < 0 || offset > usableLength(target.nic(), buffer) - (long) length) {
                received = CompletionStatus.LOCAL_PROTECTION;
                sent = CompletionStatus.REMOTE_INVALID_REQUEST;
            } else {
                buffer.buffer().putBytes((int) offset, source(slot), sourceOffset(slot), length);
                received = CompletionStatus.SUCCESS;
                sent = CompletionStatus.SUCCESS;
            }
        }
        CompletionRecord.fill(ring.buffer(), record, receives.wrId(seq), Opcode.RECV, received, length, 0, false,
            receives.id(), seq);
        ring.commit(record);
        return sent;
    }

    private CompletionStatus write(WorkSlot slot, RemoteTarget target, long now) {
        RemoteNic peer = target.nic();
        RemoteRegion destination = peer.region(slot.rkey);
        if (destination == null || (peer.segment().regionAccess(slot.rkey) & REMOTE_WRITE) == 0) {
            return CompletionStatus.REMOTE_ACCESS;
        }
        long offset = slot.remoteAddress - peer.segment().regionBase(slot.rkey);
        if (offset < 0 || offset > usableLength(peer, destination) - (long) slot.length) {
            return CompletionStatus.REMOTE_ACCESS;
        }
        if (slot.opcode == Opcode.WRITE) {
            destination.buffer().putBytes((int) offset, source(slot), sourceOffset(slot), slot.length);
            return CompletionStatus.SUCCESS;
        }
        RemoteReceiveQueue receives = target.receiveQueue();
        ManyToOneRingBuffer ring = target.completionRing();
        if (receives == null || ring == null) {
            return CompletionStatus.RETRY_EXCEEDED;
        }
        if (!receives.hasPosted()) {
            // Checked before reserving a ring record: an aborted reservation occupies ring space until polled.
            return receiverNotReady(slot, now);
        }
        int record = ring.tryClaim(CompletionRecord.MESSAGE_TYPE, CompletionRecord.LENGTH);
        if (record < 0) {
            return receiverNotReady(slot, now);
        }
        long seq = receives.tryClaim();
        if (seq < 0) {
            ring.abort(record);
            return receiverNotReady(slot, now);
        }
        destination.buffer().putBytes((int) offset, source(slot), sourceOffset(slot), slot.length);
        CompletionRecord.fill(ring.buffer(), record, receives.wrId(seq), Opcode.RECV_RDMA_WITH_IMM,
            CompletionStatus.SUCCESS, slot.length, slot.immediate, true, receives.id(), seq);
        ring.commit(record);
        return CompletionStatus.SUCCESS;
    }

    private CompletionStatus read(WorkSlot slot, RemoteTarget target) {
        RemoteNic peer = target.nic();
        RemoteRegion source = peer.region(slot.rkey);
        if (source == null || (peer.segment().regionAccess(slot.rkey) & REMOTE_READ) == 0) {
            return CompletionStatus.REMOTE_ACCESS;
        }
        long offset = slot.remoteAddress - peer.segment().regionBase(slot.rkey);
        if (offset < 0 || offset > usableLength(peer, source) - (long) slot.length) {
            return CompletionStatus.REMOTE_ACCESS;
        }
        slot.region.buffer().putBytes((int) slot.localOffset, source.buffer(), (int) offset, slot.length);
        return CompletionStatus.SUCCESS;
    }

    private static int usableLength(RemoteNic peer, RemoteRegion region) {
        // Never trust the table beyond what is actually mapped.
        return Math.min(peer.segment().regionLength(region.rkey()), region.file().length());
    }

    private CompletionStatus receiverNotReady(WorkSlot slot, long now) {
        return now - slot.firstAttemptNanos >= nic.rnrTimeoutNanos() ? CompletionStatus.RNR_RETRY_EXCEEDED : null;
    }

    private static DirectBuffer source(WorkSlot slot) {
        return slot.inline ? slot.inlineBuffer : slot.region.buffer();
    }

    private static int sourceOffset(WorkSlot slot) {
        return slot.inline ? 0 : (int) slot.localOffset;
    }
}
