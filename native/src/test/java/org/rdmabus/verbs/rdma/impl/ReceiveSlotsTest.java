package org.rdmabus.verbs.rdma.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionStatus;
import org.rdmabus.verbs.Opcode;

class ReceiveSlotsTest {

    @Test
    void aTicketLeadsBackToItsIdOnceAndTheSlotIsReused() {
        ReceiveSlots slots = new ReceiveSlots(2, 40);
        int first = slots.take(11, 64);
        int second = slots.take(12, 64);
        assertEquals(-1, slots.take(13, 64), "full");
        assertEquals(2, slots.posted());
        assertEquals(12, slots.wrIdOf(second));
        assertTrue(slots.release(second));
        assertFalse(slots.release(second), "a buffer completes once");
        assertEquals(1, slots.posted());
        int again = slots.take(14, 99);
        assertEquals(99, slots.lengthOf(again), "the buffer's length, for too-long datagrams");
        assertEquals(slots.index(second), slots.index(again), "the freed slot is reused");
        assertEquals(14, slots.wrIdOf(again));
        assertEquals(11, slots.wrIdOf(first));
        assertEquals(40, slots.headerLength());
    }

    @Test
    void aCompletionOfAnEarlierUseOfASlotIsRefused() {
        ReceiveSlots slots = new ReceiveSlots(1, 0);
        int stale = slots.take(1, 64);
        slots.flushAll(null);
        int fresh = slots.take(2, 64);
        assertEquals(slots.index(stale), slots.index(fresh));
        assertNotEquals(stale, fresh, "a new use of the slot gets a new ticket");
        assertEquals(0, slots.wrIdOf(stale));
        assertEquals(0, slots.lengthOf(stale));
        assertFalse(slots.release(stale), "the NIC's late completion of the flushed buffer is dropped");
        assertEquals(2, slots.wrIdOf(fresh), "and does not complete the buffer posted after it");
        assertTrue(slots.release(fresh));
    }

    @Test
    void ticketsStayNonNegativeThroughGenerationWrapAround() {
        ReceiveSlots slots = new ReceiveSlots(1 << 20, 0);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            int ticket = slots.take(i, 64);
            assertTrue(ticket >= 0, "ticket " + ticket);
            seen.add(ticket);
            assertTrue(slots.release(ticket));
        }
        assertEquals(2048, seen.size(), "11 generation bits with 2^20 slots: tickets repeat only after 2048 uses");
    }

    @Test
    void flushingReportsEveryPostedBufferAndFreesItsSlot() {
        ReceiveSlots slots = new ReceiveSlots(4, 40);
        slots.take(5, 64);
        int done = slots.take(6, 64);
        slots.take(7, 64);
        assertTrue(slots.release(done));
        RdmaCompletionQueue completions = new RdmaCompletionQueue(null, 0, 4);
        slots.flushAll(completions);
        assertEquals(0, slots.posted());
        Completion[] out = Completion.array(2);
        assertEquals(2, completions.poll(out));
        Set<Long> flushed = new HashSet<>();
        for (Completion completion : out) {
            assertEquals(CompletionStatus.FLUSHED, completion.status());
            assertEquals(Opcode.RECV, completion.opcode());
            flushed.add(completion.wrId());
        }
        assertEquals(Set.of(5L, 7L), flushed);
    }
}
