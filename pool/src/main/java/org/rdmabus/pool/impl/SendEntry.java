package org.rdmabus.pool.impl;

import org.agrona.MutableDirectBuffer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.verbs.TargetAddress;

/**
 * One frame on its way to a peer: queued, in flight, or back in the queue after a flush.
 * <p>
 * The frame lives in its own storage from acceptance to completion, so a frame that is flushed can be posted
 * again: frames that fit the NIC's inline limit live in a small heap array (no registered memory, posted inline);
 * larger ones in a {@link SlabChunk}, which the entry owns until {@link #releaseStorage()}. The header is written
 * at post time, when the sequence number and returned credits are known. Entries link into their peer's queues
 * intrusively, so a peer costs no collection objects.
 */
final class SendEntry {
    /** The sequence of an entry that has not been posted, or whose post was undone. */
    static final long UNSEQUENCED = -1;

    final Peer peer;
    final FrameType type;
    final int flags;
    final int payloadLength;
    final SendCallback callback;
    final ControlStep controlStep;
    final TargetAddress channelAddress;
    final long acceptedNanos;
    private final VarHandleBuffer heap;
    private SlabChunk chunk;
    long sequence = UNSEQUENCED;
    int frameLength;
    int returnedCredits;
    boolean posted;
    /** Whether the frame waited in the queue rather than being posted by its own offer. */
    boolean waited;
    /** Whether the frame is a liveness probe, posted outside the peer's queue on the probe initiator. */
    boolean probe;
    /** How many times a control frame failed; it is given up after a few. */
    int failures;
    /** Where the entry went; lets the peer find the path its in-flight frames use. */
    SendPath path;
    SendEntry next;

    private SendEntry(Peer peer, FrameType type, int flags, int payloadLength, SendCallback callback, ControlStep controlStep,
                      TargetAddress channelAddress, VarHandleBuffer heap, SlabChunk chunk, long acceptedNanos) {
        this.peer = peer;
        this.type = type;
        this.flags = flags;
        this.payloadLength = payloadLength;
        this.frameLength = FrameLayout.HEADER_LENGTH + payloadLength;
        this.callback = callback;
        this.controlStep = controlStep;
        this.channelAddress = channelAddress;
        this.heap = heap;
        this.chunk = chunk;
        this.acceptedNanos = acceptedNanos;
    }

    /**
     * A data frame (MESSAGE, REPLY or ERROR) whose payload is copied in by the caller.
     *
     * @return the entry, or {@code null} if it needs a chunk and none is free.
     */
    static SendEntry data(Peer peer, FrameType type, int flags, int payloadLength, SendCallback callback, int maxInline,
                          SendSlabs slabs, long now) {
        int frameLength = FrameLayout.HEADER_LENGTH + payloadLength;
        if (frameLength <= maxInline) {
            return new SendEntry(peer, type, flags, payloadLength, callback, null, null,
                new VarHandleBuffer(new byte[frameLength]), null, now);
        }
        SlabChunk chunk = slabs.allocate(frameLength);
        return chunk == null ? null : new SendEntry(peer, type, flags, payloadLength, callback, null, null, null, chunk, now);
    }

    /**
     * A control frame the pool sends itself; it is encoded at post time, when its credits are known.
     *
     * @param step           which control frame.
     * @param channelAddress the reliable queue pair address a channel step carries, or {@code null}.
     * @param nodeIdLength   the UTF-8 length of this node's id, which HELLOs carry.
     * @param now            the time of acceptance.
     */
    static SendEntry control(Peer peer, ControlStep step, TargetAddress channelAddress, int nodeIdLength, long now) {
        int room = FrameWriter.controlLength(step, nodeIdLength, channelAddress);
        return new SendEntry(peer, step.frameType(), 0, 0, null, step, channelAddress, new VarHandleBuffer(new byte[room]),
            null, now);
    }

    boolean isControl() {
        return controlStep != null;
    }

    /** @return the buffer the frame is written in; valid until {@link #releaseStorage()}. */
    MutableDirectBuffer buffer() {
        return heap != null ? heap : chunk.buffer();
    }

    /** @return where the frame starts in {@link #buffer()}. */
    int offset() {
        return heap != null ? 0 : chunk.offset();
    }

    /** @return the chunk holding the frame, or {@code null} when it lives on the heap. */
    SlabChunk chunk() {
        return chunk;
    }

    /** Gives the slab chunk back, if any. Called once, when the entry completes or is dropped. */
    void releaseStorage() {
        if (chunk != null) {
            SlabChunk owned = chunk;
            chunk = null;
            owned.release();
        }
    }

    @Override
    public String toString() {
        return "SendEntry{" + type + (isControl() ? "/" + controlStep : "") + ", seq=" + sequence + ", payload="
            + payloadLength + '}';
    }
}
