package org.rdmabus.pool;

import org.agrona.DirectBuffer;

/**
 * Where inbound messages go. Called on the poller thread that owns the receive completion queue, in per-source
 * order. It must not block. An exception it throws is caught and counted, and the pool then releases the buffer
 * itself if the sink had not.
 */
@FunctionalInterface
public interface MessageSink {

    /**
     * @param sourceNodeId the sending node.
     * @param buffer       the receive buffer; valid only until {@code handle.release()}.
     * @param offset       where the payload starts in {@code buffer}.
     * @param length       the payload's length.
     * @param handle       the lent buffer: release it once the payload is no longer needed.
     */
    void onMessage(String sourceNodeId, DirectBuffer buffer, int offset, int length, ReceivedMessage handle);
}
