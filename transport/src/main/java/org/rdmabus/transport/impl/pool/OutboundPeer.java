package org.rdmabus.transport.impl.pool;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.transport.impl.ConnectionDrains;
import org.rdmabus.transport.impl.Envelope;
import org.rdmabus.transport.impl.NotSentException;

/**
 * The event-bus traffic from this node to one peer: cuts messages into frames that fit a receive buffer, and
 * keeps them in order behind the pool's back-pressure. A message that fits one frame starts with the
 * {@link Envelope#EVENT_BUS} envelope byte; segments carry none, the segment flag standing for it.
 * <p>
 * A message larger than one frame is sent as segments with increasing message ids; the receiver's reassembler
 * needs ids that only grow per source, which the lock here guarantees. While the connection is full, frames wait
 * in {@link #waiting} and are offered again from the connection's drain handler, so a message accepted by
 * {@link #send} is never refused for back-pressure, as the hook requires.
 * <p>
 * <b>Outcomes.</b> Each accepted message's outcome listener is told once: {@code null} when every frame of it has
 * landed in the peer's receive queue, the pool's typed failure (peer unreachable, receiver not ready after the
 * NIC's RNR retries, access refused...) of the first frame that will never land, or a {@link NotSentException} for
 * a message still waiting here when the peer failed. So a message is reported sent only once it has arrived, and
 * one that does not arrive is reported failed or handed back, never silently lost.
 * <p>
 * <b>Failure.</b> The pool's first failure is final for the peer: frames still waiting are failed, later messages
 * are refused, and the failure listener runs once every frame offered to the pool has completed (the pool may
 * still deliver frames it re-posts after the failure), so that nothing the hook then sends over TCP overtakes them.
 * <p>
 * <b>Refusal.</b> A message larger than the channel's limit is refused, and so is every later one: the hook then
 * sends them over TCP, but only from {@link #whenSettled}: once every accepted frame has completed, for the same
 * reason. Nothing here waits on the sender's thread.
 */
final class OutboundPeer {
    private static final System.Logger LOG = System.getLogger(OutboundPeer.class.getName());
    private static final byte[] EMPTY = new byte[0];
    private static final Consumer<Throwable> NO_OUTCOME = failure -> { };

    private final String nodeId;
    private final Connection connection;
    private final int framePayload;
    private final int maxMessageSize;
    private final Consumer<OutboundPeer> failureListener;
    /** Frames offered to the connection whose outcome has not arrived yet. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private final AtomicBoolean failureReported = new AtomicBoolean();
    /** Run once nothing accepted is waiting or in flight; guarded by this. */
    private final List<Runnable> settledActions = new ArrayList<>();
    private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
    private final VarHandleBuffer view = new VarHandleBuffer();
    private long nextMessageId = 1;
    private volatile boolean failed;
    private boolean refused;
    private PoolException failure;
    private boolean draining;
    private long waitingBytes;

    /**
     * @param nodeId          the peer's node id.
     * @param connection      the pool's virtual connection to it.
     * @param framePayload    the largest payload of one frame, envelope included.
     * @param maxMessageSize  the largest message the channel carries, envelope excluded.
     * @param drains          where the connection's drain handler is shared with the other protocols.
     * @param failureListener told once, after the pool failed a frame to the peer and every frame has completed.
     */
    OutboundPeer(String nodeId, Connection connection, int framePayload, int maxMessageSize, ConnectionDrains drains,
                 Consumer<OutboundPeer> failureListener) {
        this.nodeId = nodeId;
        this.connection = connection;
        this.framePayload = framePayload;
        this.maxMessageSize = maxMessageSize;
        this.failureListener = failureListener;
        drains.add(connection, this::drain);
    }

    String nodeId() {
        return nodeId;
    }

    boolean isFailed() {
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
     * @param outcome told once, if accepted: {@code null} when it arrived, else why it never will.
     * @return {@code false} if the peer has failed, or this or an earlier message was larger than the limit; frames
     *     accepted before may still be under way: see {@link #whenSettled}.
     */
    boolean send(Buffer message, Consumer<Throwable> outcome) {
        synchronized (this) {
            if (!failed && !refused) {
                if (message.length() <= maxMessageSize) {
                    enqueueMessage(message, outcome);
                    return true;
                }
                refused = true;
                LOG.log(System.Logger.Level.WARNING, "rdmabus: a message of {0} bytes for node {1} exceeds maxMessageSize"
                    + " ({2} bytes); this and every later message to that node go over TCP",
                    String.valueOf(message.length()), nodeId, String.valueOf(maxMessageSize));
            }
        }
        return false;
    }

    private void enqueueMessage(Buffer message, Consumer<Throwable> outcome) {
        int length = message.length();
        if (Envelope.LENGTH + length <= framePayload) {
            byte[] enveloped = new byte[Envelope.LENGTH + length];
            enveloped[Envelope.PROTOCOL_OFFSET] = Envelope.EVENT_BUS;
            message.getBytes(0, length, enveloped, Envelope.LENGTH);
            enqueue(new Frame(enveloped, 0, enveloped.length, 0, 0, enveloped.length, new Delivery(1, outcome)));
        } else {
            // Segments carry no envelope: the segment flag says event bus (see Envelope).
            byte[] bytes = message.getBytes();
            long messageId = nextMessageId++;
            int chunk = framePayload - FrameLayout.SEGMENT_HEADER_LENGTH;
            Delivery delivery = new Delivery((bytes.length + chunk - 1) / chunk, outcome);
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                enqueue(new Frame(bytes, offset, Math.min(chunk, bytes.length - offset), FrameLayout.FLAG_SEGMENT,
                    messageId, bytes.length, delivery));
            }
        }
    }

    /**
     * Makes sure a dead peer is noticed: when no frame is in flight to it, posts an empty frame, which the fabric
     * fails (RETRY_EXCEEDED) if the peer is gone, and which the receiver drops. A frame in flight or waiting does the
     * same job, so then nothing is posted; a frame that already completed proves only that the peer was alive when
     * it arrived, so it never defers the probe (a peer killed just after answering it would be noticed a period later).
     */
    synchronized void probeIfIdle() {
        if (failed || refused || !waiting.isEmpty() || unsettled.get() > 0) {
            return;
        }
        view.wrap(EMPTY, 0, 0);
        post(FrameType.MESSAGE, 0, view, 0, new Delivery(1, NO_OUTCOME));
    }

    /** Offers one frame, counting it until its outcome arrives. */
    private SendStatus post(FrameType type, int flags, VarHandleBuffer payload, int length, Delivery delivery) {
        unsettled.incrementAndGet();
        SendStatus status = connection.offer(type, flags, payload, 0, length, delivery);
        if (status == SendStatus.BACK_PRESSURED) {
            unsettled.decrementAndGet(); // not taken: no outcome will come
        }
        return status;
    }

    /**
     * Runs an action once every frame accepted so far has completed (arrived, failed, or been handed back unsent),
     * at once if that is already so. After a refusal or a failure nothing new is accepted, so this is when traffic
     * sent over TCP can no longer overtake the channel's.
     *
     * @param action run once, on the thread that completed the last frame, or on the caller's
     */
    void whenSettled(Runnable action) {
        synchronized (this) {
            if (!isSettled()) {
                settledActions.add(action);
                return;
            }
        }
        action.run();
    }

    /** @return the actions waiting for the settled state, taken, if it is reached; the caller holds the lock. */
    private List<Runnable> takeSettledActionsLocked() {
        if (settledActions.isEmpty() || !isSettled()) {
            return List.of();
        }
        List<Runnable> due = new ArrayList<>(settledActions);
        settledActions.clear();
        return due;
    }

    private static void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            action.run();
        }
    }

    private boolean isSettled() {
        return waiting.isEmpty() && unsettled.get() == 0;
    }

    private void enqueue(Frame frame) {
        if (waiting.isEmpty() && offer(frame)) {
            return;
        }
        waiting.add(frame);
        waitingBytes += frame.length;
    }

    private void drain() {
        boolean settledAfterFailure;
        List<Runnable> due;
        synchronized (this) {
            // The pool may run the drain handler from inside an offer made here; the outer loop then carries on, so
            // a nested call must not take frames off the queue under it.
            if (draining) {
                return;
            }
            draining = true;
            try {
                while (!failed && !waiting.isEmpty()) {
                    Frame head = waiting.peek();
                    if (!offer(head)) {
                        break;
                    }
                    waiting.poll();
                    waitingBytes -= head.length;
                }
            } finally {
                draining = false;
            }
            settledAfterFailure = failed && isSettled();
            due = takeSettledActionsLocked();
        }
        if (settledAfterFailure) {
            reportFailure();
        }
        runAll(due);
    }

    /** @return {@code true} when the frame was taken (accepted or refused for good), {@code false} when full. */
    private boolean offer(Frame frame) {
        SendStatus status;
        if ((frame.flags & FrameLayout.FLAG_SEGMENT) == 0) {
            view.wrap(frame.bytes, frame.offset, frame.length);
            status = post(FrameType.MESSAGE, 0, view, frame.length, frame.delivery);
        } else {
            byte[] segment = new byte[FrameLayout.SEGMENT_HEADER_LENGTH + frame.length];
            VarHandleBuffer out = new VarHandleBuffer(segment);
            out.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, frame.messageId, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, frame.total, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, frame.offset, java.nio.ByteOrder.LITTLE_ENDIAN);
            out.putBytes(FrameLayout.SEGMENT_HEADER_LENGTH, frame.bytes, frame.offset, frame.length);
            status = post(FrameType.MESSAGE, FrameLayout.FLAG_SEGMENT, out, segment.length, frame.delivery);
        }
        return status != SendStatus.BACK_PRESSURED;
    }

    /**
     * The peer is gone (it left the cluster, or the channel closes): nothing more is sent to it, and the messages
     * still waiting here are handed back unsent. The failure listener is not told: there is no route left to switch.
     *
     * @param cause why, for the messages handed back.
     */
    void abandon(PoolException cause) {
        List<Runnable> due;
        synchronized (this) {
            if (!failed) {
                failed = true;
                failure = cause;
            }
            failWaitingLocked(cause);
            due = takeSettledActionsLocked();
        }
        runAll(due);
    }

    private void failWaitingLocked(PoolException cause) {
        NotSentException notSent = new NotSentException(cause);
        for (Frame frame : waiting) {
            frame.delivery.fail(notSent); // never offered: the hook may send these over TCP
        }
        waiting.clear();
        waitingBytes = 0;
    }

    /** One frame's outcome, from the pool (any thread; possibly inside an offer made here). */
    private void frameCompleted(PoolException cause) {
        int left = unsettled.decrementAndGet();
        boolean settledAfterFailure;
        List<Runnable> due;
        synchronized (this) {
            if (cause != null && !failed) {
                failed = true;
                failure = cause;
                failWaitingLocked(cause);
            }
            settledAfterFailure = failed && left == 0 && waiting.isEmpty();
            due = takeSettledActionsLocked();
        }
        if (settledAfterFailure) {
            reportFailure();
        }
        runAll(due);
    }

    private void reportFailure() {
        if (failureReported.compareAndSet(false, true)) {
            failureListener.accept(this);
        }
    }

    /** What became of one message: counts its frames and tells the outcome listener once. */
    private final class Delivery implements SendCallback {
        private final AtomicInteger frames;
        private final AtomicBoolean told = new AtomicBoolean();
        private final Consumer<Throwable> outcome;

        Delivery(int frames, Consumer<Throwable> outcome) {
            this.frames = new AtomicInteger(frames);
            this.outcome = outcome;
        }

        @Override
        public void onComplete(PoolException cause) {
            if (cause != null) {
                fail(cause);
            } else if (frames.decrementAndGet() == 0 && told.compareAndSet(false, true)) {
                outcome.accept(null);
            }
            frameCompleted(cause);
        }

        void fail(Throwable cause) {
            if (told.compareAndSet(false, true)) {
                outcome.accept(cause);
            }
        }
    }

    /** One frame's share of a message: the whole message, or one segment of it. */
    private record Frame(byte[] bytes, int offset, int length, int flags, long messageId, int total,
                         Delivery delivery) {
    }
}
