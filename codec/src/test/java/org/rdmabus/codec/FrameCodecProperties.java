package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.agrona.MutableDirectBuffer;
import org.rdmabus.buffer.VarHandleBuffer;

/** Properties of single frames: round trip, truncation, corruption and lengths that point past the bytes. */
class FrameCodecProperties {
    private static final CodecLimits LIMITS = CodecLimits.defaults().withMaxFrameLength(2048)
        .withMaxMessageSize(1 << 20);
    private static final Set<DecodeError> TRUNCATION = EnumSet.of(DecodeError.TRUNCATED_HEADER,
        DecodeError.TRUNCATED_PAYLOAD);

    private final DecodeErrorCounters counters = new DecodeErrorCounters();
    private final FrameDecoder decoder = new FrameDecoder(LIMITS, counters);

    @Provide
    Arbitrary<FrameSample> frames() {
        return FrameSample.frames(LIMITS);
    }

    @Provide
    Arbitrary<FrameSample> framesWithText() {
        return net.jqwik.api.Arbitraries.oneOf(FrameSample.hellos(), FrameSample.errors());
    }

    @Property(tries = 1500)
    void everyFrameKindRoundTrips(@ForAll("frames") FrameSample sample, @ForAll @IntRange(max = 64) int offset,
                                  @ForAll boolean direct) {
        MutableDirectBuffer buffer = direct
            ? new VarHandleBuffer(ByteBuffer.allocateDirect(offset + LIMITS.maxFrameLength()))
            : new VarHandleBuffer(new byte[offset + LIMITS.maxFrameLength()]);
        int length = sample.encode(buffer, offset);

        assertTrue(decoder.decode(buffer, offset, length), () -> decoder.failure().describe() + " for " + sample);
        sample.assertDecoded(decoder);
        assertEquals(length, decoder.frameLength());
        Statistics.label("kind").collect(sample.kind);
        Statistics.label("kind").coverage(coverage -> {
            for (FrameSample.Kind kind : FrameSample.Kind.values()) {
                coverage.check(kind).count(count -> count > 0);
            }
        });
    }

    @Property(tries = 300)
    void everyPrefixIsTruncatedNeverAFrame(@ForAll("frames") FrameSample sample) {
        byte[] frame = encode(sample);
        for (int prefix = 0; prefix < frame.length; prefix++) {
            // An exactly-sized buffer: any read past the prefix would throw, and the property would fail.
            byte[] bytes = java.util.Arrays.copyOf(frame, prefix);
            assertFalse(decoder.decode(new VarHandleBuffer(bytes), 0, prefix), () -> "prefix decoded: " + sample);
            assertTrue(TRUNCATION.contains(decoder.failure().reason()),
                "prefix " + prefix + " of " + frame.length + ": " + decoder.failure().describe());
        }
    }

    @Property(tries = 300)
    void trailingBytesAreALengthMismatch(@ForAll("frames") FrameSample sample,
                                         @ForAll @IntRange(min = 1, max = 32) int extra) {
        byte[] frame = encode(sample);
        byte[] bytes = java.util.Arrays.copyOf(frame, frame.length + extra);
        assertFalse(decoder.decode(new VarHandleBuffer(bytes), 0, bytes.length));
        DecodeError reason = decoder.failure().reason();
        assertTrue(reason == DecodeError.LENGTH_MISMATCH
                || (reason == DecodeError.FRAME_TOO_LARGE && bytes.length > LIMITS.maxFrameLength()),
            decoder.failure()::describe);
    }

    @Property(tries = 250)
    void everySingleByteCorruptionIsRefusedOrReencodesExactly(@ForAll("frames") FrameSample sample,
                                                               @ForAll long maskSeed) {
        byte[] frame = encode(sample);
        java.util.SplittableRandom masks = new java.util.SplittableRandom(maskSeed);
        for (int at = 0; at < frame.length; at++) {
            byte[] corrupted = frame.clone();
            corrupted[at] ^= (byte) (1 + masks.nextInt(255));
            boolean decoded = checkRefusedOrExact(corrupted, sample);
            if (sample.header.checksum()) {
                // CRC32C catches every error within 32 bits, and the magic and the checksum field are checked exactly.
                assertFalse(decoded, () -> "corruption undetected despite checksum: " + sample);
            }
        }
    }

    @Property(tries = 500)
    void multiByteCorruptionIsRefusedOrReencodesExactly(@ForAll("frames") FrameSample sample, @ForAll long seed,
                                                         @ForAll @IntRange(min = 2, max = 16) int flips) {
        byte[] frame = encode(sample);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[] corrupted = frame.clone();
        for (int i = 0; i < flips; i++) {
            corrupted[random.nextInt(corrupted.length)] ^= (byte) (1 + random.nextInt(255));
        }
        checkRefusedOrExact(corrupted, sample);
    }

    @Property(tries = 500)
    void rangesPastTheBufferAreRefused(@ForAll("frames") FrameSample sample,
                                       @ForAll @IntRange(min = -8, max = 8) int offsetShift,
                                       @ForAll @IntRange(min = 1, max = 1 << 20) int excess) {
        byte[] frame = encode(sample);
        VarHandleBuffer buffer = new VarHandleBuffer(frame);
        int offset = Math.max(-8, Math.min(offsetShift, frame.length));
        int length = frame.length - Math.max(0, offset) + excess;
        assertFalse(decoder.decode(buffer, offset, length));
        assertEquals(DecodeError.INVALID_BOUNDS, decoder.failure().reason(), decoder.failure()::describe);
        assertFalse(decoder.decode(buffer, 0, -excess));
        assertEquals(DecodeError.INVALID_BOUNDS, decoder.failure().reason());
    }

    @Property(tries = 800)
    void announcedLengthsThatDisagreeWithTheBytesAreRefused(@ForAll("frames") FrameSample sample,
                                                            @ForAll int announced) {
        byte[] frame = encode(sample);
        int actual = frame.length - FrameLayout.HEADER_LENGTH;
        net.jqwik.api.Assume.that(announced != actual);
        VarHandleBuffer buffer = new VarHandleBuffer(frame);
        buffer.putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, announced, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertFalse(decoder.decode(buffer, 0, frame.length));
        assertTrue(EnumSet.of(DecodeError.LENGTH_MISMATCH, DecodeError.TRUNCATED_PAYLOAD, DecodeError.FRAME_TOO_LARGE)
            .contains(decoder.failure().reason()), decoder.failure()::describe);
    }

    @Property(tries = 800)
    void textLengthsThatDisagreeWithTheBytesAreRefused(@ForAll("framesWithText") FrameSample sample,
                                                       @ForAll @IntRange(max = 0xFFFF) int announced) {
        byte[] frame = encode(sample);
        int field = FrameLayout.HEADER_LENGTH + (sample.kind == FrameSample.Kind.HELLO
            ? FrameLayout.HELLO_NODE_ID_LENGTH_OFFSET : FrameLayout.ERROR_REASON_LENGTH_OFFSET);
        VarHandleBuffer buffer = new VarHandleBuffer(frame);
        int actual = buffer.getShort(field, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        net.jqwik.api.Assume.that(announced != actual);
        buffer.putShort(field, (short) announced, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertFalse(decoder.decode(buffer, 0, frame.length));
        Set<DecodeError> expected = sample.header.checksum() ? EnumSet.of(DecodeError.CHECKSUM_MISMATCH)
            : EnumSet.of(DecodeError.LENGTH_MISMATCH, DecodeError.BAD_TEXT, DecodeError.BAD_HELLO);
        assertTrue(expected.contains(decoder.failure().reason()), decoder.failure()::describe);
    }

    /** @return whether the corrupted frame decoded (and then re-encoded to exactly its bytes). */
    private boolean checkRefusedOrExact(byte[] corrupted, FrameSample sample) {
        long refusalsBefore = counters.total();
        if (!decoder.decode(new VarHandleBuffer(corrupted), 0, corrupted.length)) {
            assertNotNull(decoder.failure().reason());
            assertEquals(refusalsBefore + 1, counters.total(), "every refusal is counted once");
            return false;
        }
        VarHandleBuffer again = new VarHandleBuffer(new byte[corrupted.length + FrameLayout.MAX_REASON_LENGTH]);
        int length = Reencoder.reencode(decoder, again, 0);
        byte[] reencoded = java.util.Arrays.copyOf(again.byteArray(), length);
        assertArrayEquals(corrupted, reencoded, () -> "decoded " + decoder + " from " + HexFormat.of()
            .formatHex(corrupted) + " (original " + sample + ") but it encodes as " + HexFormat.of().formatHex(reencoded));
        return true;
    }

    private static byte[] encode(FrameSample sample) {
        VarHandleBuffer buffer = new VarHandleBuffer(new byte[LIMITS.maxFrameLength()]);
        int length = sample.encode(buffer, 0);
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }
}
