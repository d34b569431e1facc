package org.rdmabus.transport.impl.channel;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.rdmabus.transport.impl.Envelope;

/**
 * The layout of an {@code RdmaChannel} frame: the payload of one pool MESSAGE, never segmented, so that a received
 * message is one receive buffer the application can read in place.
 *
 * <pre>
 *  0               1               2                                                               10
 * +---------------+---------------+---------------------------------------------------------------+---------
 * | envelope = 1  | kind          | correlation id (int64, little-endian; 0 for a one-way message) | payload
 * +---------------+---------------+---------------------------------------------------------------+---------
 * </pre>
 *
 * A {@link #REPLY} or {@link #FAILURE} carries the correlation id of the {@link #REQUEST} it answers; a failure's
 * payload is its reason in UTF-8.
 */
final class ChannelWire {
    /** A one-way message. */
    static final byte SEND = 0;
    /** A message that expects a reply. */
    static final byte REQUEST = 1;
    /** The answer to a request. */
    static final byte REPLY = 2;
    /** A request refused or failed by the receiver. */
    static final byte FAILURE = 3;

    static final int KIND_OFFSET = Envelope.LENGTH;
    static final int CORRELATION_OFFSET = KIND_OFFSET + 1;
    /** Bytes in front of the application's payload, envelope included. */
    static final int HEADER_LENGTH = CORRELATION_OFFSET + Long.BYTES;

    private ChannelWire() {
    }

    /**
     * Builds a whole frame in a new array, which the pool copies into registered memory and a back-pressured send
     * keeps until it can be offered.
     *
     * @param kind        one of the kinds above.
     * @param correlation the request's id, or 0.
     * @param payload     the application's bytes, read from index 0 to {@code length}.
     * @param length      how many bytes of the payload.
     * @return the frame.
     */
    static byte[] frame(byte kind, long correlation, Buffer payload, int length) {
        byte[] frame = header(kind, correlation, length);
        payload.getBytes(0, length, frame, HEADER_LENGTH);
        return frame;
    }

    /**
     * Like {@link #frame(byte, long, Buffer, int)} for a payload in an array.
     *
     * @param kind        one of the kinds above.
     * @param correlation the request's id, or 0.
     * @param payload     the application's bytes.
     * @return the frame.
     */
    static byte[] frame(byte kind, long correlation, byte[] payload) {
        byte[] frame = header(kind, correlation, payload.length);
        System.arraycopy(payload, 0, frame, HEADER_LENGTH, payload.length);
        return frame;
    }

    private static byte[] header(byte kind, long correlation, int payloadLength) {
        byte[] frame = new byte[HEADER_LENGTH + payloadLength];
        frame[Envelope.PROTOCOL_OFFSET] = Envelope.RDMA_CHANNEL;
        frame[KIND_OFFSET] = kind;
        for (int i = 0; i < Long.BYTES; i++) {
            frame[CORRELATION_OFFSET + i] = (byte) (correlation >>> (8 * i));
        }
        return frame;
    }

    /**
     * @param buffer a received frame, envelope already stripped.
     * @param offset where the envelope ended.
     * @return the frame's kind.
     */
    static byte kind(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset + KIND_OFFSET - Envelope.LENGTH);
    }

    /**
     * @param buffer a received frame, envelope already stripped.
     * @param offset where the envelope ended.
     * @return the frame's correlation id.
     */
    static long correlation(DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + CORRELATION_OFFSET - Envelope.LENGTH, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the bytes a frame has after the envelope, before the payload. */
    static int headerAfterEnvelope() {
        return HEADER_LENGTH - Envelope.LENGTH;
    }
}
