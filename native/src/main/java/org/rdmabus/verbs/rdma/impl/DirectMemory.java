package org.rdmabus.verbs.rdma.impl;

import java.nio.ByteBuffer;

/**
 * Aligned direct memory for the NIC and its native address, without {@code Unsafe}: the alignment comes from
 * slicing a larger direct buffer, the address from this module's JNI library. Usable once
 * {@link NativeLibraryLoader} has loaded it, as everything in the rdma provider is.
 */
final class DirectMemory {

    private DirectMemory() {
    }

    /**
     * @param capacity  how many bytes.
     * @param alignment a power of two the first byte's address is a multiple of.
     * @return zeroed direct memory, freed when the buffer is garbage.
     */
    static ByteBuffer allocateAligned(int capacity, int alignment) {
        if (Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        ByteBuffer larger = ByteBuffer.allocateDirect(Math.addExact(capacity, alignment - 1));
        int misalignment = larger.alignmentOffset(0, alignment);
        return larger.slice(misalignment == 0 ? 0 : alignment - misalignment, capacity);
    }

    /**
     * @param buffer a direct buffer.
     * @return the native address of its first byte.
     */
    static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("only direct memory has an address the NIC can use: " + buffer);
        }
        return VerbsNative.bufferAddress(buffer);
    }
}
