package org.rdmabus.codec;

/**
 * The bounds the codec enforces: frame and message sizes, when to segment or rendezvous, and how much state
 * reassembly may hold. Immutable; each {@code with...} method returns a copy with one bound changed and checks
 * it at once.
 * <p>
 * Defaults: frames up to 16 KiB, messages up to 16 MiB, rendezvous above 64 KiB, at most 4 partial messages per
 * source, 1024 sources and 64 MiB of reassembly memory across all sources.
 */
public final class CodecLimits {
    private static final CodecLimits DEFAULTS =
        new CodecLimits(16 * 1024, 16 * 1024 * 1024, 64 * 1024, 4, 1024, 64L * 1024 * 1024);

    private final int maxFrameLength;
    private final int maxMessageSize;
    private final int rendezvousThreshold;
    private final int maxPartialMessagesPerSource;
    private final int maxSources;
    private final long maxReassemblyBytes;

    private CodecLimits(int maxFrameLength, int maxMessageSize, int rendezvousThreshold,
                        int maxPartialMessagesPerSource, int maxSources, long maxReassemblyBytes) {
        if (maxFrameLength < FrameLayout.MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " is below the protocol's minimum "
                + FrameLayout.MIN_FRAME_LENGTH);
        }
        requirePositive("maxMessageSize", maxMessageSize);
        requirePositive("rendezvousThreshold", rendezvousThreshold);
        requirePositive("maxPartialMessagesPerSource", maxPartialMessagesPerSource);
        requirePositive("maxSources", maxSources);
        requirePositive("maxReassemblyBytes", maxReassemblyBytes);
        this.maxFrameLength = maxFrameLength;
        this.maxMessageSize = maxMessageSize;
        this.rendezvousThreshold = rendezvousThreshold;
        this.maxPartialMessagesPerSource = maxPartialMessagesPerSource;
        this.maxSources = maxSources;
        this.maxReassemblyBytes = maxReassemblyBytes;
    }

    /** @return the default limits. */
    public static CodecLimits defaults() {
        return DEFAULTS;
    }

    /** @return the largest frame, header included, that may be sent or received in one buffer. */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** @return the largest message accepted whole, segmented or by rendezvous; nothing larger is ever allocated. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** @return the message size above which messages go by rendezvous rather than in segments. */
    public int rendezvousThreshold() {
        return rendezvousThreshold;
    }

    /** @return how many messages from one source may be partially reassembled at once. */
    public int maxPartialMessagesPerSource() {
        return maxPartialMessagesPerSource;
    }

    /** @return for how many sources reassembly state may be held at once. */
    public int maxSources() {
        return maxSources;
    }

    /** @return how many bytes of partially reassembled messages may be held across all sources. */
    public long maxReassemblyBytes() {
        return maxReassemblyBytes;
    }

    /** @return the largest message that fits in one unsegmented frame. */
    public int maxSingleFramePayload() {
        return maxFrameLength - FrameLayout.HEADER_LENGTH;
    }

    /** @return the most message bytes one segment frame carries. */
    public int maxSegmentDataLength() {
        return maxFrameLength - FrameLayout.HEADER_LENGTH - FrameLayout.SEGMENT_HEADER_LENGTH;
    }

    /**
     * @param messageLength the length of an encoded event-bus message.
     * @return how it should travel: in one frame if it fits, by rendezvous above {@link #rendezvousThreshold()},
     *         segmented otherwise.
     * @throws IllegalArgumentException if the length is negative or above {@link #maxMessageSize()}: the caller
     *                                  must refuse such a message before encoding it.
     */
    public PayloadStrategy strategyFor(int messageLength) {
        if (messageLength < 0 || messageLength > maxMessageSize) {
            throw new IllegalArgumentException("message of " + messageLength + " bytes is outside 0..maxMessageSize="
                + maxMessageSize);
        }
        if (messageLength <= maxSingleFramePayload()) {
            return PayloadStrategy.SINGLE_FRAME;
        }
        return messageLength > rendezvousThreshold ? PayloadStrategy.RENDEZVOUS : PayloadStrategy.SEGMENTED;
    }

    /**
     * @param value the largest frame, header included; at least {@link FrameLayout#MIN_FRAME_LENGTH}.
     * @return a copy with this frame limit.
     */
    public CodecLimits withMaxFrameLength(int value) {
        return new CodecLimits(value, maxMessageSize, rendezvousThreshold, maxPartialMessagesPerSource, maxSources,
            maxReassemblyBytes);
    }

    /**
     * @param value the largest message, positive.
     * @return a copy with this message limit.
     */
    public CodecLimits withMaxMessageSize(int value) {
        return new CodecLimits(maxFrameLength, value, rendezvousThreshold, maxPartialMessagesPerSource, maxSources,
            maxReassemblyBytes);
    }

    /**
     * @param value the size above which messages go by rendezvous, positive; {@link Integer#MAX_VALUE} disables
     *              rendezvous.
     * @return a copy with this threshold.
     */
    public CodecLimits withRendezvousThreshold(int value) {
        return new CodecLimits(maxFrameLength, maxMessageSize, value, maxPartialMessagesPerSource, maxSources,
            maxReassemblyBytes);
    }

    /**
     * @param value how many partial messages one source may have, positive.
     * @return a copy with this bound.
     */
    public CodecLimits withMaxPartialMessagesPerSource(int value) {
        return new CodecLimits(maxFrameLength, maxMessageSize, rendezvousThreshold, value, maxSources,
            maxReassemblyBytes);
    }

    /**
     * @param value for how many sources reassembly state may be held, positive.
     * @return a copy with this bound.
     */
    public CodecLimits withMaxSources(int value) {
        return new CodecLimits(maxFrameLength, maxMessageSize, rendezvousThreshold, maxPartialMessagesPerSource, value,
            maxReassemblyBytes);
    }

    /**
     * @param value the reassembly memory budget across all sources, in bytes, positive.
     * @return a copy with this budget.
     */
    public CodecLimits withMaxReassemblyBytes(long value) {
        return new CodecLimits(maxFrameLength, maxMessageSize, rendezvousThreshold, maxPartialMessagesPerSource,
            maxSources, value);
    }

    /** @return every bound, by name. */
    @Override
    public String toString() {
        return "CodecLimits{maxFrameLength=" + maxFrameLength + ", maxMessageSize=" + maxMessageSize
            + ", rendezvousThreshold=" + rendezvousThreshold + ", maxPartialMessagesPerSource="
            + maxPartialMessagesPerSource + ", maxSources=" + maxSources + ", maxReassemblyBytes=" + maxReassemblyBytes
            + '}';
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
