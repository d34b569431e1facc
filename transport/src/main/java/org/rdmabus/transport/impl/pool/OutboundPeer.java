package org.rdmabus.transport.impl.pool;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.SendStatus;

/**
 * The event-bus traffic from this node to one peer: cuts messages into frames that fit a receive buffer, and
 * keeps them in order behind the pool's back-pressure.
 * <p>
 * A message larger than one frame is sent as segments with increasing message ids; the receiver's reassembler
 * needs ids that only grow per source, which the lock here guarantees. While the connection is full, frames wait
 * in {@link #waiting} and are offered again from the connection's drain handler, so a message accepted by
 * {@link #send} is never refused for back-pressure, as the hook requires.
 * <p>
 * A failure reported by the pool is final: the peer is marked failed once, the frames still waiting are dropped
 * (the peer is unreachable, so they would never arrive), and the failure listener runs after that, which settles
 * the channel before the hook moves the destination to TCP.
 * <p>
 * A message larger than the channel's limit is refused, and so is every later one: the hook then sends them over
 * TCP. So that nothing sent over TCP overtakes what the channel accepted earlier, a refusal waits (on the sender's
 * thread, at most {@value #SETTLE_TIMEOUT_MILLIS} ms) until every accepted frame has been posted and completed.
 */
final class OutboundPeer implements SendCallback {
    private static final System.Logger LOG = System.getLogger(OutboundPeer.class.getName());
    private static final byte[] EMPTY = new byte[0];
    private static final long SETTLE_TIMEOUT_MILLIS = 10_000;
    private final String nodeId;
    private final Connection connection;
    private final int framePayload;
    private final int maxMessageSize;
    /** Frames offered to the connection whose outcome has not arrived yet. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile boolean settling;
    private final Consumer<OutboundPeer> failureListener;
    private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long nextMessageId = 1;
    private boolean failed;
    private boolean refused;
    private PoolException failure;
    private boolean sentSinceProbe;
    private boolean draining;
    private long waitingBytes;

    /**
     * @param nodeId          the peer's node id.
     * @param connection      the pool's virtual connection to it.
     * @param framePayload    the largest payload of one frame.
     * @param maxMessageSize  the largest message the channel carries.
     * @param failureListener told once when the pool reports the peer failed.
     */
    OutboundPeer(String nodeId, Connection connection, int framePayload, int maxMessageSize,
                 Consumer<OutboundPeer> failureListener) {
        this.nodeId = nodeId;
        this.connection = connection;
        this.framePayload = framePayload;
        this.maxMessageSize = maxMessageSize;
        this.failureListener = failureListener;
        connection.drainHandler(this::drain);
    }

    String nodeId() {
        return nodeId;
    }

    synchronized boolean isFailed() {
        return failed;
    }

    /** @return why the peer failed, or {@code null} while it has not. */
    synchronized PoolException failure() {
        return failure;
    }

    /** @return bytes of frames waiting for the connection to drain. */
    synchronized long waitingBytes() {
        return waitingBytes;
    }

    /**
     * Queues one encoded event-bus message.
     *
     * @param message the message; read, never modified.
     * @return {@code false} if the peer has failed, or this or an earlier message was larger than the limit; then
     *     every frame accepted before has completed.
     */
    boolean send(Buffer message) {
        synchronized (this) {
            if (!failed && !refused) {
                if (message.length() <= maxMessageSize) {
                    enqueueMessage(message);
                    return true;
                }
                refused = true;
                LOG.log(System.Logger.Level.WARNING, "rdmabus: a message of {0} bytes for node {1} exceeds maxMessageSize"
                    + " ({2} bytes); this and every later message to that node go over TCP",
                    String.valueOf(message.length()), nodeId, String.valueOf(maxMessageSize));
            }
        }
        awaitSettled();
        return false;
    }

    private void enqueueMessage(Buffer message) {
        sentSinceProbe = true;
        byte[] bytes = message.getBytes();
        if (bytes.length <= framePayload) {
            enqueue(new Frame(bytes, 0, bytes.length, 0, 0, bytes.length));
        } else {
            long messageId = nextMessageId++;
            int chunk = framePayload - FrameLayout.SEGMENT_HEADER_LENGTH;
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                enqueue(new Frame(bytes, offset, Math.min(chunk, bytes.length - offset), FrameLayout.FLAG_SEGMENT,
                    messageId, bytes.length));
            }
        }
    }

    /**
     * Makes sure a dead peer is noticed: when nothing was sent to it since the last call, posts an empty frame,
     * which the fabric fails (RETRY_EXCEEDED) if the peer is gone, and which the receiver drops. Frames already
     * sent or waiting do the same job, so then nothing is posted.
     */
    synchronized void probeIfIdle() {
        if (failed || !waiting.isEmpty()) {
            return;
        }
        if (sentSinceProbe) {
            sentSinceProbe = false;
            return;
        }
        view.wrap(EMPTY, 0, 0);
        post(FrameType.MESSAGE, 0, view, 0);
    }

    /** Offers one frame, counting it until its outcome arrives. */
    private SendStatus post(FrameType type, int flags, UnsafeBuffer payload, int length) {
        unsettled.incrementAndGet();
        SendStatus status = connection.offer(type, flags, payload, 0, length, this);
        if (status == SendStatus.BACK_PRESSURED) {
            unsettled.decrementAndGet(); // not taken: no outcome will come
        }
        return status;
    }

    /** Waits until nothing accepted is waiting or in flight, so a refusal cannot let TCP overtake the channel. */
    private void awaitSettled() {
        settling = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MILLIS);
        synchronized (this) {
            while (!waiting.isEmpty() || unsettled.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(System.Logger.Level.WARNING, "rdmabus: frames to node {0} did not complete within {1} ms;"
                        + " its traffic continues over TCP regardless", nodeId, SETTLE_TIMEOUT_MILLIS);
                    return;
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void wakeSettlers() {
        if (settling) {
            synchronized (this) {
                notifyAll();
            }
        }
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
            if (settling) {
                notifyAll();
            }
        }
    }

    /** @return {@code true} when the frame was taken (accepted or refused for good), {@code false} when full. */
    private boolean offer(Frame frame) {
        SendStatus status;
        if ((frame.flags & FrameLayout.FLAG_SEGMENT) == 0) {
            view.wrap(frame.bytes, frame.offset, frame.length);
            status = post(FrameType.MESSAGE, 0, view, frame.length);
        } else {
            byte[] segment = new byte[FrameLayout.SEGMENT_HEADER_LENGTH + frame.length];
            UnsafeBuffer out = new UnsafeBuffer(segment);
            out.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, frame.messageId, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, frame.total, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, frame.offset, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putBytes(FrameLayout.SEGMENT_HEADER_LENGTH, frame.bytes, frame.offset, frame.length);
            status = post(FrameType.MESSAGE, FrameLayout.FLAG_SEGMENT, out, segment.length);
        }
        return status != SendStatus.BACK_PRESSURED;
    }

    @Override
    public void onComplete(PoolException failure) {
        boolean settled = unsettled.decrementAndGet() == 0;
        if (failure == null) {
            if (settled) {
                wakeSettlers();
            }
            return;
        }
        synchronized (this) {
            if (failed) {
                return;
            }
            failed = true;
            this.failure = failure;
            waiting.clear();
            waitingBytes = 0;
        }
        wakeSettlers();
        failureListener.accept(this);
    }

    /** One frame's share of a message: the whole message, or one segment of it. */
    private record Frame(byte[] bytes, int offset, int length, int flags, long messageId, int total) {
    }
}
