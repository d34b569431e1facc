package org.rdmabus.pool.impl;

import org.agrona.concurrent.AtomicBuffer;
import org.rdmabus.verbs.MemoryRegion;

/**
 * Touches every page of a freshly registered region at start-up, so the memory behind it exists before the first
 * message needs it. Without this, the first frames into each receive buffer (written by the sender's NIC) or out of
 * each send chunk pay for allocating the page on the data path.
 */
final class Pages {
    private static final int PAGE = 4096;

    private Pages() {
    }

    static void touch(MemoryRegion region) {
        AtomicBuffer buffer = region.buffer();
        int length = region.length();
        for (int offset = 0; offset < length; offset += PAGE) {
            buffer.putByte(offset, buffer.getByte(offset));
        }
    }
}
