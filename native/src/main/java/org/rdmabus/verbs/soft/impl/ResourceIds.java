package org.rdmabus.verbs.soft.impl;

/**
 * Hands out ids for one kind of resource: the low {@value #SLOT_BITS} bits name a slot in a fixed table, the
 * rest count how often the slot was reused, so a stale id (a closed target's number, a deregistered region's
 * rkey) never names its successor. Ids are positive and never 0. Not thread-safe: the NIC serialises calls.
 */
final class ResourceIds {
    /** Bits of an id that name the slot. */
    public static final int SLOT_BITS = 10;
    /** Slots per table: the most live resources of one kind per NIC. */
    public static final int MAX_SLOTS = 1 << SLOT_BITS;
    private static final int SLOT_MASK = MAX_SLOTS - 1;
    private static final int MAX_GENERATION = Integer.MAX_VALUE >>> SLOT_BITS;

    private final String kind;
    private final int[] generations = new int[MAX_SLOTS];
    private final boolean[] used = new boolean[MAX_SLOTS];
    private int next;

    /** @param kind what the ids name, for error messages. */
    public ResourceIds(String kind) {
        this.kind = kind;
    }

    /**
     * @param id an id from {@link #allocate()}.
     * @return its slot.
     */
    public static int slotOf(int id) {
        return id & SLOT_MASK;
    }

    /**
     * @return a fresh id.
     * @throws org.rdmabus.verbs.VerbsException when every slot is in use.
     */
    public int allocate() {
        for (int i = 0; i < MAX_SLOTS; i++) {
            int slot = (next + i) & SLOT_MASK;
            if (!used[slot]) {
                used[slot] = true;
                next = slot + 1;
                int generation = generations[slot] == MAX_GENERATION ? 1 : generations[slot] + 1;
                generations[slot] = generation;
                return (generation << SLOT_BITS) | slot;
            }
        }
        throw new org.rdmabus.verbs.VerbsException("too many " + kind + " on one soft NIC (at most " + MAX_SLOTS
            + "): close some first");
    }

    /** @param id an id to give back. */
    public void release(int id) {
        used[slotOf(id)] = false;
    }
}
