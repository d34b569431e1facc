package org.rdmabus.buffer.impl;

import static org.rdmabus.buffer.impl.Views.BUFFER_INT;
import static org.rdmabus.buffer.impl.Views.BUFFER_LONG;
import static org.rdmabus.buffer.impl.Views.BUFFER_SHORT;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Volatile, acquire/release, opaque and atomic read-modify-write access through {@link VarHandle}s over direct
 * memory, the only memory on which the JDK guarantees them (JDK 17 also takes heap arrays, later JDKs refuse them,
 * so this buffer refuses heap memory on every JDK rather than work on one and fail on the next). A {@code long}
 * or {@code int} must be aligned to its size in memory; the {@link VarHandle} throws {@link IllegalStateException}
 * where it is not.
 *
 * <p>{@code addLongOpaque} and {@code addIntOpaque} are, as in Agrona, an opaque read then an opaque write: not
 * atomic, for a single writer.
 */
public abstract class AtomicAccess extends NumberText {

    /** For subclasses. */
    protected AtomicAccess() {
    }

    /**
     * @throws IllegalStateException if the memory is on the heap, or not aligned to {@link #ALIGNMENT} bytes.
     */
    @Override
    public void verifyAlignment() {
        if (!direct) {
            throw heapMemory();
        }
        if (memory.alignmentOffset(adjustment, ALIGNMENT) != 0) {
            throw new IllegalStateException("AtomicBuffer is not correctly aligned: index 0 lies "
                + memory.alignmentOffset(adjustment, ALIGNMENT) + " bytes past a multiple of " + ALIGNMENT);
        }
    }

    @Override
    public long getLongVolatile(int index) {
        return (long) BUFFER_LONG.getVolatile(atomic(index, Long.BYTES), adjustment + index);
    }

    @Override
    public void putLongVolatile(int index, long value) {
        BUFFER_LONG.setVolatile(atomic(index, Long.BYTES), adjustment + index, value);
    }

    @Override
    public long getLongAcquire(int index) {
        return (long) BUFFER_LONG.getAcquire(atomic(index, Long.BYTES), adjustment + index);
    }

    @Override
    public void putLongOrdered(int index, long value) {
        putLongRelease(index, value);
    }

    @Override
    public void putLongRelease(int index, long value) {
        BUFFER_LONG.setRelease(atomic(index, Long.BYTES), adjustment + index, value);
    }

    @Override
    public long addLongOrdered(int index, long increment) {
        return addLongRelease(index, increment);
    }

    @Override
    public long addLongRelease(int index, long increment) {
        return (long) BUFFER_LONG.getAndAddRelease(atomic(index, Long.BYTES), adjustment + index, increment);
    }

    @Override
    public void putLongOpaque(int index, long value) {
        BUFFER_LONG.setOpaque(atomic(index, Long.BYTES), adjustment + index, value);
    }

    @Override
    public long getLongOpaque(int index) {
        return (long) BUFFER_LONG.getOpaque(atomic(index, Long.BYTES), adjustment + index);
    }

    @Override
    public long addLongOpaque(int index, long increment) {
        long old = getLongOpaque(index);
        putLongOpaque(index, old + increment);
        return old;
    }

    @Override
    public boolean compareAndSetLong(int index, long expectedValue, long updateValue) {
        return BUFFER_LONG.compareAndSet(atomic(index, Long.BYTES), adjustment + index, expectedValue, updateValue);
    }

    @Override
    public long compareAndExchangeLong(int index, long expectedValue, long updateValue) {
        return (long) BUFFER_LONG.compareAndExchange(atomic(index, Long.BYTES), adjustment + index, expectedValue,
            updateValue);
    }

    @Override
    public long getAndSetLong(int index, long value) {
        return (long) BUFFER_LONG.getAndSet(atomic(index, Long.BYTES), adjustment + index, value);
    }

    @Override
    public long getAndAddLong(int index, long delta) {
        return (long) BUFFER_LONG.getAndAdd(atomic(index, Long.BYTES), adjustment + index, delta);
    }

    @Override
    public int getIntVolatile(int index) {
        return (int) BUFFER_INT.getVolatile(atomic(index, Integer.BYTES), adjustment + index);
    }

    @Override
    public void putIntVolatile(int index, int value) {
        BUFFER_INT.setVolatile(atomic(index, Integer.BYTES), adjustment + index, value);
    }

    @Override
    public int getIntAcquire(int index) {
        return (int) BUFFER_INT.getAcquire(atomic(index, Integer.BYTES), adjustment + index);
    }

    @Override
    public void putIntOrdered(int index, int value) {
        putIntRelease(index, value);
    }

    @Override
    public void putIntRelease(int index, int value) {
        BUFFER_INT.setRelease(atomic(index, Integer.BYTES), adjustment + index, value);
    }

    @Override
    public int addIntOrdered(int index, int increment) {
        return addIntRelease(index, increment);
    }

    @Override
    public int addIntRelease(int index, int increment) {
        return (int) BUFFER_INT.getAndAddRelease(atomic(index, Integer.BYTES), adjustment + index, increment);
    }

    @Override
    public void putIntOpaque(int index, int value) {
        BUFFER_INT.setOpaque(atomic(index, Integer.BYTES), adjustment + index, value);
    }

    @Override
    public int getIntOpaque(int index) {
        return (int) BUFFER_INT.getOpaque(atomic(index, Integer.BYTES), adjustment + index);
    }

    @Override
    public int addIntOpaque(int index, int increment) {
        int old = getIntOpaque(index);
        putIntOpaque(index, old + increment);
        return old;
    }

    @Override
    public boolean compareAndSetInt(int index, int expectedValue, int updateValue) {
        return BUFFER_INT.compareAndSet(atomic(index, Integer.BYTES), adjustment + index, expectedValue, updateValue);
    }

    @Override
    public int compareAndExchangeInt(int index, int expectedValue, int updateValue) {
        return (int) BUFFER_INT.compareAndExchange(atomic(index, Integer.BYTES), adjustment + index, expectedValue,
            updateValue);
    }

    @Override
    public int getAndSetInt(int index, int value) {
        return (int) BUFFER_INT.getAndSet(atomic(index, Integer.BYTES), adjustment + index, value);
    }

    @Override
    public int getAndAddInt(int index, int delta) {
        return (int) BUFFER_INT.getAndAdd(atomic(index, Integer.BYTES), adjustment + index, delta);
    }

    @Override
    public short getShortVolatile(int index) {
        return (short) BUFFER_SHORT.getVolatile(atomic(index, Short.BYTES), adjustment + index);
    }

    @Override
    public void putShortVolatile(int index, short value) {
        BUFFER_SHORT.setVolatile(atomic(index, Short.BYTES), adjustment + index, value);
    }

    @Override
    public char getCharVolatile(int index) {
        return (char) getShortVolatile(index);
    }

    @Override
    public void putCharVolatile(int index, char value) {
        putShortVolatile(index, (short) value);
    }

    /**
     * Java has no {@code VarHandle} over single bytes of a buffer, so a plain read (a byte never tears) followed by
     * an acquire fence: the fences the memory model places around a volatile read.
     */
    @Override
    public byte getByteVolatile(int index) {
        byte value = atomic(index, Byte.BYTES).get(adjustment + index);
        VarHandle.acquireFence();
        return value;
    }

    /** A release fence, a plain write, then a full fence: the fences of a volatile write (see the read). */
    @Override
    public void putByteVolatile(int index, byte value) {
        ByteBuffer bytes = atomic(index, Byte.BYTES);
        VarHandle.releaseFence();
        bytes.put(adjustment + index, value);
        VarHandle.fullFence();
    }

    private ByteBuffer atomic(int index, int length) {
        check(index, length);
        if (!direct) {
            throw heapMemory();
        }
        return memory;
    }

    private IllegalStateException heapMemory() {
        return new IllegalStateException("atomic access needs direct memory (a direct or mapped ByteBuffer): the "
            + "JDK's VarHandles do not guarantee it on heap memory; this buffer wraps "
            + (array != null ? "a byte[]" : "a heap ByteBuffer"));
    }
}
