package org.rdmabus.codec.impl;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The sources a reassembler holds state for, at most a fixed number. Lookups by 128-bit node id do not allocate:
 * a primitive map keyed by a 64-bit mix of the id, with a chain for ids that share a key.
 */
public final class SourceTable {
    private final Long2ObjectHashMap<SourceState> byKey = new Long2ObjectHashMap<>();
    private final SourceState[] slots;
    private final int maxPartials;
    private int size;

    /**
     * @param maxSources  how many sources may be held.
     * @param maxPartials how many partial messages each may hold.
     */
    public SourceTable(int maxSources, int maxPartials) {
        this.slots = new SourceState[maxSources];
        this.maxPartials = maxPartials;
    }

    /** @return how many sources are held. */
    public int size() {
        return size;
    }

    /**
     * @param index 0 to {@link #size()} - 1.
     * @return the source at that index.
     */
    public SourceState at(int index) {
        return slots[index];
    }

    /**
     * @param msb the high half of a node id.
     * @param lsb the low half.
     * @return its state, or {@code null}.
     */
    public SourceState find(long msb, long lsb) {
        for (SourceState s = byKey.get(key(msb, lsb)); s != null; s = s.nextInBucket) {
            if (s.mostSignificantBits == msb && s.leastSignificantBits == lsb) {
                return s;
            }
        }
        return null;
    }

    /**
     * Adds a source. When the table is full, a source without partial messages makes room (its history of
     * begun message ids is forgotten); if every source has one, nothing is added.
     *
     * @param msb   the high half of its node id.
     * @param lsb   the low half.
     * @param epoch its incarnation.
     * @return its new state, or {@code null} if the table is full of sources with partial messages.
     */
    public SourceState add(long msb, long lsb, long epoch) {
        SourceState state;
        if (size < slots.length) {
            state = slots[size];
            if (state == null) {
                state = new SourceState(maxPartials);
                slots[size] = state;
            }
            state.slot = size;
            size++;
        } else {
            state = idleSource();
            if (state == null) {
                return null;
            }
            unlink(state);
        }
        state.reset(msb, lsb, epoch);
        long key = key(msb, lsb);
        state.nextInBucket = byKey.get(key);
        byKey.put(key, state);
        return state;
    }

    /**
     * Removes a source; the caller must have discarded its partial messages.
     *
     * @param state a held source.
     */
    public void remove(SourceState state) {
        unlink(state);
        int last = --size;
        SourceState moved = slots[last];
        slots[last] = state;
        slots[state.slot] = moved;
        moved.slot = state.slot;
        state.slot = last;
    }

    private SourceState idleSource() {
        for (int i = 0; i < size; i++) {
            if (slots[i].partialCount() == 0) {
                return slots[i];
            }
        }
        return null;
    }

    private void unlink(SourceState state) {
        long key = key(state.mostSignificantBits, state.leastSignificantBits);
        SourceState head = byKey.get(key);
        if (head == state) {
            if (state.nextInBucket == null) {
                byKey.remove(key);
            } else {
                byKey.put(key, state.nextInBucket);
            }
        } else {
            SourceState previous = head;
            while (previous.nextInBucket != state) {
                previous = previous.nextInBucket;
            }
            previous.nextInBucket = state.nextInBucket;
        }
        state.nextInBucket = null;
    }

    private static long key(long msb, long lsb) {
        return msb ^ Long.rotateLeft(lsb, 29);
    }
}
