package org.rdmabus.pool;

import org.rdmabus.codec.FrameType;

/**
 * The receive buffer behind one delivered message, lent to the {@link MessageSink}. The buffer, and the credit
 * that lets the sender send one more frame, come back only when {@link #release()} is called: right after the
 * sink copies the payload out, or later, which is how a consumer that requests {@code n} messages bounds what
 * the senders may push. Thread-safe.
 */
public interface ReceivedMessage {

    /** @return the frame type: {@link FrameType#MESSAGE}, {@link FrameType#REPLY} or {@link FrameType#ERROR}. */
    FrameType type();

    /** @return the frame's flags, for example the codec's segment flag. */
    int flags();

    /** @return the frame's sequence number from its source. */
    long sequence();

    /**
     * Returns the buffer to the receive queue and the credit to the sender. The payload must not be read after this.
     *
     * @throws IllegalStateException if already released.
     */
    void release();

    /** @return whether {@link #release()} has been called. */
    boolean isReleased();
}
