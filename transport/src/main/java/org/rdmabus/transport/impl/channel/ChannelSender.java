package org.rdmabus.transport.impl.channel;

import java.util.ArrayDeque;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.transport.impl.ConnectionDrains;

/**
 * The {@code RdmaChannel} traffic from this node to one peer, in order behind the pool's back-pressure. A frame the
 * connection cannot take now waits here, in a queue bounded by {@code waitLimit}, and is offered again from the
 * connection's drain handler; a frame that would overflow the queue is refused, so memory per peer stays bounded
 * however fast the application sends. Frames of a windowed stream ({@code sendAll}) are never refused: their
 * window bounds them already, and a stream must wait rather than fail.
 */
final class ChannelSender {
    private final Connection connection;
    private final int waitLimit;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final VarHandleBuffer view = new VarHandleBuffer();
    private boolean draining;

    /**
     * @param connection the pool's connection to the peer.
     * @param drains     where the connection's drain handler is shared with the event bus.
     * @param waitLimit  how many frames may wait for room.
     */
    ChannelSender(Connection connection, ConnectionDrains drains, int waitLimit) {
        this.connection = connection;
        this.waitLimit = waitLimit;
        drains.add(connection, this::drain);
    }

    /** @return the peer's node id. */
    String nodeId() {
        return connection.nodeId();
    }

    /** @return how many frames may wait for room. */
    int waitLimit() {
        return waitLimit;
    }

    /**
     * Sends one frame, or queues it behind earlier ones.
     *
     * @param frame    a whole frame; owned by this sender from now on.
     * @param callback told the outcome once, unless this returns {@code false}.
     * @param windowed whether the caller bounds its own frames in flight, so that the wait limit does not apply.
     * @return {@code false} if the wait queue is full; nothing was taken.
     */
    synchronized boolean send(byte[] frame, SendCallback callback, boolean windowed) {
        if (waiting.isEmpty() && offer(frame, callback)) {
            return true;
        }
        if (!windowed && waiting.size() >= waitLimit) {
            return false;
        }
        waiting.add(new Waiting(frame, callback));
        return true;
    }

    /** @return whether a frame sent now would be on its way at once: nothing waits, and the peer granted credit. */
    synchronized boolean isWritable() {
        return waiting.isEmpty() && connection.isWritable() && connection.stats().sendCredits() > 0;
    }

    /** @return frames waiting for room. */
    synchronized int waitingFrames() {
        return waiting.size();
    }

    private synchronized void drain() {
        // The pool may run the drain handler from inside an offer made here; the outer loop carries on then.
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!waiting.isEmpty()) {
                Waiting head = waiting.peek();
                if (!offer(head.frame, head.callback)) {
                    return;
                }
                waiting.poll();
            }
        } finally {
            draining = false;
        }
    }

    /** @return {@code true} when the frame was taken (accepted, or refused for good with the callback told). */
    private boolean offer(byte[] frame, SendCallback callback) {
        view.wrap(frame);
        return connection.offer(FrameType.MESSAGE, 0, view, 0, frame.length, callback) != SendStatus.BACK_PRESSURED;
    }

    private record Waiting(byte[] frame, SendCallback callback) {
    }
}
