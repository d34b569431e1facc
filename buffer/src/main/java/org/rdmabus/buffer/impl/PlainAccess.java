package org.rdmabus.buffer.impl;

import static org.rdmabus.buffer.impl.Views.ARRAY_INT;
import static org.rdmabus.buffer.impl.Views.ARRAY_LONG;
import static org.rdmabus.buffer.impl.Views.ARRAY_SHORT;
import static org.rdmabus.buffer.impl.Views.BUFFER_INT;
import static org.rdmabus.buffer.impl.Views.BUFFER_LONG;
import static org.rdmabus.buffer.impl.Views.BUFFER_SHORT;

import java.nio.ByteOrder;

/**
 * Plain reads and writes of single values, bounds-checked, in native byte order unless a {@link ByteOrder} is given.
 * Floating-point values travel as their raw bits, as in Agrona.
 */
public abstract class PlainAccess extends WrappedMemory {
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** For subclasses. */
    protected PlainAccess() {
    }

    @Override
    public long getLong(int index) {
        check(index, Long.BYTES);
        byte[] bytes = array;
        return bytes != null ? (long) ARRAY_LONG.get(bytes, adjustment + index)
            : (long) BUFFER_LONG.get(memory, adjustment + index);
    }

    @Override
    public void putLong(int index, long value) {
        check(index, Long.BYTES);
        byte[] bytes = array;
        if (bytes != null) {
            ARRAY_LONG.set(bytes, adjustment + index, value);
        } else {
            BUFFER_LONG.set(memory, adjustment + index, value);
        }
    }

    @Override
    public int getInt(int index) {
        check(index, Integer.BYTES);
        byte[] bytes = array;
        return bytes != null ? (int) ARRAY_INT.get(bytes, adjustment + index)
            : (int) BUFFER_INT.get(memory, adjustment + index);
    }

    @Override
    public void putInt(int index, int value) {
        check(index, Integer.BYTES);
        byte[] bytes = array;
        if (bytes != null) {
            ARRAY_INT.set(bytes, adjustment + index, value);
        } else {
            BUFFER_INT.set(memory, adjustment + index, value);
        }
    }

    @Override
    public short getShort(int index) {
        check(index, Short.BYTES);
        byte[] bytes = array;
        return bytes != null ? (short) ARRAY_SHORT.get(bytes, adjustment + index)
            : (short) BUFFER_SHORT.get(memory, adjustment + index);
    }

    @Override
    public void putShort(int index, short value) {
        check(index, Short.BYTES);
        byte[] bytes = array;
        if (bytes != null) {
            ARRAY_SHORT.set(bytes, adjustment + index, value);
        } else {
            BUFFER_SHORT.set(memory, adjustment + index, value);
        }
    }

    @Override
    public byte getByte(int index) {
        check(index, Byte.BYTES);
        byte[] bytes = array;
        return bytes != null ? bytes[adjustment + index] : memory.get(adjustment + index);
    }

    @Override
    public void putByte(int index, byte value) {
        check(index, Byte.BYTES);
        byte[] bytes = array;
        if (bytes != null) {
            bytes[adjustment + index] = value;
        } else {
            memory.put(adjustment + index, value);
        }
    }

    @Override
    public long getLong(int index, ByteOrder byteOrder) {
        long bits = getLong(index);
        return byteOrder == NATIVE ? bits : Long.reverseBytes(bits);
    }

    @Override
    public void putLong(int index, long value, ByteOrder byteOrder) {
        putLong(index, byteOrder == NATIVE ? value : Long.reverseBytes(value));
    }

    @Override
    public int getInt(int index, ByteOrder byteOrder) {
        int bits = getInt(index);
        return byteOrder == NATIVE ? bits : Integer.reverseBytes(bits);
    }

    @Override
    public void putInt(int index, int value, ByteOrder byteOrder) {
        putInt(index, byteOrder == NATIVE ? value : Integer.reverseBytes(value));
    }

    @Override
    public short getShort(int index, ByteOrder byteOrder) {
        short bits = getShort(index);
        return byteOrder == NATIVE ? bits : Short.reverseBytes(bits);
    }

    @Override
    public void putShort(int index, short value, ByteOrder byteOrder) {
        putShort(index, byteOrder == NATIVE ? value : Short.reverseBytes(value));
    }

    @Override
    public char getChar(int index) {
        return (char) getShort(index);
    }

    @Override
    public void putChar(int index, char value) {
        putShort(index, (short) value);
    }

    @Override
    public char getChar(int index, ByteOrder byteOrder) {
        return (char) getShort(index, byteOrder);
    }

    @Override
    public void putChar(int index, char value, ByteOrder byteOrder) {
        putShort(index, (short) value, byteOrder);
    }

    @Override
    public double getDouble(int index) {
        return Double.longBitsToDouble(getLong(index));
    }

    @Override
    public void putDouble(int index, double value) {
        putLong(index, Double.doubleToRawLongBits(value));
    }

    @Override
    public double getDouble(int index, ByteOrder byteOrder) {
        return Double.longBitsToDouble(getLong(index, byteOrder));
    }

    @Override
    public void putDouble(int index, double value, ByteOrder byteOrder) {
        putLong(index, Double.doubleToRawLongBits(value), byteOrder);
    }

    @Override
    public float getFloat(int index) {
        return Float.intBitsToFloat(getInt(index));
    }

    @Override
    public void putFloat(int index, float value) {
        putInt(index, Float.floatToRawIntBits(value));
    }

    @Override
    public float getFloat(int index, ByteOrder byteOrder) {
        return Float.intBitsToFloat(getInt(index, byteOrder));
    }

    @Override
    public void putFloat(int index, float value, ByteOrder byteOrder) {
        putInt(index, Float.floatToRawIntBits(value), byteOrder);
    }
}
