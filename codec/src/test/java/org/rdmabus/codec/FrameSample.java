package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.agrona.MutableDirectBuffer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.impl.Utf8;

/**
 * One generated frame: what it should contain, how to write it with the public encoder, and how to check that a
 * decoder read exactly that back.
 */
final class FrameSample {
    /** Every shape of frame the protocol has. */
    enum Kind { MESSAGE, SEGMENT, RENDEZVOUS, CREDIT, RENDEZVOUS_DONE, HELLO, BYE, ERROR }

    /** The header fields every frame has. */
    record Header(NodeId source, long epoch, long sequence, int credits, boolean checksum) {
    }

    final Kind kind;
    final FrameType type;
    final Header header;
    final byte[] data;
    final long messageId;
    final int totalLength;
    final int segmentOffset;
    final long address;
    final int length;
    final int key;
    final long related;
    final int maxMessageSize;
    final int maxFrameLength;
    final ErrorCode code;
    final String reason;

    private FrameSample(Kind kind, FrameType type, Header header, byte[] data, long messageId, int totalLength,
                        int segmentOffset, long address, int length, int key, long related, int maxMessageSize,
                        int maxFrameLength, ErrorCode code, String reason) {
        this.kind = kind;
        this.type = type;
        this.header = header;
        this.data = data;
        this.messageId = messageId;
        this.totalLength = totalLength;
        this.segmentOffset = segmentOffset;
        this.address = address;
        this.length = length;
        this.key = key;
        this.related = related;
        this.maxMessageSize = maxMessageSize;
        this.maxFrameLength = maxFrameLength;
        this.code = code;
        this.reason = reason;
    }

    /** Arbitrary frames of every kind that fit {@code limits}, with payloads kept small enough to test byte by byte. */
    static Arbitrary<FrameSample> frames(CodecLimits limits) {
        return Arbitraries.oneOf(messages(limits), segments(limits), rendezvous(limits), credits(), rendezvousDone(),
            hellos(), byes(), errors());
    }

    static Arbitrary<NodeId> nodeIds() {
        Arbitrary<String> uuids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
            .as((msb, lsb) -> new UUID(msb, lsb).toString());
        Arbitrary<String> randomUuids = Arbitraries.randomValue(random ->
            new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong()).toString());
        Arbitrary<String> upperCaseUuids = uuids.map(String::toUpperCase);
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(80)
            .filter(s -> Utf8.encodedLength(s) >= 1 && Utf8.encodedLength(s) <= FrameLayout.MAX_NODE_ID_LENGTH);
        Arbitrary<String> names = Arbitraries.strings().alpha().numeric().withChars("-.:_").ofMinLength(1)
            .ofMaxLength(FrameLayout.MAX_NODE_ID_LENGTH);
        return Arbitraries.frequencyOf(
            Tuple.of(4, randomUuids), Tuple.of(2, uuids),
            Tuple.of(1, upperCaseUuids), Tuple.of(2, text),
            Tuple.of(1, names)).map(NodeId::of);
    }

    static Arbitrary<Header> headers() {
        return Combinators.combine(nodeIds(), Arbitraries.longs(), Arbitraries.longs(),
            Arbitraries.integers().greaterOrEqual(0), Arbitraries.of(true, false)).as(Header::new);
    }

    static FrameSample message(Header header, FrameType type, byte[] payload) {
        return new FrameSample(Kind.MESSAGE, type, header, payload, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
    }

    static FrameSample segment(Header header, FrameType type, long messageId, int totalLength, int segmentOffset,
                               byte[] data) {
        return new FrameSample(Kind.SEGMENT, type, header, data, messageId, totalLength, segmentOffset, 0, 0, 0, 0, 0,
            0, null, null);
    }

    static FrameSample rendezvous(Header header, FrameType type, long address, int length, int key) {
        return new FrameSample(Kind.RENDEZVOUS, type, header, null, 0, 0, 0, address, length, key, 0, 0, 0, null,
            null);
    }

    private static Arbitrary<FrameType> messageTypes() {
        return Arbitraries.of(FrameType.MESSAGE, FrameType.REPLY);
    }

    private static Arbitrary<FrameSample> messages(CodecLimits limits) {
        int max = Math.min(limits.maxSingleFramePayload(), Math.min(limits.maxMessageSize(), 600));
        return Combinators.combine(headers(), messageTypes(), Arbitraries.bytes().array(byte[].class).ofMaxSize(max))
            .as(FrameSample::message);
    }

    private static Arbitrary<FrameSample> segments(CodecLimits limits) {
        int maxData = Math.min(limits.maxSegmentDataLength(), 400);
        return Arbitraries.integers().between(1, limits.maxMessageSize()).flatMap(total ->
            Arbitraries.integers().between(0, total - 1).flatMap(offset ->
                Combinators.combine(headers(), messageTypes(), Arbitraries.longs(),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(Math.min(maxData, total - offset)))
                    .as((header, type, id, data) -> segment(header, type, id, total, offset, data))));
    }

    private static Arbitrary<FrameSample> rendezvous(CodecLimits limits) {
        return Combinators.combine(headers(), messageTypes(), Arbitraries.longs(),
                Arbitraries.integers().between(1, limits.maxMessageSize()), Arbitraries.integers())
            .as(FrameSample::rendezvous);
    }

    private static Arbitrary<FrameSample> credits() {
        return headers().map(h -> new FrameSample(Kind.CREDIT, FrameType.CREDIT, h, null, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            null, null));
    }

    private static Arbitrary<FrameSample> rendezvousDone() {
        return Combinators.combine(headers(), Arbitraries.longs()).as((h, seq) -> new FrameSample(
            Kind.RENDEZVOUS_DONE, FrameType.CREDIT, h, null, 0, 0, 0, 0, 0, 0, seq, 0, 0, null, null));
    }

    static Arbitrary<FrameSample> hellos() {
        return Combinators.combine(headers(), Arbitraries.integers().greaterOrEqual(1),
                Arbitraries.integers().greaterOrEqual(FrameLayout.MIN_FRAME_LENGTH))
            .as((h, maxMessage, maxFrame) -> new FrameSample(Kind.HELLO, FrameType.HELLO, h, null, 0, 0, 0, 0, 0, 0,
                0, maxMessage, maxFrame, null, null));
    }

    private static Arbitrary<FrameSample> byes() {
        return headers().map(h -> new FrameSample(Kind.BYE, FrameType.BYE, h, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, null,
            null));
    }

    static Arbitrary<FrameSample> errors() {
        Arbitrary<String> reasons = Arbitraries.strings().ofMaxLength(120)
            .filter(s -> Utf8.encodedLength(s) >= 0 && Utf8.encodedLength(s) <= FrameLayout.MAX_REASON_LENGTH);
        return Combinators.combine(headers(), Arbitraries.of(ErrorCode.class), Arbitraries.longs(), reasons)
            .as((h, code, related, reason) -> new FrameSample(Kind.ERROR, FrameType.ERROR, h, null, 0, 0, 0, 0, 0, 0,
                related, 0, 0, code, reason));
    }

    /** @return the frame's length once encoded. */
    int encode(MutableDirectBuffer buffer, int offset) {
        FrameEncoder encoder = new FrameEncoder(header.source(), header.epoch(), header.checksum());
        long seq = header.sequence();
        int credits = header.credits();
        return switch (kind) {
            case MESSAGE -> encoder.encodeMessage(buffer, offset, type, seq, credits,
                new VarHandleBuffer(data), 0, data.length);
            case SEGMENT -> encoder.encodeSegment(buffer, offset, type, seq, credits, messageId, totalLength,
                segmentOffset, new VarHandleBuffer(data), 0, data.length);
            case RENDEZVOUS -> encoder.encodeRendezvous(buffer, offset, type, seq, credits, address, length, key);
            case CREDIT -> encoder.encodeCredit(buffer, offset, seq, credits);
            case RENDEZVOUS_DONE -> encoder.encodeRendezvousDone(buffer, offset, seq, credits, related);
            case HELLO -> encoder.encodeHello(buffer, offset, seq, credits, maxMessageSize, maxFrameLength);
            case BYE -> encoder.encodeBye(buffer, offset, seq, credits);
            case ERROR -> encoder.encodeError(buffer, offset, seq, credits, code, related, reason);
        };
    }

    /** Asserts that {@code decoder} holds exactly this frame. */
    void assertDecoded(FrameDecoder decoder) {
        assertTrue(decoder.isValid());
        assertEquals(type, decoder.type());
        assertTrue(decoder.isFrom(header.source()));
        assertEquals(header.epoch(), decoder.epoch());
        assertEquals(header.sequence(), decoder.sequence());
        assertEquals(header.credits(), decoder.credits());
        assertEquals(header.checksum(), decoder.isChecksummed());
        assertEquals(kind == Kind.SEGMENT, decoder.isSegment());
        assertEquals(kind == Kind.RENDEZVOUS, decoder.isRendezvous());
        assertEquals(kind == Kind.RENDEZVOUS_DONE, decoder.isRendezvousDone());
        switch (kind) {
            case MESSAGE -> assertArrayEquals(data, bytes(decoder, decoder.payloadOffset(), decoder.payloadLength()));
            case SEGMENT -> {
                assertEquals(messageId, decoder.segmentMessageId());
                assertEquals(totalLength, decoder.segmentTotalLength());
                assertEquals(segmentOffset, decoder.segmentOffset());
                assertEquals(segmentOffset == 0, decoder.isFirstSegment());
                assertEquals(segmentOffset + data.length == totalLength, decoder.isLastSegment());
                assertArrayEquals(data, bytes(decoder, decoder.segmentDataOffset(), decoder.segmentDataLength()));
            }
            case RENDEZVOUS -> {
                assertEquals(address, decoder.rendezvousAddress());
                assertEquals(length, decoder.rendezvousLength());
                assertEquals(key, decoder.rendezvousKey());
            }
            case RENDEZVOUS_DONE -> assertEquals(related, decoder.completedSequence());
            case HELLO -> {
                assertEquals(header.source().text(), decoder.helloNodeId());
                assertEquals(maxMessageSize, decoder.helloMaxMessageSize());
                assertEquals(maxFrameLength, decoder.helloMaxFrameLength());
            }
            case ERROR -> {
                assertEquals(code, decoder.errorCode());
                assertEquals(related, decoder.errorRelatedSequence());
                assertEquals(reason, decoder.errorReason());
            }
            case CREDIT, BYE -> assertEquals(0, decoder.payloadLength());
        }
    }

    static byte[] bytes(FrameDecoder decoder, int offset, int length) {
        byte[] copy = new byte[length];
        decoder.buffer().getBytes(offset, copy, 0, length);
        return copy;
    }

    @Override
    public String toString() {
        return kind + "/" + type + " from " + header + (data == null ? "" : " data=" + (data.length > 64
            ? HexFormat.of().formatHex(Arrays.copyOf(data, 64)) + "...(" + data.length + ")"
            : HexFormat.of().formatHex(data)))
            + (kind == Kind.SEGMENT ? " id=" + messageId + " [" + segmentOffset + "/" + totalLength + "]" : "")
            + (kind == Kind.ERROR ? " " + code + " '" + reason + "'" : "");
    }
}
