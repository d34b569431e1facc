package org.rdmabus.codec;

import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Splits one message into segment frames, one frame per call, each written straight into a buffer the caller
 * provides (typically a send slab). Every message byte is copied exactly once, from the message into its frame;
 * the message itself is only read, and must stay unchanged until the last segment is written.
 * <pre>{@code
 * segmenter.begin(FrameType.MESSAGE, firstSequence, message, 0, message.capacity(), peerMaxFrameLength);
 * while (segmenter.hasNext()) {
 *     MutableDirectBuffer slab = ...;          // at least segmenter.nextFrameLength() bytes
 *     int length = segmenter.next(slab, 0, nextSequence(), creditsToReturn());
 *     post(slab, length);
 * }
 * }</pre>
 * Message ids from one sender must grow in the order messages begin: the sequence of a message's first segment
 * is a natural choice. Not thread-safe.
 */
public final class Segmenter {
    private final FrameEncoder encoder;

    private FrameType type;
    private long messageId;
    private DirectBuffer message;
    private int messageOffset;
    private int totalLength;
    private int segmentDataLength;
    private int written;

    /** @param encoder the sender's encoder, which writes each segment frame. */
    public Segmenter(FrameEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * @param messageLength  a message's length.
     * @param maxFrameLength the frame limit.
     * @return how many segment frames the message needs.
     */
    public static int segmentCount(int messageLength, int maxFrameLength) {
        int perSegment = dataPerSegment(maxFrameLength);
        return (int) (((long) messageLength + perSegment - 1) / perSegment);
    }

    /**
     * Starts a message. Any message in progress is abandoned.
     *
     * @param type           MESSAGE or REPLY.
     * @param messageId      the message's id, growing per sender.
     * @param message        the whole encoded message.
     * @param offset         where it starts in {@code message}.
     * @param length         its length, at least 1.
     * @param maxFrameLength the largest frame the receiver accepts, at least {@link FrameLayout#MIN_FRAME_LENGTH}.
     */
    public void begin(FrameType type, long messageId, DirectBuffer message, int offset, int length,
                      int maxFrameLength) {
        if (type == null || !type.carriesMessage()) {
            throw new IllegalArgumentException("only MESSAGE and REPLY are segmented, not " + type);
        }
        if (length < 1 || offset < 0 || (long) offset + length > message.capacity()) {
            throw new IllegalArgumentException("message [" + offset + ", +" + length + ") is empty or outside a buffer of "
                + message.capacity() + " bytes");
        }
        this.segmentDataLength = dataPerSegment(maxFrameLength);
        this.type = type;
        this.messageId = messageId;
        this.message = message;
        this.messageOffset = offset;
        this.totalLength = length;
        this.written = 0;
    }

    /** @return whether segments remain to be written. */
    public boolean hasNext() {
        return message != null && written < totalLength;
    }

    /** @return how many message bytes remain to be written. */
    public int remaining() {
        return message == null ? 0 : totalLength - written;
    }

    /** @return the length of the next segment frame, so the caller can size its buffer; 0 when done. */
    public int nextFrameLength() {
        return hasNext() ? FrameLayout.HEADER_LENGTH + FrameLayout.SEGMENT_HEADER_LENGTH
            + Math.min(segmentDataLength, totalLength - written) : 0;
    }

    /**
     * Writes the next segment frame.
     *
     * @param buffer   where to write it; needs {@link #nextFrameLength()} bytes from {@code offset}.
     * @param offset   where the frame starts.
     * @param sequence the frame's sequence.
     * @param credits  receive credits returned to the peer.
     * @return the frame's length.
     * @throws IllegalStateException if no segment remains.
     */
    public int next(MutableDirectBuffer buffer, int offset, long sequence, int credits) {
        if (!hasNext()) {
            throw new IllegalStateException("no segment left: call begin first");
        }
        int length = Math.min(segmentDataLength, totalLength - written);
        int frameLength = encoder.encodeSegment(buffer, offset, type, sequence, credits, messageId, totalLength,
            written, message, messageOffset + written, length);
        written += length;
        if (written == totalLength) {
            message = null;
        }
        return frameLength;
    }

    private static int dataPerSegment(int maxFrameLength) {
        if (maxFrameLength < FrameLayout.MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " is below the protocol's minimum "
                + FrameLayout.MIN_FRAME_LENGTH);
        }
        return maxFrameLength - FrameLayout.HEADER_LENGTH - FrameLayout.SEGMENT_HEADER_LENGTH;
    }
}
