package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.Opcode;

class SendQueueTest {

    @Test
    void spaceCountsOutstandingRequestsUntilACompletionCoversThem() {
        SendQueue queue = new SendQueue(4);
        for (int i = 0; i < 4; i++) {
            queue.commit(queue.reserve(100 + i, Opcode.WRITE, 8));
        }
        assertEquals(0, queue.space());
        assertEquals(102, queue.wrId(3));
        assertEquals(Opcode.WRITE, queue.opcode(3));
        assertTrue(queue.claim(3), "a completion for #3 means #1..#3 finished");
        assertEquals(3, queue.space());
        assertFalse(queue.claim(2), "older completions are stale");
        assertTrue(queue.claim(4));
        assertEquals(4, queue.space());
    }

    @Test
    void aReservationThatIsNotCommittedTakesNoSpace() {
        SendQueue queue = new SendQueue(2);
        long sequence = queue.reserve(1, Opcode.SEND, 8);
        assertEquals(2, queue.space());
        assertEquals(sequence, queue.reserve(2, Opcode.READ, 8), "the same sequence is reused");
    }

    @Test
    void claimingOutstandingReportsEachOnceAndLateCompletionsAreDropped() {
        SendQueue queue = new SendQueue(8);
        for (int i = 1; i <= 5; i++) {
            queue.commit(queue.reserve(i * 10L, i % 2 == 0 ? Opcode.READ : Opcode.SEND, i));
        }
        assertTrue(queue.claim(2));
        List<String> flushed = new ArrayList<>();
        queue.claimOutstanding((wrId, opcode, length) -> flushed.add(wrId + ":" + opcode + ":" + length));
        assertEquals(List.of("30:SEND:3", "40:READ:4", "50:SEND:5"), flushed);
        assertFalse(queue.claim(4), "the NIC's flushed completion arrives after the reset reported it");
        queue.claimOutstanding((wrId, opcode, length) -> flushed.add("again"));
        assertEquals(3, flushed.size());
        assertEquals(8, queue.space());
    }

    @Test
    void unsignalledRunsAreBrokenEveryHalfQueue() {
        SendQueue queue = new SendQueue(8);
        int forced = 0;
        for (int i = 0; i < 16; i++) {
            if (queue.mustSignal(false)) {
                forced++;
            }
        }
        assertEquals(4, forced);
        assertFalse(queue.mustSignal(true), "a signalled request needs nothing extra");
    }

    @Test
    void sequenceNumbersExpandAcrossThe48BitWrap() {
        SendQueue queue = new SendQueue(4);
        long nearWrap = WorkRequestIds.SEQUENCE_MASK - 1;
        assertTrue(queue.claim(nearWrap));
        assertEquals(nearWrap + 3, queue.expand(WorkRequestIds.sequence(nearWrap + 3)));
        assertEquals(nearWrap, queue.expand(WorkRequestIds.sequence(nearWrap)));
    }

    @Test
    void workRequestIdsKeepTheirFields() {
        long send = WorkRequestIds.send(16383, 0xABCDEF012345L, true);
        assertFalse(WorkRequestIds.isReceive(send));
        assertTrue(WorkRequestIds.isSilent(send));
        assertEquals(16383, WorkRequestIds.queuePairSlot(send));
        assertEquals(0xABCDEF012345L, WorkRequestIds.sequence(send));
        assertFalse(WorkRequestIds.isSilent(WorkRequestIds.send(1, 1, false)));
        long receive = WorkRequestIds.receive(32767, -2);
        assertTrue(WorkRequestIds.isReceive(receive));
        assertEquals(32767, WorkRequestIds.receiveQueueSlot(receive));
        assertEquals(-2, WorkRequestIds.bufferSlot(receive));
    }
}
