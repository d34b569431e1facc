package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.Reassembler.Outcome;

/** The reassembler's bounds, its order rules, incarnations and release. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReassemblerTest {
    private static final NodeId A = NodeId.of("11111111-1111-4111-8111-111111111111");
    private static final NodeId B = NodeId.of("22222222-2222-4222-8222-222222222222");
    private static final byte[] BYTES = new byte[4096];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) (i * 31 + 7);
        }
    }

    private final DecodeErrorCounters counters = new DecodeErrorCounters();
    private final CodecLimits limits = CodecLimits.defaults().withMaxMessageSize(4000).withMaxReassemblyBytes(10_000)
        .withMaxPartialMessagesPerSource(2).withMaxSources(3);
    private final Reassembler reassembler = new Reassembler(limits, counters);

    @Test
    void completesAMessageAndHandsItOver() {
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 300, 0, 100));
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 300, 100, 100));
        assertEquals(300, reassembler.reservedBytes());
        assertEquals(Outcome.COMPLETE, segment(A, 1, 1, 300, 200, 100));
        assertEquals(0, reassembler.reservedBytes());
        assertArrayEquals(slice(0, 300), reassembler.takeMessage());
        assertThrows(IllegalStateException.class, reassembler::takeMessage);
    }

    @Test
    void interleavedMessagesOfOneSourceAndOfSeveralSourcesStayApart() {
        NodeId sameLowBits = NodeId.ofBits(A.mostSignificantBits() ^ 0x10, A.leastSignificantBits());
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 200, 0, 100));
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 2, 300, 0, 100));
        assertEquals(Outcome.INCOMPLETE, segment(sameLowBits, 1, 1, 200, 0, 50));
        assertEquals(Outcome.COMPLETE, segment(A, 1, 1, 200, 100, 100));
        assertArrayEquals(slice(0, 200), reassembler.takeMessage());
        assertEquals(1, reassembler.completedMessageId());
        assertEquals(Outcome.COMPLETE, segment(sameLowBits, 1, 1, 200, 50, 150));
        assertArrayEquals(slice(0, 200), reassembler.takeMessage());
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 2, 300, 100, 100));
        assertEquals(1, reassembler.releaseSource(A.mostSignificantBits(), A.leastSignificantBits()));
        assertEquals(0, reassembler.reservedBytes());
        assertEquals(1, reassembler.sourceCount());
    }

    @Test
    void refusesAMessageOverTheMemoryBudgetAcrossSources() {
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 4000, 0, 10));
        assertEquals(Outcome.INCOMPLETE, segment(B, 1, 1, 4000, 0, 10));
        NodeId c = NodeId.of("node-c");
        assertEquals(Outcome.REJECTED, segment(c, 1, 1, 2001, 0, 10));
        assertEquals(DecodeError.REASSEMBLY_MEMORY_EXHAUSTED, reassembler.failure().reason());
        assertEquals("maxReassemblyBytes", reassembler.failure().limitName());
        assertEquals(10_000, reassembler.failure().limit());
        assertEquals(Outcome.INCOMPLETE, segment(c, 1, 1, 2000, 0, 10));
        assertEquals(10_000, reassembler.reservedBytes());

        assertEquals(1, reassembler.releaseSource(B.mostSignificantBits(), B.leastSignificantBits()));
        assertEquals(6_000, reassembler.reservedBytes());
        assertEquals(Outcome.INCOMPLETE, segment(B, 1, 2, 4000, 0, 10));
        assertEquals(3, reassembler.releaseAll());
        assertEquals(0, reassembler.reservedBytes());
        assertEquals(0, reassembler.sourceCount());
    }

    @Test
    void boundsPartialMessagesPerSource() {
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 100, 0, 10));
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 2, 100, 0, 10));
        assertEquals(Outcome.REJECTED, segment(A, 1, 3, 100, 0, 10));
        assertEquals(DecodeError.TOO_MANY_PARTIAL_MESSAGES, reassembler.failure().reason());
        assertEquals("maxPartialMessagesPerSource", reassembler.failure().limitName());
        assertEquals(Outcome.INCOMPLETE, segment(B, 1, 1, 100, 0, 10));
    }

    @Test
    void boundsSourcesButMakesRoomByForgettingIdleOnes() {
        NodeId c = NodeId.of("node-c");
        NodeId d = NodeId.of("node-d");
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 100, 0, 10));
        assertEquals(Outcome.INCOMPLETE, segment(B, 1, 1, 100, 0, 10));
        assertEquals(Outcome.INCOMPLETE, segment(c, 1, 1, 100, 0, 10));
        assertEquals(Outcome.REJECTED, segment(d, 1, 1, 100, 0, 10));
        assertEquals(DecodeError.TOO_MANY_SOURCES, reassembler.failure().reason());
        assertEquals(3, reassembler.failure().limit());

        assertEquals(Outcome.COMPLETE, segment(B, 1, 1, 100, 10, 90));
        assertEquals(Outcome.INCOMPLETE, segment(d, 1, 1, 100, 0, 10));
        assertEquals(3, reassembler.sourceCount());
        // B was forgotten while idle: its next message starts afresh.
        assertEquals(Outcome.REJECTED, segment(B, 1, 5, 100, 0, 10));
        assertEquals(DecodeError.TOO_MANY_SOURCES, reassembler.failure().reason());
    }

    @Test
    void refusesSegmentsOutOfOrderDuplicatedOrOverlapping() {
        assertEquals(Outcome.REJECTED, segment(A, 1, 1, 300, 100, 100));
        assertFailure(DecodeError.SEGMENT_OUT_OF_ORDER, "segment.offset");

        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 1, 300, 0, 100));
        assertEquals(Outcome.REJECTED, segment(A, 1, 1, 300, 50, 50));
        assertFailure(DecodeError.SEGMENT_DUPLICATE, "segment.offset");
        assertEquals(Outcome.COMPLETE, segment(A, 1, 1, 300, 100, 200));
        assertArrayEquals(slice(0, 300), reassembler.takeMessage());

        assertEquals(Outcome.REJECTED, segment(A, 1, 1, 300, 0, 100));
        assertFailure(DecodeError.SEGMENT_DUPLICATE, "segment.messageId");
        assertEquals(Outcome.REJECTED, segment(A, 1, 1, 300, 200, 100));
        assertFailure(DecodeError.SEGMENT_DUPLICATE, "segment.messageId");

        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 2, 300, 0, 100));
        assertEquals(Outcome.REJECTED, segment(A, 1, 2, 300, 90, 20));
        assertFailure(DecodeError.SEGMENT_OVERLAP, "segment.offset");
        assertEquals(0, reassembler.reservedBytes(), "an overlap discards its message");

        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 3, 300, 0, 100));
        assertEquals(Outcome.REJECTED, segment(A, 1, 3, 300, 150, 100));
        assertFailure(DecodeError.SEGMENT_OUT_OF_ORDER, "segment.offset");
        assertEquals(100, reassembler.failure().limit());
        assertEquals(0, reassembler.reservedBytes(), "a gap discards its message");

        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 4, 300, 0, 100));
        assertEquals(Outcome.REJECTED, segment(A, 1, 4, 301, 100, 100));
        assertFailure(DecodeError.SEGMENT_INCONSISTENT, "segment.totalLength");
        assertEquals(Outcome.INCOMPLETE, segment(A, 1, 5, 300, 0, 100));
        assertEquals(Outcome.REJECTED, reassembler.onSegment(A.mostSignificantBits(), A.leastSignificantBits(), 1,
            FrameType.REPLY, 5, 300, 100, new VarHandleBuffer(BYTES), 100, 100));
        assertFailure(DecodeError.SEGMENT_INCONSISTENT, "segment.type");
        assertEquals(0, reassembler.reservedBytes());
        assertEquals(8, counters.total());
    }

    @Test
    void aNewIncarnationDiscardsTheOldOnesPartsAndTheOldOneIsRefused() {
        assertEquals(Outcome.INCOMPLETE, segment(A, 5, 9, 300, 0, 100));
        assertEquals(Outcome.INCOMPLETE, segment(A, 6, 1, 200, 0, 100));
        assertEquals(200, reassembler.reservedBytes());
        assertEquals(Outcome.REJECTED, segment(A, 5, 9, 300, 100, 100));
        assertFailure(DecodeError.STALE_EPOCH, "segment.epoch");
        assertEquals(6, reassembler.failure().limit());
        assertEquals(Outcome.COMPLETE, segment(A, 6, 1, 200, 100, 100));
        assertArrayEquals(slice(0, 200), reassembler.takeMessage());
    }

    @Test
    void checksSegmentsGivenFieldByField() {
        VarHandleBuffer data = new VarHandleBuffer(BYTES);
        long msb = A.mostSignificantBits();
        long lsb = A.leastSignificantBits();
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.CREDIT, 1, 10, 0, data, 0, 10));
        assertFailure(DecodeError.BAD_SEGMENT, "segment.type");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, null, 1, 10, 0, data, 0, 10));
        assertFailure(DecodeError.BAD_SEGMENT, "segment.type");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.MESSAGE, 1, 0, 0, data, 0, 1));
        assertFailure(DecodeError.BAD_SEGMENT, "segment.totalLength");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.MESSAGE, 1, 10, -1, data, 0, 1));
        assertFailure(DecodeError.BAD_SEGMENT, "segment.offset");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.MESSAGE, 1, 10, 0, data, 0, 0));
        assertFailure(DecodeError.BAD_SEGMENT, "segment.dataLength");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.MESSAGE, 1, 10, 5, data, 0, 6));
        assertFailure(DecodeError.BAD_SEGMENT, "segment.end");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.MESSAGE, 1, 10, 0, data,
            BYTES.length - 5, 10));
        assertFailure(DecodeError.INVALID_BOUNDS, "segment.dataOffset");
        assertEquals(Outcome.REJECTED, reassembler.onSegment(msb, lsb, 1, FrameType.MESSAGE, 1, Integer.MAX_VALUE,
            Integer.MAX_VALUE - 10, data, 0, 10));
        assertFailure(DecodeError.MESSAGE_TOO_LARGE, "segment.totalLength");
        assertEquals(0, reassembler.sourceCount(), "refused segments leave no state behind");
    }

    @Test
    void allocatesOnlyTheMessageItselfAndNothingPerSegment() {
        CodecLimits roomy = CodecLimits.defaults().withMaxMessageSize(1 << 20);
        Reassembler large = new Reassembler(roomy, counters);
        VarHandleBuffer data = new VarHandleBuffer(new byte[1024]);
        long msb = A.mostSignificantBits();
        long lsb = A.leastSignificantBits();
        for (int round = 0; round < 5; round++) {
            long id = round + 1;
            long before = Allocations.ofCurrentThread();
            large.onSegment(msb, lsb, 1, FrameType.MESSAGE, id, 1 << 20, 0, data, 0, 1024);
            long first = Allocations.ofCurrentThread() - before;
            before = Allocations.ofCurrentThread();
            for (int at = 1024; at < (1 << 20) - 1024; at += 1024) {
                assertEquals(Outcome.INCOMPLETE, large.onSegment(msb, lsb, 1, FrameType.MESSAGE, id, 1 << 20, at, data,
                    0, 1024));
            }
            long rest = Allocations.ofCurrentThread() - before;
            assertEquals(Outcome.COMPLETE, large.onSegment(msb, lsb, 1, FrameType.MESSAGE, id, 1 << 20,
                (1 << 20) - 1024, data, 0, 1024));
            assertEquals(1 << 20, large.takeMessage().length);
            if (round > 0) {
                assertTrue(first >= 1 << 20 && first < (1 << 20) + 4096, "first segment allocated " + first);
                assertTrue(rest < 1024, "1,022 further segments allocated " + rest + " bytes");
            }
        }
    }

    private Outcome segment(NodeId source, long epoch, long messageId, int total, int offset, int length) {
        return reassembler.onSegment(source.mostSignificantBits(), source.leastSignificantBits(), epoch,
            FrameType.MESSAGE, messageId, total, offset, new VarHandleBuffer(BYTES), offset, length);
    }

    private void assertFailure(DecodeError reason, String field) {
        assertEquals(reason, reassembler.failure().reason(), reassembler.failure()::describe);
        assertEquals(field, reassembler.failure().field(), reassembler.failure()::describe);
    }

    private static byte[] slice(int from, int to) {
        return java.util.Arrays.copyOfRange(BYTES, from, to);
    }
}
