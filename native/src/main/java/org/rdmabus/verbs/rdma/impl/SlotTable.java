package org.rdmabus.verbs.rdma.impl;

import java.util.Arrays;

/**
 * Objects by small integer slot, for lookups from the completion path that must not allocate or lock.
 * Registration and release lock; {@link #get(int)} reads a volatile array.
 * <p>
 * Fresh slots are used before freed ones, and freed ones in the order they were freed, so a slot is reused as
 * late as possible: a stale completion of a destroyed object is then very unlikely to meet a new owner.
 *
 * @param <T> what the slots hold.
 */
final class SlotTable<T> {
    private final int maxSlots;
    private volatile Object[] slots = new Object[16];
    private int next;
    private int[] free = new int[8];
    private int freeHead;
    private int freeCount;

    /** @param maxSlots how many slots may exist at once. */
    SlotTable(int maxSlots) {
        this.maxSlots = maxSlots;
    }

    /**
     * @param value what to register.
     * @return its slot.
     * @throws IllegalStateException when every slot is in use.
     */
    synchronized int add(T value) {
        int slot;
        if (next < maxSlots) {
            slot = next++;
        } else if (freeCount > 0) {
            slot = free[freeHead];
            freeHead = (freeHead + 1) % free.length;
            freeCount--;
        } else {
            throw new IllegalStateException("more than " + maxSlots + " objects of one kind on one NIC");
        }
        Object[] current = slots;
        if (slot >= current.length) {
            current = Arrays.copyOf(current, Math.min(maxSlots, current.length * 2));
        } else {
            current = current.clone();
        }
        current[slot] = value;
        slots = current;
        return slot;
    }

    /** @param slot a slot from {@link #add}, freed. */
    synchronized void remove(int slot) {
        Object[] current = slots.clone();
        current[slot] = null;
        slots = current;
        if (freeCount == free.length) {
            int[] grown = new int[free.length * 2];
            for (int i = 0; i < freeCount; i++) {
                grown[i] = free[(freeHead + i) % free.length];
            }
            free = grown;
            freeHead = 0;
        }
        free[(freeHead + freeCount) % free.length] = slot;
        freeCount++;
    }

    /**
     * @param slot a slot.
     * @return what it holds, or {@code null}.
     */
    @SuppressWarnings("unchecked")
    T get(int slot) {
        Object[] current = slots;
        return slot >= 0 && slot < current.length ? (T) current[slot] : null;
    }
}
