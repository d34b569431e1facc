package org.rdmabus.pool;

import org.agrona.DirectBuffer;
import org.rdmabus.codec.FrameType;

/**
 * A virtual queue pair to one peer node, from {@link QpPool#connect(String)}. It owns no queue pair: its frames go
 * out on the pool's shared DC initiators, or on a dedicated reliable queue pair while the peer is promoted.
 * <p>
 * Messages are delivered in the order they were accepted, whichever threads offer them. A bounded send queue holds
 * them while the peer has no credits or the initiators are busy; when it is full, offers are refused with
 * {@link SendStatus#BACK_PRESSURED} rather than blocking. Thread-safe.
 */
public interface Connection {

    /** @return the peer's node id. */
    String nodeId();

    /**
     * Copies a message and queues it for the peer. Never blocks and never throws for a full queue.
     *
     * @param type     {@link FrameType#MESSAGE}, {@link FrameType#REPLY} or {@link FrameType#ERROR}; the payload is
     *                 opaque to the pool.
     * @param flags    the frame's flags, such as the codec's segment flag; 0 for none.
     * @param source   the payload's bytes; free to reuse once this returns.
     * @param offset   where the payload starts.
     * @param length   the payload's length, at most {@link QpPool#maxMessageSize()}.
     * @param callback told the outcome exactly once, unless the result is {@link SendStatus#BACK_PRESSURED}.
     * @return what happened to the message.
     * @throws IllegalArgumentException if {@code type} is a control frame type the pool sends itself.
     */
    SendStatus offer(FrameType type, int flags, DirectBuffer source, int offset, int length, SendCallback callback);

    /** @return whether an offer would currently be queued rather than refused with back-pressure. */
    boolean isWritable();

    /**
     * @param handler run once, on a poller thread, when the queue has room again after an offer was refused with
     *                {@link SendStatus#BACK_PRESSURED}; {@code null} to clear.
     */
    void drainHandler(Runnable handler);

    /** @return whether the peer currently has a dedicated reliable queue pair. */
    boolean isPromoted();

    /** @return this peer's traffic counters. */
    PeerStats stats();
}
