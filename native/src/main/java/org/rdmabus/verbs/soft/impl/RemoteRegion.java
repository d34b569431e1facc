package org.rdmabus.verbs.soft.impl;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A peer's registered region as mapped here.
 *
 * @param rkey the region's key.
 * @param file the mapping.
 */
record RemoteRegion(int rkey, MappedFile file) {
    AtomicBuffer buffer() {
        return file.buffer();
    }
}
