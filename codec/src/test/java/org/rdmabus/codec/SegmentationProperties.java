package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeTry;
import net.jqwik.api.constraints.IntRange;
import org.rdmabus.buffer.VarHandleBuffer;

/** Properties of segmentation and reassembly: exact round trips, faults in the stream, and oversized messages. */
class SegmentationProperties {
    private static final int MAX_MESSAGE = 256 * 1024;
    private static final CodecLimits LIMITS = CodecLimits.defaults().withMaxFrameLength(8192)
        .withMaxMessageSize(MAX_MESSAGE).withMaxReassemblyBytes(4L * MAX_MESSAGE);
    private static final NodeId SOURCE = NodeId.of("2f1d4c1e-8a47-4d5e-9a63-0c1b2d3e4f50");
    private static final long EPOCH = 7;
    private static final long MESSAGE_ID = 1000;
    private static final EnumSet<DecodeError> SEGMENT_REASONS = EnumSet.of(DecodeError.SEGMENT_OUT_OF_ORDER,
        DecodeError.SEGMENT_DUPLICATE, DecodeError.SEGMENT_OVERLAP, DecodeError.SEGMENT_INCONSISTENT);

    /** Faults a stream of segments can suffer. */
    enum Fault { DROP, DUPLICATE, SWAP, OVERLAP, INCONSISTENT_TOTAL, INCONSISTENT_TYPE }

    private DecodeErrorCounters counters;
    private FrameDecoder decoder;
    private Reassembler reassembler;

    @BeforeTry
    void freshReceiver() {
        // jqwik keeps one instance per property, not per try: every try gets a receiver of its own.
        counters = new DecodeErrorCounters();
        decoder = new FrameDecoder(LIMITS, counters);
        reassembler = new Reassembler(LIMITS, counters);
    }

    @Property(tries = 300)
    void segmentedMessagesReassembleToExactlyTheirBytes(@ForAll @IntRange(min = 1, max = 200_000) int length,
                                                         @ForAll @IntRange(min = 328, max = 8192) int frameLimit,
                                                         @ForAll @IntRange(max = 40) int messageOffset,
                                                         @ForAll boolean checksum, @ForAll long contentSeed) {
        byte[] message = content(length, contentSeed);
        VarHandleBuffer source = new VarHandleBuffer(new byte[messageOffset + length]);
        source.putBytes(messageOffset, message);
        List<byte[]> frames = segment(FrameType.MESSAGE, source, messageOffset, length, frameLimit, checksum);

        assertEquals(Segmenter.segmentCount(length, frameLimit), frames.size());
        int carried = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            assertTrue(frame.length <= frameLimit, "segment frame over the limit");
            assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length), decoder.failure()::describe);
            assertTrue(decoder.isSegment());
            carried += decoder.segmentDataLength();
            Reassembler.Outcome outcome = reassembler.onSegment(decoder);
            assertEquals(i == frames.size() - 1 ? Reassembler.Outcome.COMPLETE : Reassembler.Outcome.INCOMPLETE,
                outcome, reassembler.failure()::describe);
        }
        assertEquals(length, carried, "each message byte travels exactly once");
        assertEquals(FrameType.MESSAGE, reassembler.completedType());
        assertEquals(MESSAGE_ID, reassembler.completedMessageId());
        assertArrayEquals(message, reassembler.takeMessage());
        assertEquals(0, reassembler.reservedBytes());
        assertEquals(0, reassembler.partialMessageCount());
        assertEquals(0, counters.total());
    }

    @Property(tries = 600)
    void faultyStreamsAreRefusedWithTypedErrorsAndNeverDeliverWrongBytes(
        @ForAll @IntRange(min = 2_000, max = 60_000) int length, @ForAll @IntRange(min = 328, max = 2048) int frameLimit,
        @ForAll Fault fault, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] message = content(length, seed);
        List<byte[]> stream = segment(FrameType.MESSAGE, new VarHandleBuffer(message), 0, length, frameLimit, false);
        int n = stream.size();
        DecodeError expected = inject(fault, stream, message, frameLimit, random);

        List<DecodeError> refusals = new ArrayList<>();
        int completions = 0;
        for (byte[] frame : stream) {
            assertTrue(decoder.decode(new VarHandleBuffer(frame), 0, frame.length), decoder.failure()::describe);
            Reassembler.Outcome outcome = reassembler.onSegment(decoder);
            if (outcome == Reassembler.Outcome.REJECTED) {
                DecodeError reason = reassembler.failure().reason();
                assertNotNull(reason);
                assertTrue(SEGMENT_REASONS.contains(reason), reassembler.failure()::describe);
                refusals.add(reason);
            } else if (outcome == Reassembler.Outcome.COMPLETE) {
                completions++;
                assertArrayEquals(message, reassembler.takeMessage(), "a delivered message must be the one sent");
            }
            assertTrue(reassembler.reservedBytes() <= LIMITS.maxReassemblyBytes());
        }

        if (fault == Fault.DUPLICATE) {
            assertEquals(1, completions, "a duplicate must not stop or repeat delivery");
            assertEquals(List.of(DecodeError.SEGMENT_DUPLICATE), refusals);
        } else {
            assertEquals(0, completions, fault + " must not deliver");
            if (expected != null) {
                assertFalse(refusals.isEmpty(), fault + " was not refused");
                assertEquals(expected, refusals.get(0), "first refusal for " + fault + " of " + n + " segments");
            }
        }
        assertEquals(refusals.size(), counters.total(), "every refusal is counted");
        reassembler.releaseSource(SOURCE.mostSignificantBits(), SOURCE.leastSignificantBits());
        assertEquals(0, reassembler.reservedBytes(), "releasing the source frees everything it held");
        assertEquals(0, reassembler.sourceCount());
    }

    @Property(tries = 200)
    void oversizedMessagesAreRefusedBeforeAnyAllocationNamingTheLimit(
        @ForAll @IntRange(min = MAX_MESSAGE + 1) int declared, @ForAll @IntRange(min = 1, max = 4000) int dataLength,
        @ForAll boolean firstSegment) {
        FrameEncoder encoder = new FrameEncoder(SOURCE, EPOCH, false);
        VarHandleBuffer frame = new VarHandleBuffer(new byte[LIMITS.maxFrameLength()]);
        VarHandleBuffer data = new VarHandleBuffer(new byte[dataLength]);
        int segmentOffset = firstSegment ? 0 : declared - dataLength;
        int length = encoder.encodeSegment(frame, 0, FrameType.MESSAGE, 1, 0, MESSAGE_ID, declared, segmentOffset, data,
            0, dataLength);
        assertFalse(decoder.decode(frame, 0, length));
        assertTooLarge(decoder.failure(), declared);

        int rendezvous = encoder.encodeRendezvous(frame, 0, FrameType.REPLY, 2, 0, 0x7F00_0000_1000L, declared, 0x1234);
        assertFalse(decoder.decode(frame, 0, rendezvous));
        assertTooLarge(decoder.failure(), declared);

        // Straight into the reassembler too, as a transport with looser frame checks would do.
        reassembler.onSegment(SOURCE.mostSignificantBits(), SOURCE.leastSignificantBits(), EPOCH, FrameType.MESSAGE,
            MESSAGE_ID, declared, segmentOffset, data, 0, dataLength);
        long before = Allocations.ofCurrentThread();
        Reassembler.Outcome outcome = reassembler.onSegment(SOURCE.mostSignificantBits(),
            SOURCE.leastSignificantBits(), EPOCH, FrameType.MESSAGE, MESSAGE_ID, declared, segmentOffset, data, 0,
            dataLength);
        long allocated = Allocations.ofCurrentThread() - before;
        assertEquals(Reassembler.Outcome.REJECTED, outcome);
        assertTooLarge(reassembler.failure(), declared);
        assertTrue(allocated < 1024, "refusing a " + declared + "-byte message allocated " + allocated + " bytes");
        assertEquals(0, reassembler.reservedBytes());
    }

    private static void assertTooLarge(DecodeFailure failure, int declared) {
        assertEquals(DecodeError.MESSAGE_TOO_LARGE, failure.reason(), failure::describe);
        assertEquals(declared, failure.value());
        assertEquals("maxMessageSize", failure.limitName());
        assertEquals(MAX_MESSAGE, failure.limit());
        assertTrue(failure.describe().contains("maxMessageSize=" + MAX_MESSAGE), failure.describe());
    }

    /** Applies a fault to the stream; returns the refusal it must cause first, or null if it causes none. */
    private static DecodeError inject(Fault fault, List<byte[]> stream, byte[] message, int frameLimit,
                                      SplittableRandom random) {
        int n = stream.size();
        switch (fault) {
            case DROP -> {
                int i = random.nextInt(n);
                stream.remove(i);
                return i == n - 1 ? null : DecodeError.SEGMENT_OUT_OF_ORDER;
            }
            case DUPLICATE -> {
                int i = random.nextInt(n);
                stream.add(i + 1 + random.nextInt(n - i), stream.get(i).clone());
                return DecodeError.SEGMENT_DUPLICATE;
            }
            case SWAP -> {
                int i = random.nextInt(n - 1);
                int j = i + 1 + random.nextInt(n - 1 - i);
                byte[] early = stream.get(i);
                stream.set(i, stream.get(j));
                stream.set(j, early);
                return DecodeError.SEGMENT_OUT_OF_ORDER;
            }
            case OVERLAP -> {
                int k = 1 + random.nextInt(n - 1);
                int received = k * (frameLimit - FrameLayout.HEADER_LENGTH - FrameLayout.SEGMENT_HEADER_LENGTH);
                int back = 1 + random.nextInt(Math.min(received, 64));
                int forward = 1 + random.nextInt(Math.min(message.length - received, 64));
                stream.add(k, segmentFrame(FrameType.MESSAGE, message.length, received - back, message, back + forward));
                return DecodeError.SEGMENT_OVERLAP;
            }
            case INCONSISTENT_TOTAL, INCONSISTENT_TYPE -> {
                int k = 1 + random.nextInt(n - 1);
                byte[] next = stream.get(k);
                VarHandleBuffer view = new VarHandleBuffer(next);
                int offset = view.getInt(FrameLayout.HEADER_LENGTH + FrameLayout.SEGMENT_OFFSET_OFFSET,
                    ByteOrder.LITTLE_ENDIAN);
                int dataLength = next.length - FrameLayout.HEADER_LENGTH - FrameLayout.SEGMENT_HEADER_LENGTH;
                stream.set(k, fault == Fault.INCONSISTENT_TYPE
                    ? segmentFrame(FrameType.REPLY, message.length, offset, message, dataLength)
                    : segmentFrame(FrameType.MESSAGE, message.length + 1, offset, message, dataLength));
                return DecodeError.SEGMENT_INCONSISTENT;
            }
            default -> throw new IllegalArgumentException(fault.name());
        }
    }

    private static byte[] segmentFrame(FrameType type, int total, int offset, byte[] message, int dataLength) {
        FrameEncoder encoder = new FrameEncoder(SOURCE, EPOCH, false);
        VarHandleBuffer frame = new VarHandleBuffer(new byte[FrameLayout.HEADER_LENGTH + FrameLayout.SEGMENT_HEADER_LENGTH
            + dataLength]);
        int length = encoder.encodeSegment(frame, 0, type, 0, 0, MESSAGE_ID, total, offset, new VarHandleBuffer(message),
            offset, dataLength);
        return Arrays.copyOf(frame.byteArray(), length);
    }

    private static List<byte[]> segment(FrameType type, VarHandleBuffer message, int offset, int length, int frameLimit,
                                        boolean checksum) {
        Segmenter segmenter = new Segmenter(new FrameEncoder(SOURCE, EPOCH, checksum));
        segmenter.begin(type, MESSAGE_ID, message, offset, length, frameLimit);
        List<byte[]> frames = new ArrayList<>();
        long sequence = MESSAGE_ID;
        while (segmenter.hasNext()) {
            // Exactly the announced size: a frame that spilled over would throw here.
            byte[] slab = new byte[segmenter.nextFrameLength()];
            int written = segmenter.next(new VarHandleBuffer(slab), 0, sequence++, 1);
            assertEquals(slab.length, written);
            frames.add(slab);
        }
        assertEquals(0, segmenter.remaining());
        return frames;
    }

    private static byte[] content(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
