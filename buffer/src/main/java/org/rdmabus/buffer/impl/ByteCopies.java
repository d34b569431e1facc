package org.rdmabus.buffer.impl;

import static org.rdmabus.buffer.impl.Views.BUFFER_LONG;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Ranges of bytes: copies to and from arrays, {@link ByteBuffer}s and other buffers (through
 * {@link System#arraycopy} and the JDK's absolute bulk {@link ByteBuffer} methods, which copy as fast as
 * {@code Unsafe} does), filling, and Agrona's content equality, hash and order.
 *
 * <p>Like Agrona, a {@link ByteBuffer} argument is bounded by its capacity, not its limit, and its position moves
 * only in the methods without an explicit offset.
 */
public abstract class ByteCopies extends PlainAccess {

    /** For subclasses. */
    protected ByteCopies() {
    }

    @Override
    public void getBytes(int index, byte[] dst) {
        getBytes(index, dst, 0, dst.length);
    }

    @Override
    public void getBytes(int index, byte[] dst, int offset, int length) {
        check(index, length);
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (array != null) {
            System.arraycopy(array, adjustment + index, dst, offset, length);
        } else {
            memory.get(adjustment + index, dst, offset, length);
        }
    }

    @Override
    public void getBytes(int index, MutableDirectBuffer dstBuffer, int dstIndex, int length) {
        dstBuffer.putBytes(dstIndex, this, index, length);
    }

    @Override
    public void getBytes(int index, ByteBuffer dstBuffer, int length) {
        int dstOffset = dstBuffer.position();
        getBytes(index, dstBuffer, dstOffset, length);
        dstBuffer.position(dstOffset + length);
    }

    @Override
    public void getBytes(int index, ByteBuffer dstBuffer, int dstOffset, int length) {
        check(index, length);
        ByteBuffer dst = wholeOf(dstBuffer, dstOffset, length);
        if (array != null) {
            dst.put(dstOffset, array, adjustment + index, length);
        } else {
            dst.put(dstOffset, memory, adjustment + index, length);
        }
    }

    @Override
    public void putBytes(int index, byte[] src) {
        putBytes(index, src, 0, src.length);
    }

    @Override
    public void putBytes(int index, byte[] src, int offset, int length) {
        check(index, length);
        Objects.checkFromIndexSize(offset, length, src.length);
        if (array != null) {
            System.arraycopy(src, offset, array, adjustment + index, length);
        } else {
            memory.put(adjustment + index, src, offset, length);
        }
    }

    @Override
    public void putBytes(int index, ByteBuffer srcBuffer, int length) {
        int srcIndex = srcBuffer.position();
        putBytes(index, srcBuffer, srcIndex, length);
        srcBuffer.position(srcIndex + length);
    }

    @Override
    public void putBytes(int index, ByteBuffer srcBuffer, int srcIndex, int length) {
        check(index, length);
        ByteBuffer src = wholeOf(srcBuffer, srcIndex, length);
        if (array != null) {
            src.get(srcIndex, array, adjustment + index, length);
        } else {
            memory.put(adjustment + index, src, srcIndex, length);
        }
    }

    @Override
    public void putBytes(int index, DirectBuffer srcBuffer, int srcIndex, int length) {
        check(index, length);
        srcBuffer.boundsCheck(srcIndex, length);
        if (!(srcBuffer instanceof WrappedMemory src)) {
            // Any other buffer knows how to copy its own memory, raw addresses included, into an array or a ByteBuffer.
            if (array != null) {
                srcBuffer.getBytes(srcIndex, array, adjustment + index, length);
            } else if (memory.isReadOnly()) {
                throw new ReadOnlyBufferException();
            } else {
                srcBuffer.getBytes(srcIndex, memory, adjustment + index, length);
            }
        } else if (src.array != null) {
            putBytes(index, src.array, src.adjustment + srcIndex, length);
        } else if (array != null) {
            src.memory.get(src.adjustment + srcIndex, array, adjustment + index, length);
        } else {
            memory.put(adjustment + index, src.memory, src.adjustment + srcIndex, length);
        }
    }

    @Override
    public void setMemory(int index, int length, byte value) {
        check(index, length);
        if (array != null) {
            Arrays.fill(array, adjustment + index, adjustment + index + length, value);
            return;
        }
        long word = (value & 0xFFL) * 0x0101010101010101L;
        int at = adjustment + index;
        int end = at + length;
        for (; at <= end - Long.BYTES; at += Long.BYTES) {
            BUFFER_LONG.set(memory, at, word);
        }
        for (; at < end; at++) {
            memory.put(at, value);
        }
    }

    /** Equal to another buffer of the same class with the same capacity and content, as in Agrona. */
    @Override
    public boolean equals(Object obj) {
        if (this == obj) {
            return true;
        }
        if (obj == null || getClass() != obj.getClass()) {
            return false;
        }
        DirectBuffer that = (DirectBuffer) obj;
        return capacity == that.capacity() && compareTo(that) == 0;
    }

    /** Agrona's content hash: eight bytes at a time in native order, then the tail byte by byte. */
    @Override
    public int hashCode() {
        int hash = 19;
        int i = 0;
        for (int end = capacity & ~7; i < end; i += Long.BYTES) {
            hash = 31 * hash + Long.hashCode(getLong(i));
        }
        for (; i < capacity; i++) {
            hash = 31 * hash + getByte(i);
        }
        return hash;
    }

    /**
     * Agrona's order, so that mixed collections sort the same: eight bytes at a time as signed native-order
     * {@code long}s, then the tail as signed bytes, then the capacity.
     */
    @Override
    public int compareTo(DirectBuffer that) {
        if (this == that) {
            return 0;
        }
        int length = Math.min(capacity, that.capacity());
        int i = 0;
        for (int end = length & ~7; i < end; i += Long.BYTES) {
            int cmp = Long.compare(getLong(i), that.getLong(i));
            if (cmp != 0) {
                return cmp;
            }
        }
        for (; i < length; i++) {
            int cmp = Byte.compare(getByte(i), that.getByte(i));
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(capacity, that.capacity());
    }

    /**
     * The buffer itself when its limit admits the range, else a duplicate reaching its capacity (Agrona's bound);
     * the common case allocates nothing.
     */
    private static ByteBuffer wholeOf(ByteBuffer buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.capacity());
        return offset + length <= buffer.limit() ? buffer : buffer.duplicate().clear();
    }
}
