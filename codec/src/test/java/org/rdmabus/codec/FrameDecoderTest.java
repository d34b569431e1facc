package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;

/** Each refusal the decoder can give, with the field and limit it names, and the decoder's other promises. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameDecoderTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final CodecLimits LIMITS = CodecLimits.defaults().withMaxFrameLength(4096).withMaxMessageSize(65536);
    private static final NodeId NODE = NodeId.of("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final int P = FrameLayout.HEADER_LENGTH;

    private final DecodeErrorCounters counters = new DecodeErrorCounters();
    private final FrameDecoder decoder = new FrameDecoder(LIMITS, counters);
    private final FrameEncoder encoder = new FrameEncoder(NODE, 3, false);

    @Test
    void refusesEachMalformedHeaderFieldNamingIt() {
        expectRefusal(DecodeError.BAD_MAGIC, "magic", message(), b -> b.putByte(0, (byte) 'X'));
        expectRefusal(DecodeError.UNSUPPORTED_VERSION, "version", message(),
            b -> b.putByte(FrameLayout.VERSION_OFFSET, (byte) 2));
        assertEquals(FrameLayout.VERSION, decoder.failure().limit());
        expectRefusal(DecodeError.UNKNOWN_TYPE, "type", message(), b -> b.putByte(FrameLayout.TYPE_OFFSET, (byte) 0));
        expectRefusal(DecodeError.UNKNOWN_TYPE, "type", message(), b -> b.putByte(FrameLayout.TYPE_OFFSET, (byte) 7));
        expectRefusal(DecodeError.BAD_FLAGS, "flags", message(), b -> b.putShort(FrameLayout.FLAGS_OFFSET,
            (short) 0x10, LE));
        expectRefusal(DecodeError.BAD_FLAGS, "flags", message(), b -> b.putShort(FrameLayout.FLAGS_OFFSET,
            (short) (FrameLayout.FLAG_SEGMENT | FrameLayout.FLAG_RENDEZVOUS), LE));
        expectRefusal(DecodeError.BAD_FLAGS, "flags", credit(), b -> b.putShort(FrameLayout.FLAGS_OFFSET,
            (short) FrameLayout.FLAG_SEGMENT, LE));
        expectRefusal(DecodeError.BAD_FLAGS, "flags", hello(), b -> b.putShort(FrameLayout.FLAGS_OFFSET,
            (short) FrameLayout.FLAG_RENDEZVOUS_DONE, LE));
        expectRefusal(DecodeError.NONZERO_RESERVED, "reserved", message(),
            b -> b.putInt(FrameLayout.RESERVED_OFFSET, 1, LE));
        expectRefusal(DecodeError.NONZERO_RESERVED, "checksum", message(),
            b -> b.putInt(FrameLayout.CHECKSUM_OFFSET, 0xABCD, LE));
        expectRefusal(DecodeError.BAD_CREDITS, "credits", message(), b -> b.putInt(FrameLayout.CREDITS_OFFSET, -1, LE));
        expectRefusal(DecodeError.LENGTH_MISMATCH, "payloadLength", credit(),
            b -> b.putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, -5, LE));
    }

    @Test
    void refusesFramesOverTheFrameLimitNamingIt() {
        byte[] big = new byte[LIMITS.maxFrameLength() + 10];
        int length = encoder.encodeMessage(new VarHandleBuffer(big), 0, FrameType.MESSAGE, 1, 0,
            new VarHandleBuffer(new byte[big.length - P]), 0, big.length - P);
        assertFalse(decoder.decode(new VarHandleBuffer(big), 0, length));
        assertFailure(DecodeError.FRAME_TOO_LARGE, "length");
        assertEquals("maxFrameLength", decoder.failure().limitName());
        assertEquals(LIMITS.maxFrameLength(), decoder.failure().limit());

        expectRefusal(DecodeError.FRAME_TOO_LARGE, "frameLength", message(),
            b -> b.putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, Integer.MAX_VALUE, LE));
    }

    @Test
    void refusesMalformedSegmentsAndRendezvous() {
        expectRefusal(DecodeError.BAD_SEGMENT, "segment.totalLength", segment(),
            b -> b.putInt(P + FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, 0, LE));
        expectRefusal(DecodeError.BAD_SEGMENT, "segment.offset", segment(),
            b -> b.putInt(P + FrameLayout.SEGMENT_OFFSET_OFFSET, -1, LE));
        expectRefusal(DecodeError.BAD_SEGMENT, "segment.end", segment(),
            b -> b.putInt(P + FrameLayout.SEGMENT_OFFSET_OFFSET, 999, LE));
        expectRefusal(DecodeError.MESSAGE_TOO_LARGE, "segment.totalLength", segment(),
            b -> b.putInt(P + FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, LIMITS.maxMessageSize() + 1, LE));

        byte[] headerOnly = frame(b -> encoder.encodeSegment(b, 0, FrameType.MESSAGE, 1, 0, 5, 10, 0,
            new VarHandleBuffer(new byte[1]), 0, 1));
        headerOnly = Arrays.copyOf(headerOnly, headerOnly.length - 1);
        new VarHandleBuffer(headerOnly).putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, FrameLayout.SEGMENT_HEADER_LENGTH, LE);
        assertFalse(decoder.decode(new VarHandleBuffer(headerOnly), 0, headerOnly.length));
        assertFailure(DecodeError.BAD_SEGMENT, "payloadLength");

        expectRefusal(DecodeError.BAD_RENDEZVOUS, "rendezvous.length", rendezvous(0x5EC12E75),
            b -> b.putInt(P + FrameLayout.RENDEZVOUS_LENGTH_OFFSET, 0, LE));
        expectRefusal(DecodeError.MESSAGE_TOO_LARGE, "rendezvous.length", rendezvous(1),
            b -> b.putInt(P + FrameLayout.RENDEZVOUS_LENGTH_OFFSET, Integer.MAX_VALUE, LE));
    }

    @Test
    void refusesBodiesOfTheWrongSize() {
        byte[] credit = Arrays.copyOf(credit(), P + 1);
        new VarHandleBuffer(credit).putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, 1, LE);
        assertFalse(decoder.decode(new VarHandleBuffer(credit), 0, credit.length));
        assertFailure(DecodeError.LENGTH_MISMATCH, "payloadLength");
        assertEquals(0, decoder.failure().limit());

        byte[] bye = Arrays.copyOf(frame(b -> encoder.encodeBye(b, 0, 1, 0)), P + 8);
        new VarHandleBuffer(bye).putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, 8, LE);
        assertFalse(decoder.decode(new VarHandleBuffer(bye), 0, bye.length));
        assertFailure(DecodeError.LENGTH_MISMATCH, "payloadLength");
    }

    @Test
    void refusesMalformedHellos() {
        expectRefusal(DecodeError.BAD_HELLO, "hello.maxMessageSize", hello(),
            b -> b.putInt(P + FrameLayout.HELLO_MAX_MESSAGE_SIZE_OFFSET, 0, LE));
        expectRefusal(DecodeError.BAD_HELLO, "hello.maxFrameLength", hello(),
            b -> b.putInt(P + FrameLayout.HELLO_MAX_FRAME_LENGTH_OFFSET, FrameLayout.MIN_FRAME_LENGTH - 1, LE));
        expectRefusal(DecodeError.BAD_HELLO, "hello.nodeIdLength", hello(),
            b -> b.putShort(P + FrameLayout.HELLO_NODE_ID_LENGTH_OFFSET, (short) 0, LE));
        expectRefusal(DecodeError.BAD_HELLO, "hello.nodeIdLength", hello(),
            b -> b.putShort(P + FrameLayout.HELLO_NODE_ID_LENGTH_OFFSET, (short) 300, LE));
        expectRefusal(DecodeError.NONZERO_RESERVED, "hello.reserved", hello(),
            b -> b.putShort(P + FrameLayout.HELLO_RESERVED_OFFSET, (short) 1, LE));
        // An overlong encoding of '0': valid-looking bytes that strict UTF-8 refuses.
        expectRefusal(DecodeError.BAD_TEXT, "hello.nodeId", hello(), b -> {
            b.putByte(P + FrameLayout.HELLO_NODE_ID_OFFSET, (byte) 0xC0);
            b.putByte(P + FrameLayout.HELLO_NODE_ID_OFFSET + 1, (byte) 0xB0);
        });
        // A node claiming bits that its text does not map to.
        expectRefusal(DecodeError.NODE_ID_MISMATCH, "hello.nodeId", hello(),
            b -> b.putLong(FrameLayout.SOURCE_LSB_OFFSET, 42, LE));
        expectRefusal(DecodeError.NODE_ID_MISMATCH, "hello.nodeId", hello(),
            b -> b.putByte(P + FrameLayout.HELLO_NODE_ID_OFFSET, (byte) '1'));
    }

    @Test
    void helloOfANodeWithAHashedIdMustMatchItsHash() {
        FrameEncoder named = new FrameEncoder(NodeId.of("node-a.example:5701"), 1, false);
        byte[] frame = frame(b -> named.encodeHello(b, 0, 1, 8, 1 << 20, 4096));
        assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length), decoder.failure()::describe);
        assertEquals("node-a.example:5701", decoder.helloNodeId());
        assertTrue(NodeId.isDerived(decoder.sourceMostSignificantBits()));

        frame[P + FrameLayout.HELLO_NODE_ID_OFFSET] = 'N';
        assertFalse(decoder.decode(new VarHandleBuffer(frame), 0, frame.length));
        assertFailure(DecodeError.NODE_ID_MISMATCH, "hello.nodeId");
    }

    @Test
    void refusesMalformedErrors() {
        expectRefusal(DecodeError.UNKNOWN_ERROR_CODE, "error.code", error(),
            b -> b.putInt(P + FrameLayout.ERROR_CODE_OFFSET, 99, LE));
        expectRefusal(DecodeError.BAD_TEXT, "error.reasonLength", error(),
            b -> b.putShort(P + FrameLayout.ERROR_REASON_LENGTH_OFFSET, (short) 257, LE));
        expectRefusal(DecodeError.NONZERO_RESERVED, "error.reserved", error(),
            b -> b.putShort(P + FrameLayout.ERROR_RESERVED_OFFSET, (short) 1, LE));
        // A UTF-8-encoded surrogate (U+D800): well-formed in shape, forbidden in UTF-8.
        expectRefusal(DecodeError.BAD_TEXT, "error.reason", error(), b -> {
            b.putByte(P + FrameLayout.ERROR_REASON_OFFSET, (byte) 0xED);
            b.putByte(P + FrameLayout.ERROR_REASON_OFFSET + 1, (byte) 0xA0);
            b.putByte(P + FrameLayout.ERROR_REASON_OFFSET + 2, (byte) 0x80);
        });
    }

    @Test
    void checksumCatchesCorruptionInHeapDirectAndRawMemory() {
        FrameEncoder checked = new FrameEncoder(NODE, 3, true);
        byte[] payload = new byte[3000];
        Arrays.fill(payload, (byte) 0x5A);
        byte[] frame = frame(b -> checked.encodeMessage(b, 0, FrameType.REPLY, 9, 1, new VarHandleBuffer(payload), 0,
            payload.length));

        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 16);
        for (MutableDirectBuffer buffer : List.of(new VarHandleBuffer(new byte[frame.length + 16]),
            new VarHandleBuffer(direct),
            likeRawMemory(new VarHandleBuffer(new byte[frame.length + 16])))) {
            buffer.putBytes(16, frame);
            assertTrue(decoder.decode(buffer, 16, frame.length), decoder.failure()::describe);
            assertTrue(decoder.isChecksummed());
            buffer.putByte(16 + P + 2000, (byte) 0x5B);
            assertFalse(decoder.decode(buffer, 16, frame.length));
            assertFailure(DecodeError.CHECKSUM_MISMATCH, "checksum");
            buffer.putByte(16 + P + 2000, (byte) 0x5A);
            buffer.putByte(16 + FrameLayout.TYPE_OFFSET, (byte) FrameType.MESSAGE.code());
            assertFalse(decoder.decode(buffer, 16, frame.length), "the checksum covers the type");
        }
    }

    /**
     * A buffer as one over a raw address looks (Agrona's {@code UnsafeBuffer(long, int)}, which needs Unsafe): no
     * array and no ByteBuffer to hand out, so its bytes are reached through its own accessors only.
     */
    private static MutableDirectBuffer likeRawMemory(MutableDirectBuffer memory) {
        return (MutableDirectBuffer) Proxy.newProxyInstance(FrameDecoderTest.class.getClassLoader(),
            new Class<?>[] {MutableDirectBuffer.class}, (proxy, method, arguments) -> {
                if (method.getName().equals("byteArray") || method.getName().equals("byteBuffer")) {
                    return null;
                }
                try {
                    return method.invoke(memory, arguments);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    @Test
    void decodingAllocatesNothingForValidOrInvalidFrames() {
        FrameEncoder checked = new FrameEncoder(NodeId.of("hashed node id"), 3, true);
        List<byte[]> frames = List.of(message(), segment(), rendezvous(77), credit(), hello(), error(),
            frame(b -> encoder.encodeRendezvousDone(b, 0, 1, 2, 3)), frame(b -> encoder.encodeBye(b, 0, 1, 0)),
            frame(b -> checked.encodeHello(b, 0, 1, 8, 1 << 20, 4096)),
            frame(b -> checked.encodeMessage(b, 0, FrameType.MESSAGE, 1, 0, new VarHandleBuffer(new byte[900]), 0, 900)));
        ByteBuffer direct = ByteBuffer.allocateDirect(8192);
        VarHandleBuffer[] buffers = new VarHandleBuffer[frames.size() * 2];
        int[] lengths = new int[buffers.length];
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            buffers[2 * i] = new VarHandleBuffer(frame);
            buffers[2 * i + 1] = new VarHandleBuffer(direct, 0, frame.length);
            lengths[2 * i] = lengths[2 * i + 1] = frame.length;
        }
        VarHandleBuffer broken = new VarHandleBuffer(hello());
        broken.putLong(FrameLayout.SOURCE_LSB_OFFSET, 1, LE);
        int brokenLength = broken.capacity();

        for (int round = 0; round < 3; round++) {
            long before = Allocations.ofCurrentThread();
            int valid = 0;
            for (int n = 0; n < 20_000; n++) {
                for (int i = 0; i < buffers.length; i++) {
                    if (i % 2 == 1) {
                        buffers[i].putBytes(0, buffers[i - 1], 0, lengths[i]);
                    }
                    valid += decoder.decode(buffers[i], 0, lengths[i]) ? 1 : 0;
                }
                decoder.decode(broken, 0, brokenLength);
            }
            long allocated = Allocations.ofCurrentThread() - before;
            assertEquals(20_000 * buffers.length, valid);
            if (round > 0) {
                // Decoding over 400,000 frames: anything per frame would show as megabytes.
                assertTrue(allocated < 16 * 1024, "decoding allocated " + allocated + " bytes");
            }
        }
    }

    @Test
    void printsNeitherTheRemoteKeyNorTheAddress() {
        int key = 0x5EC12E75;
        long address = 0x7E57_AB1E_0000_1234L;
        byte[] frame = frame(b -> encoder.encodeRendezvous(b, 0, FrameType.MESSAGE, 11, 2, address, 4242, key));
        assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length));
        String text = decoder.toString();
        assertTrue(text.contains("rendezvousLength=4242"), text);
        for (String secret : List.of(Integer.toString(key), Integer.toHexString(key), Integer.toUnsignedString(key),
            Long.toString(address), Long.toHexString(address))) {
            assertFalse(text.toLowerCase().contains(secret.toLowerCase()), text);
        }
    }

    @Test
    void accessorsRefuseTheWrongKindOfFrame() {
        byte[] frame = credit();
        assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length));
        assertThrows(IllegalStateException.class, decoder::segmentTotalLength);
        assertThrows(IllegalStateException.class, decoder::rendezvousKey);
        assertThrows(IllegalStateException.class, decoder::helloNodeId);
        assertThrows(IllegalStateException.class, decoder::errorCode);
        assertThrows(IllegalStateException.class, decoder::completedSequence);

        assertFalse(decoder.decode(new VarHandleBuffer(frame), 0, 3));
        assertThrows(IllegalStateException.class, decoder::type);
        assertTrue(decoder.toString().contains("TRUNCATED_HEADER"), decoder.toString());
    }

    @Test
    void countsEachRefusalUnderItsReason() {
        byte[] frame = message();
        decoder.decode(new VarHandleBuffer(frame), 0, 10);
        decoder.decode(new VarHandleBuffer(frame), 0, 10);
        decoder.decode(new VarHandleBuffer(frame), 0, frame.length - 1);
        decoder.decode(new VarHandleBuffer(frame), 0, frame.length);
        assertEquals(2, counters.count(DecodeError.TRUNCATED_HEADER));
        assertEquals(1, counters.count(DecodeError.TRUNCATED_PAYLOAD));
        assertEquals(3, counters.total());
        assertEquals(2L, counters.snapshot().get(DecodeError.TRUNCATED_HEADER));
        assertFalse(counters.snapshot().containsKey(DecodeError.BAD_MAGIC));
    }

    @Test
    void aRefusalCanBeAnsweredWithAnErrorFrameThatCarriesItsDescription() {
        byte[] oversized = segment();
        new VarHandleBuffer(oversized).putInt(P + FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, 1 << 30, LE);
        assertFalse(decoder.decode(new VarHandleBuffer(oversized), 0, oversized.length));
        DecodeFailure failure = decoder.failure();
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, failure.reason().answer());
        String reason = failure.describe();
        byte[] answer = frame(b -> encoder.encodeError(b, 0, 2, 0, failure.reason().answer(), 1, reason));
        assertTrue(decoder.decode(new VarHandleBuffer(answer), 0, answer.length));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, decoder.errorCode());
        assertEquals(reason, decoder.errorReason());
        assertTrue(reason.contains("maxMessageSize=65536"), reason);
        assertEquals(ErrorCode.REASSEMBLY_FAILED, DecodeError.SEGMENT_OVERLAP.answer());
        assertEquals(ErrorCode.PROTOCOL_ERROR, DecodeError.BAD_MAGIC.answer());
    }

    @Test
    void encoderRefusesImpossibleFramesBeforeWritingAnything() {
        byte[] bytes = new byte[P + 8];
        VarHandleBuffer buffer = new VarHandleBuffer(bytes);
        VarHandleBuffer payload = new VarHandleBuffer(new byte[64]);
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeMessage(buffer, 0, FrameType.MESSAGE, 1, 0, payload, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> encoder.encodeCredit(buffer, 0, 1, -1));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeMessage(buffer, 0, FrameType.CREDIT, 1, 0, payload, 0, 1));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeRendezvous(buffer, 0, FrameType.MESSAGE, 1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeSegment(buffer, 0, FrameType.MESSAGE, 1, 0, 1, 4, 3, payload, 0, 2));
        assertArrayEquals(new byte[bytes.length], bytes, "a refused frame leaves the buffer untouched");
        FrameEncoder anonymous = new FrameEncoder(NodeId.ofBits(NodeId.of("x").mostSignificantBits(), 5), 1, false);
        assertThrows(IllegalStateException.class,
            () -> anonymous.encodeHello(new VarHandleBuffer(new byte[1024]), 0, 1, 0, 10, 4096));
    }

    @Test
    void errorReasonsAreCutBetweenCodePointsAndMadeWellFormed() {
        String accents = "é".repeat(300);
        byte[] frame = frame(b -> encoder.encodeError(b, 0, 1, 0, ErrorCode.PROTOCOL_ERROR, 7, accents));
        assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length), decoder.failure()::describe);
        assertEquals("é".repeat(128), decoder.errorReason());
        assertEquals(7, decoder.errorRelatedSequence());

        String emoji = "a" + "\uD83D\uDE00".repeat(80);
        frame = frame(b -> encoder.encodeError(b, 0, 1, 0, ErrorCode.INTERNAL_ERROR, 0, emoji));
        assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length));
        assertEquals("a" + "\uD83D\uDE00".repeat(63), decoder.errorReason());

        frame = frame(b -> encoder.encodeError(b, 0, 1, 0, ErrorCode.INTERNAL_ERROR, 0, "x\uD800y"));
        assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length));
        assertEquals("x?y", decoder.errorReason());
    }

    private void expectRefusal(DecodeError reason, String field, byte[] valid, Consumer<VarHandleBuffer> damage) {
        assertTrue(decoder.decode(new VarHandleBuffer(valid), 0, valid.length), decoder.failure()::describe);
        byte[] bytes = valid.clone();
        damage.accept(new VarHandleBuffer(bytes));
        long before = counters.count(reason);
        assertFalse(decoder.decode(new VarHandleBuffer(bytes), 0, bytes.length), () -> "accepted: " + decoder);
        assertFailure(reason, field);
        assertEquals(before + 1, counters.count(reason));
    }

    private void assertFailure(DecodeError reason, String field) {
        assertEquals(reason, decoder.failure().reason(), decoder.failure()::describe);
        assertEquals(field, decoder.failure().field(), decoder.failure()::describe);
        assertTrue(decoder.failure().describe().startsWith(reason.name() + ": "), decoder.failure()::describe);
    }

    private byte[] message() {
        return frame(b -> encoder.encodeMessage(b, 0, FrameType.MESSAGE, 1, 4, new VarHandleBuffer(new byte[40]), 0, 40));
    }

    private byte[] segment() {
        return frame(b -> encoder.encodeSegment(b, 0, FrameType.MESSAGE, 1, 0, 5, 1000, 100,
            new VarHandleBuffer(new byte[50]), 0, 50));
    }

    private byte[] rendezvous(int key) {
        return frame(b -> encoder.encodeRendezvous(b, 0, FrameType.MESSAGE, 1, 0, 0x1000, 5000, key));
    }

    private byte[] credit() {
        return frame(b -> encoder.encodeCredit(b, 0, 1, 16));
    }

    private byte[] hello() {
        return frame(b -> encoder.encodeHello(b, 0, 1, 16, 1 << 20, 4096));
    }

    private byte[] error() {
        return frame(b -> encoder.encodeError(b, 0, 1, 0, ErrorCode.NO_CREDITS, 5, "no credits left"));
    }

    private static byte[] frame(java.util.function.ToIntFunction<MutableDirectBuffer> write) {
        VarHandleBuffer buffer = new VarHandleBuffer(new byte[8192]);
        int length = write.applyAsInt(buffer);
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
