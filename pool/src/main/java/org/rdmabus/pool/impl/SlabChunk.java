package org.rdmabus.pool.impl;

import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.verbs.MemoryRegion;

/**
 * One fixed-size piece of a registered send slab. Exactly one owner holds it between {@link SendSlabs#allocate}
 * and {@link #release()}; releasing twice is a bug and throws, so a double free can never hand one chunk to two
 * messages.
 */
final class SlabChunk {
    private final SendSlabs slabs;
    private final int sizeClass;
    private final MemoryRegion region;
    private final int offset;
    private final int capacity;
    private final AtomicBoolean owned = new AtomicBoolean();

    SlabChunk(SendSlabs slabs, int sizeClass, MemoryRegion region, int offset, int capacity) {
        this.slabs = slabs;
        this.sizeClass = sizeClass;
        this.region = region;
        this.offset = offset;
        this.capacity = capacity;
    }

    /** @return the registered region the chunk lies in. */
    MemoryRegion region() {
        return region;
    }

    /** @return the region's bytes. */
    AtomicBuffer buffer() {
        return region.buffer();
    }

    /** @return where the chunk starts in its region. */
    int offset() {
        return offset;
    }

    /** @return the chunk's length. */
    int capacity() {
        return capacity;
    }

    int sizeClass() {
        return sizeClass;
    }

    boolean acquire() {
        return owned.compareAndSet(false, true);
    }

    /** Hands the chunk back to its slab. */
    void release() {
        if (!owned.compareAndSet(true, false)) {
            throw new IllegalStateException("send slab chunk released twice (offset " + offset + ")");
        }
        slabs.recycle(this);
    }
}
