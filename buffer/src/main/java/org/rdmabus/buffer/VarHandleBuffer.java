package org.rdmabus.buffer;

import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.rdmabus.buffer.impl.AtomicAccess;

/**
 * An Agrona {@link org.agrona.concurrent.AtomicBuffer} that reaches its memory through Java's
 * {@link java.lang.invoke.VarHandle}s instead of {@code Unsafe}: a drop-in for Agrona's {@code UnsafeBuffer} that
 * needs no {@code --add-exports} on any JDK, and prints no deprecation warning on JDKs that deprecate
 * {@code sun.misc.Unsafe}. rdmabus builds all its buffers with it; pass one (or any Agrona buffer) wherever an
 * rdmabus method takes a {@link DirectBuffer}.
 *
 * <p>Differences from {@code UnsafeBuffer}, each where Java offers no way without {@code Unsafe}:
 * <ul>
 *   <li>it cannot wrap a raw native address ({@link #wrap(long, int)} throws); wrap a direct {@link ByteBuffer};</li>
 *   <li>atomic and ordered access (volatile, acquire/release, opaque, compare-and-set, get-and-add) needs direct
 *       memory, aligned to the value's size, and throws {@link IllegalStateException} on a {@code byte[]};</li>
 *   <li>{@link #addressOffset()} works only where Agrona itself reaches {@code Unsafe}, which is where the Agrona
 *       code that needs it runs;</li>
 *   <li>bounds are always checked.</li>
 * </ul>
 * Everything else (values in native order unless one is given, the string and ASCII-number encodings, equality,
 * hash and order) behaves as in {@code UnsafeBuffer}. Not thread-safe for {@code wrap}; the memory accesses are as
 * safe as their access mode says.
 */
public final class VarHandleBuffer extends AtomicAccess {

    /** An empty buffer, to {@code wrap} later. */
    public VarHandleBuffer() {
    }

    /** @param buffer the array to wrap, all of it. */
    public VarHandleBuffer(byte[] buffer) {
        wrap(buffer);
    }

    /**
     * @param buffer the array.
     * @param offset where this buffer's index 0 lies in it.
     * @param length this buffer's capacity.
     */
    public VarHandleBuffer(byte[] buffer, int offset, int length) {
        wrap(buffer, offset, length);
    }

    /** @param buffer the buffer to wrap, from index 0 to its capacity, whatever its position and limit. */
    public VarHandleBuffer(ByteBuffer buffer) {
        wrap(buffer);
    }

    /**
     * @param buffer the buffer.
     * @param offset where this buffer's index 0 lies in it.
     * @param length this buffer's capacity.
     */
    public VarHandleBuffer(ByteBuffer buffer, int offset, int length) {
        wrap(buffer, offset, length);
    }

    /** @param buffer the buffer whose memory to wrap, all of it; not one over a raw address. */
    public VarHandleBuffer(DirectBuffer buffer) {
        wrap(buffer);
    }

    /**
     * @param buffer the buffer whose memory to wrap; not one over a raw address.
     * @param offset where this buffer's index 0 lies in it.
     * @param length this buffer's capacity.
     */
    public VarHandleBuffer(DirectBuffer buffer, int offset, int length) {
        wrap(buffer, offset, length);
    }

    @Override
    public String toString() {
        return "VarHandleBuffer{capacity=" + capacity() + ", wrapAdjustment=" + wrapAdjustment() + ", byteArray="
            + (byteArray() == null ? "null" : "byte[" + byteArray().length + "]") + ", byteBuffer=" + byteBuffer() + '}';
    }
}
