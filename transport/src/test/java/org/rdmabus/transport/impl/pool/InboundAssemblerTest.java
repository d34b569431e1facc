package org.rdmabus.transport.impl.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.rdmabus.buffer.VarHandleBuffer;
import org.junit.jupiter.api.Test;
import org.rdmabus.codec.DecodeErrorCounters;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.ReceivedMessage;

/** A node that leaves the cluster takes its partial messages and its source entry with it. */
class InboundAssemblerTest {

    private static final int TOTAL = 10_000;
    private static final int SEGMENT = 1_000;

    private final List<String> delivered = new ArrayList<>();
    private final InboundAssembler assembler = new InboundAssembler((source, message) -> delivered.add(source), (source, buffer, offset, length, handle) -> handle.release(),
        64 * 1024, new DecodeErrorCounters());

    @Test
    void aDepartedSourceIsReleasedAndOneThatStaysKeepsItsPartialMessage() {
        String departing = UUID.randomUUID().toString();
        String staying = UUID.randomUUID().toString();
        firstSegment(departing, 1);
        firstSegment(staying, 1);
        assertEquals(2, assembler.heldSources());
        assertTrue(assembler.heldBytes() >= 2L * TOTAL, "both partial messages hold their reassembly buffers: " + assembler.heldBytes());

        assembler.peerLeft(departing);
        assertEquals(1, assembler.releaseDeparted());

        assertEquals(1, assembler.heldSources(), "the departed source's entry is gone");
        assertTrue(assembler.heldBytes() >= TOTAL && assembler.heldBytes() < 2L * TOTAL, "only the staying source's message is held: " + assembler.heldBytes());
        // The staying source's message still completes.
        for (int offset = SEGMENT; offset < TOTAL; offset += SEGMENT) {
            segment(staying, 1, offset);
        }
        assertEquals(List.of(staying), delivered);
        assertEquals(0, assembler.heldBytes());
    }

    @Test
    void releasingASourceThatSentNothingIsHarmless() {
        assembler.peerLeft(UUID.randomUUID().toString());
        assertEquals(1, assembler.releaseDeparted());
        assertEquals(0, assembler.releaseDeparted(), "each departure is released once");
        assertEquals(0, assembler.heldSources());
    }

    private void firstSegment(String source, long messageId) {
        segment(source, messageId, 0);
    }

    private void segment(String source, long messageId, int offset) {
        byte[] frame = new byte[FrameLayout.SEGMENT_HEADER_LENGTH + SEGMENT];
        VarHandleBuffer buffer = new VarHandleBuffer(frame);
        buffer.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, messageId, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, TOTAL, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, offset, ByteOrder.LITTLE_ENDIAN);
        Handle handle = new Handle();
        assembler.onMessage(source, buffer, 0, frame.length, handle);
        assertTrue(handle.released, "the receive buffer is released");
    }

    /** A receive buffer lent by the pool: a segment of an event-bus message. */
    private static final class Handle implements ReceivedMessage {
        private boolean released;

        @Override
        public FrameType type() {
            return FrameType.MESSAGE;
        }

        @Override
        public int flags() {
            return FrameLayout.FLAG_SEGMENT;
        }

        @Override
        public long sequence() {
            return 0;
        }

        @Override
        public void release() {
            released = true;
        }

        @Override
        public boolean isReleased() {
            return released;
        }
    }
}
