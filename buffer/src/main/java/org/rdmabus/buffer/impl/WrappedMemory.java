package org.rdmabus.buffer.impl;

import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What a {@link org.rdmabus.buffer.VarHandleBuffer} wraps, and the {@code wrap} methods that change it. The memory is
 * either a {@code byte[]} (a heap array, or the array of a writable heap {@link ByteBuffer}) or a private duplicate
 * of a {@link ByteBuffer} (direct, mapped, or read-only heap), always with an offset and a capacity; the layers above
 * read and write it through Java's {@link java.lang.invoke.VarHandle}s only, never through {@code Unsafe}.
 *
 * <p>Only a raw native address cannot be wrapped: without {@code Unsafe} Java has no way to reach it.
 */
public abstract class WrappedMemory implements AtomicBuffer {
    private static final byte[] EMPTY = new byte[0];

    /** The heap array, or {@code null} when {@link #memory} holds the bytes. */
    byte[] array;
    /**
     * A duplicate of the wrapped buffer with its limit at its capacity, so that absolute access reaches every byte
     * whatever the owner does with position and limit; {@code null} when {@link #array} holds the bytes.
     */
    ByteBuffer memory;
    /** Whether {@link #memory} is direct: only direct memory takes atomic access on every JDK. */
    boolean direct;
    /** Index 0 of this buffer in {@link #array} or {@link #memory}. */
    int adjustment;
    int capacity;
    /** The buffer the caller wrapped, as {@link #byteBuffer()} returns it. */
    private ByteBuffer wrapped;

    /** For subclasses; the memory is empty until a {@code wrap}. */
    protected WrappedMemory() {
        wrap(EMPTY);
    }

    @Override
    public void wrap(byte[] buffer) {
        onArray(buffer, 0, buffer.length, null);
    }

    @Override
    public void wrap(byte[] buffer, int offset, int length) {
        checkWrap(offset, length, buffer.length);
        onArray(buffer, offset, length, null);
    }

    @Override
    public void wrap(ByteBuffer buffer) {
        onBuffer(buffer, 0, buffer.capacity());
    }

    @Override
    public void wrap(ByteBuffer buffer, int offset, int length) {
        checkWrap(offset, length, buffer.capacity());
        onBuffer(buffer, offset, length);
    }

    @Override
    public void wrap(DirectBuffer buffer) {
        onDirectBuffer(buffer, 0, buffer.capacity());
    }

    @Override
    public void wrap(DirectBuffer buffer, int offset, int length) {
        checkWrap(offset, length, buffer.capacity());
        onDirectBuffer(buffer, offset, length);
    }

    /**
     * Not supported: a raw address can only be read through {@code Unsafe}, which this buffer does without. Wrap a
     * direct {@link ByteBuffer} over the memory instead.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void wrap(long address, int length) {
        throw new UnsupportedOperationException("a VarHandleBuffer cannot wrap a raw address (" + address
            + "): Java reaches raw memory only through Unsafe; wrap a direct ByteBuffer instead");
    }

    /**
     * The address in Agrona's terms ({@code Unsafe} offset into the array, or native address), for Agrona code that
     * copies with {@code Unsafe}, such as an {@code UnsafeBuffer} taking bytes from this one. Only such code needs
     * it, and it runs only where Agrona can reach {@code jdk.internal.misc}: the same condition this method has,
     * as it asks Agrona.
     *
     * @return the address offset
     * @throws UnsupportedOperationException where Agrona cannot reach {@code Unsafe}, or for read-only heap memory,
     *     whose array Java does not hand out
     */
    @Override
    public long addressOffset() {
        if (memory != null && !direct) {
            throw new UnsupportedOperationException("read-only heap memory has no address Agrona could use");
        }
        try {
            return (array != null ? BufferUtil.ARRAY_BASE_OFFSET : BufferUtil.address(memory)) + adjustment;
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("addressOffset() asks Agrona, which cannot reach Unsafe here ("
                + e + "); only Agrona code that copies with Unsafe needs it", e);
        }
    }

    @Override
    public byte[] byteArray() {
        return array;
    }

    @Override
    public ByteBuffer byteBuffer() {
        return wrapped;
    }

    @Override
    public int wrapAdjustment() {
        return adjustment;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public boolean isExpandable() {
        return false;
    }

    @Override
    public void checkLimit(int limit) {
        if (limit > capacity) {
            throw new IndexOutOfBoundsException("limit=" + limit + " is beyond capacity=" + capacity);
        }
    }

    @Override
    public void boundsCheck(int index, int length) {
        check(index, length);
    }

    /** The bounds check every access makes first (Agrona's message, so errors read the same). */
    final void check(int index, int length) {
        if (index < 0 || length < 0 || index + (long) length > capacity) {
            throw new IndexOutOfBoundsException("index=" + index + " length=" + length + " capacity=" + capacity);
        }
    }

    private void onArray(byte[] bytes, int offset, int length, ByteBuffer owner) {
        array = bytes;
        memory = null;
        direct = false;
        adjustment = offset;
        capacity = length;
        wrapped = owner;
    }

    private void onBuffer(ByteBuffer buffer, int offset, int length) {
        if (buffer.hasArray()) {
            onArray(buffer.array(), buffer.arrayOffset() + offset, length, buffer);
        } else {
            onMemory(buffer.duplicate().clear(), offset, length, buffer);
        }
    }

    private void onMemory(ByteBuffer duplicate, int offset, int length, ByteBuffer owner) {
        array = null;
        memory = duplicate;
        direct = duplicate.isDirect();
        adjustment = offset;
        capacity = length;
        wrapped = owner;
    }

    private void onDirectBuffer(DirectBuffer buffer, int offset, int length) {
        if (buffer instanceof WrappedMemory other) {
            // Shares the other buffer's duplicate: re-wrapping a view on the data path allocates nothing.
            if (other.array != null) {
                onArray(other.array, other.adjustment + offset, length, other.wrapped);
            } else {
                onMemory(other.memory, other.adjustment + offset, length, other.wrapped);
            }
        } else if (buffer.byteArray() != null) {
            // Agrona's wrap adjustment is an index into the array whenever there is one.
            onArray(buffer.byteArray(), buffer.wrapAdjustment() + offset, length, buffer.byteBuffer());
        } else if (buffer.byteBuffer() != null) {
            onMemory(buffer.byteBuffer().duplicate().clear(), buffer.wrapAdjustment() + offset, length,
                buffer.byteBuffer());
        } else {
            throw new UnsupportedOperationException("a VarHandleBuffer cannot wrap " + buffer
                + ": it holds a raw address, which Java reaches only through Unsafe");
        }
    }

    private static void checkWrap(int offset, int length, int available) {
        if (offset < 0) {
            throw new IllegalArgumentException("invalid offset: " + offset);
        }
        if (length < 0) {
            throw new IllegalArgumentException("invalid length: " + length);
        }
        if (offset > available - length) {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " not valid for capacity="
                + available);
        }
    }
}
