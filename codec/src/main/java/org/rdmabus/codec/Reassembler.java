package org.rdmabus.codec;

import java.util.Objects;
import org.agrona.DirectBuffer;
import org.rdmabus.codec.impl.PartialMessage;
import org.rdmabus.codec.impl.SourceState;
import org.rdmabus.codec.impl.SourceTable;

/**
 * Reassembles segmented messages from any number of sources within fixed bounds.
 * <p>
 * <b>Bounds, all checked before anything is allocated:</b> a message's declared total length against
 * {@link CodecLimits#maxMessageSize()}; the number of partial messages per source against
 * {@link CodecLimits#maxPartialMessagesPerSource()}; the bytes held by all partial messages together against
 * {@link CodecLimits#maxReassemblyBytes()}; the number of sources against {@link CodecLimits#maxSources()}. The
 * only allocation is one array of exactly the declared total, made when a message's first segment is accepted;
 * that array becomes the caller's when the message completes.
 * <p>
 * <b>Order.</b> Segments of one message must arrive in order, each starting where the previous one ended (the
 * transport delivers frames of a source in sequence order). A segment that skips ahead
 * ({@link DecodeError#SEGMENT_OUT_OF_ORDER}), overlaps what arrived and extends past it
 * ({@link DecodeError#SEGMENT_OVERLAP}) or disagrees with its first segment's total or type
 * ({@link DecodeError#SEGMENT_INCONSISTENT}) discards its message: it can no longer complete correctly. A segment
 * wholly inside what arrived already is a harmless {@link DecodeError#SEGMENT_DUPLICATE} and changes nothing.
 * Message ids from one source must grow in the order messages begin, so a first segment whose id is not above the
 * highest begun is a duplicate of a message completed or discarded.
 * <p>
 * <b>Incarnations.</b> A segment from a newer epoch of its source discards that source's partial messages (the
 * peer restarted); one from an older epoch is refused ({@link DecodeError#STALE_EPOCH}).
 * <p>
 * Every call returns an {@link Outcome} and never throws on bad input; on {@link Outcome#REJECTED},
 * {@link #failure()} says why, and the shared counters count it. Not thread-safe: one per receiving thread.
 */
public final class Reassembler {
    /** What a segment did. */
    public enum Outcome {
        /** Accepted; its message still has bytes to come. */
        INCOMPLETE,
        /** Accepted, and it completed its message: take it with {@link #takeMessage()}. */
        COMPLETE,
        /** Refused: see {@link #failure()}. */
        REJECTED
    }

    private final CodecLimits limits;
    private final DecodeErrorCounters counters;
    private final DecodeFailure failure = new DecodeFailure();
    private final SourceTable sources;
    private long reservedBytes;

    private byte[] completed;
    private FrameType completedType;
    private long completedMessageId;

    /**
     * @param limits   the bounds to enforce.
     * @param counters where refusals are counted; may be shared.
     */
    public Reassembler(CodecLimits limits, DecodeErrorCounters counters) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.sources = new SourceTable(limits.maxSources(), limits.maxPartialMessagesPerSource());
    }

    /**
     * Takes in a decoded segment frame.
     *
     * @param frame a decoder holding a valid frame with {@link FrameLayout#FLAG_SEGMENT}.
     * @return what the segment did.
     * @throws IllegalStateException if the decoder holds no valid segment frame (a caller bug).
     */
    public Outcome onSegment(FrameDecoder frame) {
        if (!frame.isSegment()) {
            throw new IllegalStateException("not a segment frame: " + frame);
        }
        return onSegment(frame.sourceMostSignificantBits(), frame.sourceLeastSignificantBits(), frame.epoch(),
            frame.type(), frame.segmentMessageId(), frame.segmentTotalLength(), frame.segmentOffset(),
            frame.buffer(), frame.segmentDataOffset(), frame.segmentDataLength());
    }

    /**
     * Takes in one segment, described field by field; checks everything a decoder would about it again, against
     * this reassembler's limits.
     *
     * @param sourceMsb     the high half of the source node id.
     * @param sourceLsb     the low half.
     * @param epoch         the source's incarnation.
     * @param type          MESSAGE or REPLY.
     * @param messageId     the message's id.
     * @param totalLength   the message's declared total length.
     * @param segmentOffset where the segment starts in the message.
     * @param data          the segment's bytes.
     * @param dataOffset    where they start in {@code data}.
     * @param dataLength    how many there are.
     * @return what the segment did.
     */
    public Outcome onSegment(long sourceMsb, long sourceLsb, long epoch, FrameType type, long messageId,
                             int totalLength, int segmentOffset, DirectBuffer data, int dataOffset, int dataLength) {
        failure.reset();
        if (!checkSegment(type, totalLength, segmentOffset, data, dataOffset, dataLength)) {
            return Outcome.REJECTED;
        }
        SourceState source = sources.find(sourceMsb, sourceLsb);
        if (source != null && epoch != source.epoch()) {
            if (epoch < source.epoch()) {
                return reject(DecodeError.STALE_EPOCH, "segment.epoch", epoch, "currentEpoch", source.epoch());
            }
            discardPartials(source);
            source.restart(epoch);
        }
        PartialMessage partial = source == null ? null : source.find(messageId);
        if (partial != null) {
            return continueMessage(source, partial, type, totalLength, segmentOffset, data, dataOffset, dataLength);
        }
        if (source != null && source.hasBegunAtLeast(messageId)) {
            return reject(DecodeError.SEGMENT_DUPLICATE, "segment.messageId", messageId, "highestBegunMessageId",
                source.highestBegunMessageId());
        }
        if (segmentOffset != 0) {
            return reject(DecodeError.SEGMENT_OUT_OF_ORDER, "segment.offset", segmentOffset, "expectedOffset", 0);
        }
        return beginMessage(source, sourceMsb, sourceLsb, epoch, type, messageId, totalLength, data, dataOffset,
            dataLength);
    }

    /** @return why the last segment was refused; reused by every call. */
    public DecodeFailure failure() {
        return failure;
    }

    /**
     * Hands over the message completed by the last {@link Outcome#COMPLETE}; the reassembler keeps no reference.
     *
     * @return the whole message, exactly its length.
     * @throws IllegalStateException if there is none to take.
     */
    public byte[] takeMessage() {
        byte[] message = completed;
        if (message == null) {
            throw new IllegalStateException("no completed message to take");
        }
        completed = null;
        return message;
    }

    /** @return MESSAGE or REPLY, for the last completed message. */
    public FrameType completedType() {
        return completedType;
    }

    /** @return the id of the last completed message. */
    public long completedMessageId() {
        return completedMessageId;
    }

    /**
     * Discards everything held for a source, e.g. when the peer died or said BYE.
     *
     * @param sourceMsb the high half of its node id.
     * @param sourceLsb the low half.
     * @return how many partial messages were discarded.
     */
    public int releaseSource(long sourceMsb, long sourceLsb) {
        SourceState source = sources.find(sourceMsb, sourceLsb);
        if (source == null) {
            return 0;
        }
        int discarded = discardPartials(source);
        sources.remove(source);
        return discarded;
    }

    /**
     * Discards everything held for every source.
     *
     * @return how many partial messages were discarded.
     */
    public int releaseAll() {
        int discarded = 0;
        while (sources.size() > 0) {
            SourceState source = sources.at(sources.size() - 1);
            discarded += discardPartials(source);
            sources.remove(source);
        }
        return discarded;
    }

    /** @return the bytes held by partial messages across all sources; at most the reassembly budget. */
    public long reservedBytes() {
        return reservedBytes;
    }

    /** @return how many messages are partially reassembled, across all sources. */
    public int partialMessageCount() {
        int count = 0;
        for (int i = 0; i < sources.size(); i++) {
            count += sources.at(i).partialCount();
        }
        return count;
    }

    /** @return for how many sources state is held. */
    public int sourceCount() {
        return sources.size();
    }

    private boolean checkSegment(FrameType type, int totalLength, int segmentOffset, DirectBuffer data,
                                 int dataOffset, int dataLength) {
        if (type == null || !type.carriesMessage()) {
            return rejected(DecodeError.BAD_SEGMENT, "segment.type", type == null ? -1 : type.code(), null, 0);
        }
        if (totalLength > limits.maxMessageSize()) {
            return rejected(DecodeError.MESSAGE_TOO_LARGE, "segment.totalLength", totalLength, "maxMessageSize",
                limits.maxMessageSize());
        }
        if (totalLength <= 0) {
            return rejected(DecodeError.BAD_SEGMENT, "segment.totalLength", totalLength, null, 0);
        }
        if (segmentOffset < 0) {
            return rejected(DecodeError.BAD_SEGMENT, "segment.offset", segmentOffset, null, 0);
        }
        if (dataLength <= 0) {
            return rejected(DecodeError.BAD_SEGMENT, "segment.dataLength", dataLength, null, 0);
        }
        if ((long) segmentOffset + dataLength > totalLength) {
            return rejected(DecodeError.BAD_SEGMENT, "segment.end", (long) segmentOffset + dataLength,
                "segment.totalLength", totalLength);
        }
        if (dataOffset < 0 || dataOffset > data.capacity() - dataLength) {
            return rejected(DecodeError.INVALID_BOUNDS, "segment.dataOffset", dataOffset, "bufferCapacity",
                data.capacity());
        }
        return true;
    }

    private Outcome continueMessage(SourceState source, PartialMessage partial, FrameType type, int totalLength,
                                    int segmentOffset, DirectBuffer data, int dataOffset, int dataLength) {
        // Read before any discard: a discarded partial message no longer knows its length or type.
        int expectedTotal = partial.totalLength();
        FrameType expectedType = partial.type();
        int expected = partial.received();
        if (totalLength != expectedTotal) {
            discard(source, partial);
            return reject(DecodeError.SEGMENT_INCONSISTENT, "segment.totalLength", totalLength, "firstSegmentTotal",
                expectedTotal);
        }
        if (type != expectedType) {
            discard(source, partial);
            return reject(DecodeError.SEGMENT_INCONSISTENT, "segment.type", type.code(), "firstSegmentType",
                expectedType.code());
        }
        if (segmentOffset > expected) {
            discard(source, partial);
            return reject(DecodeError.SEGMENT_OUT_OF_ORDER, "segment.offset", segmentOffset, "expectedOffset",
                expected);
        }
        if (segmentOffset < expected) {
            if (segmentOffset + dataLength <= expected) {
                return reject(DecodeError.SEGMENT_DUPLICATE, "segment.offset", segmentOffset, "expectedOffset",
                    expected);
            }
            discard(source, partial);
            return reject(DecodeError.SEGMENT_OVERLAP, "segment.offset", segmentOffset, "expectedOffset", expected);
        }
        return append(source, partial, data, dataOffset, dataLength);
    }

    private Outcome beginMessage(SourceState existing, long sourceMsb, long sourceLsb, long epoch, FrameType type,
                                 long messageId, int totalLength, DirectBuffer data, int dataOffset, int dataLength) {
        SourceState source = existing;
        if (source != null && source.partialCount() >= source.partialCapacity()) {
            return reject(DecodeError.TOO_MANY_PARTIAL_MESSAGES, "partialMessages", source.partialCount(),
                "maxPartialMessagesPerSource", source.partialCapacity());
        }
        if (reservedBytes + totalLength > limits.maxReassemblyBytes()) {
            return reject(DecodeError.REASSEMBLY_MEMORY_EXHAUSTED, "reassemblyBytes", reservedBytes + totalLength,
                "maxReassemblyBytes", limits.maxReassemblyBytes());
        }
        if (source == null) {
            source = sources.add(sourceMsb, sourceLsb, epoch);
            if (source == null) {
                return reject(DecodeError.TOO_MANY_SOURCES, "sources", sources.size() + 1L, "maxSources",
                    limits.maxSources());
            }
        }
        PartialMessage partial = source.begin(messageId, type, totalLength);
        reservedBytes += totalLength;
        return append(source, partial, data, dataOffset, dataLength);
    }

    private Outcome append(SourceState source, PartialMessage partial, DirectBuffer data, int dataOffset,
                           int dataLength) {
        data.getBytes(dataOffset, partial.data(), partial.received(), dataLength);
        partial.advance(dataLength);
        if (partial.received() < partial.totalLength()) {
            return Outcome.INCOMPLETE;
        }
        completed = partial.data();
        completedType = partial.type();
        completedMessageId = partial.messageId();
        reservedBytes -= partial.totalLength();
        source.remove(partial);
        return Outcome.COMPLETE;
    }

    private void discard(SourceState source, PartialMessage partial) {
        reservedBytes -= partial.totalLength();
        source.remove(partial);
    }

    private int discardPartials(SourceState source) {
        int discarded = source.partialCount();
        while (source.partialCount() > 0) {
            discard(source, source.partial(source.partialCount() - 1));
        }
        return discarded;
    }

    private Outcome reject(DecodeError reason, String field, long value, String limitName, long limit) {
        rejected(reason, field, value, limitName, limit);
        return Outcome.REJECTED;
    }

    private boolean rejected(DecodeError reason, String field, long value, String limitName, long limit) {
        failure.set(reason, field, value, limitName, limit);
        counters.increment(reason);
        return false;
    }
}
