package org.rdmabus.transport.impl.pool;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.transport.impl.ConnectionDrains;
import org.rdmabus.transport.impl.Envelope;

/**
 * The event-bus traffic from this node to one peer: cuts messages into frames that fit a receive buffer, and
 * keeps them in order behind the pool's back-pressure. Every message starts with the {@link Envelope#EVENT_BUS}
 * envelope byte: the first byte of a whole frame's payload, or of a segmented message once reassembled.
 * <p>
 * A message larger than one frame is sent as segments with increasing message ids; the receiver's reassembler
 * needs ids that only grow per source, which the lock here guarantees. While the connection is full, frames wait
 * in {@link #waiting} and are offered again from the connection's drain handler, so a message accepted by
 * {@link #send} is never refused for back-pressure, as the hook requires.
 * <p>
 * A failure reported by the pool is final: the peer is marked failed once, the frames still waiting are dropped
 * (the peer is unreachable, so they would never arrive), and the failure listener runs after that, which settles
 * the channel before the hook moves the destination to TCP.
 */
final class OutboundPeer implements SendCallback {
    private final String nodeId;
    private final Connection connection;
    private final int framePayload;
    private final Consumer<OutboundPeer> failureListener;
    private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long nextMessageId = 1;
    private boolean failed;
    private boolean draining;
    private long waitingBytes;

    /**
     * @param nodeId          the peer's node id.
     * @param connection      the pool's virtual connection to it.
     * @param framePayload    the largest payload of one frame, envelope included.
     * @param drains          where the connection's drain handler is shared with the other protocols.
     * @param failureListener told once when the pool reports the peer failed.
     */
    OutboundPeer(String nodeId, Connection connection, int framePayload, ConnectionDrains drains,
                 Consumer<OutboundPeer> failureListener) {
        this.nodeId = nodeId;
        this.connection = connection;
        this.framePayload = framePayload;
        this.failureListener = failureListener;
        drains.add(connection, this::drain);
    }

    String nodeId() {
        return nodeId;
    }

    synchronized boolean isFailed() {
        return failed;
    }

    /** @return bytes of frames waiting for the connection to drain. */
    synchronized long waitingBytes() {
        return waitingBytes;
    }

    /**
     * Queues one encoded event-bus message.
     *
     * @param message the message; read, never modified.
     * @return {@code false} if the peer has failed.
     */
    synchronized boolean send(Buffer message) {
        if (failed) {
            return false;
        }
        int length = message.length();
        byte[] enveloped = new byte[Envelope.LENGTH + length];
        enveloped[Envelope.PROTOCOL_OFFSET] = Envelope.EVENT_BUS;
        message.getBytes(0, length, enveloped, Envelope.LENGTH);
        if (enveloped.length <= framePayload) {
            enqueue(new Frame(enveloped, 0, enveloped.length, 0, 0, enveloped.length));
        } else {
            // The codec reads a segment header at the start of a segment's payload, so the envelope travels inside
            // the segmented bytes: it is the first byte of the reassembled message.
            long messageId = nextMessageId++;
            int chunk = framePayload - FrameLayout.SEGMENT_HEADER_LENGTH;
            for (int offset = 0; offset < enveloped.length; offset += chunk) {
                enqueue(new Frame(enveloped, offset, Math.min(chunk, enveloped.length - offset),
                    FrameLayout.FLAG_SEGMENT, messageId, enveloped.length));
            }
        }
        return true;
    }

    private void enqueue(Frame frame) {
        if (waiting.isEmpty() && offer(frame)) {
            return;
        }
        waiting.add(frame);
        waitingBytes += frame.length;
    }

    private synchronized void drain() {
        // The pool may run the drain handler from inside an offer made here; the outer loop then carries on, so a
        // nested call must not take frames off the queue under it.
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!failed && !waiting.isEmpty()) {
                Frame head = waiting.peek();
                if (!offer(head)) {
                    return;
                }
                waiting.poll();
                waitingBytes -= head.length;
            }
        } finally {
            draining = false;
        }
    }

    /** @return {@code true} when the frame was taken (accepted or refused for good), {@code false} when full. */
    private boolean offer(Frame frame) {
        SendStatus status;
        if ((frame.flags & FrameLayout.FLAG_SEGMENT) == 0) {
            view.wrap(frame.bytes, frame.offset, frame.length);
            status = connection.offer(FrameType.MESSAGE, 0, view, 0, frame.length, this);
        } else {
            byte[] segment = new byte[FrameLayout.SEGMENT_HEADER_LENGTH + frame.length];
            UnsafeBuffer out = new UnsafeBuffer(segment);
            out.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, frame.messageId, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, frame.total, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, frame.offset, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putBytes(FrameLayout.SEGMENT_HEADER_LENGTH, frame.bytes, frame.offset, frame.length);
            status = connection.offer(FrameType.MESSAGE, FrameLayout.FLAG_SEGMENT, out, 0, segment.length, this);
        }
        return status != SendStatus.BACK_PRESSURED;
    }

    @Override
    public void onComplete(PoolException failure) {
        if (failure == null) {
            return;
        }
        synchronized (this) {
            if (failed) {
                return;
            }
            failed = true;
            waiting.clear();
            waitingBytes = 0;
        }
        failureListener.accept(this);
    }

    /** One frame's share of a message: the whole message, or one segment of it. */
    private record Frame(byte[] bytes, int offset, int length, int flags, long messageId, int total) {
    }
}
