package org.rdmabus.buffer.impl;

import static org.agrona.AsciiEncoding.INT_MAX_DIGITS;
import static org.agrona.AsciiEncoding.LONG_MAX_DIGITS;
import static org.agrona.AsciiEncoding.MINUS_SIGN;
import static org.agrona.AsciiEncoding.MIN_INTEGER_VALUE;
import static org.agrona.AsciiEncoding.MIN_LONG_VALUE;
import static org.agrona.AsciiEncoding.ZERO;
import static org.agrona.AsciiEncoding.digitCount;
import static org.agrona.AsciiEncoding.isDigit;

import org.agrona.AsciiNumberFormatException;

/**
 * Agrona's ASCII decimal numbers: parsing with {@link AsciiNumberFormatException} for an empty range, a character
 * that is not a digit, or a value out of range (more digits than the type holds count as out of range, leading
 * zeros included, as in Agrona), and writing without allocating.
 */
public abstract class NumberText extends TextAccess {
    private static final long INT_NEGATIVE_LIMIT = -(long) Integer.MIN_VALUE;

    /** For subclasses. */
    protected NumberText() {
    }

    @Override
    public int parseNaturalIntAscii(int index, int length) {
        checkNotEmpty(index, length);
        return (int) parseDigits(index, length, index, Integer.MAX_VALUE, INT_MAX_DIGITS, "int");
    }

    @Override
    public long parseNaturalLongAscii(int index, int length) {
        checkNotEmpty(index, length);
        return parseDigits(index, length, index, Long.MAX_VALUE, LONG_MAX_DIGITS, "long");
    }

    @Override
    public int parseIntAscii(int index, int length) {
        boolean negative = checkSign(index, length, "int");
        long limit = negative ? INT_NEGATIVE_LIMIT : Integer.MAX_VALUE;
        long value = parseDigits(index, length, negative ? index + 1 : index, limit, INT_MAX_DIGITS, "int");
        return (int) (negative ? -value : value);
    }

    @Override
    public long parseLongAscii(int index, int length) {
        boolean negative = checkSign(index, length, "long");
        // 2^63 as an unsigned bound: a negative long reaches one further than a positive one.
        long limit = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        long value = parseDigits(index, length, negative ? index + 1 : index, limit, LONG_MAX_DIGITS, "long");
        return negative ? -value : value;
    }

    @Override
    public int putIntAscii(int index, int value) {
        if (value == Integer.MIN_VALUE) {
            putBytes(index, MIN_INTEGER_VALUE);
            return MIN_INTEGER_VALUE.length;
        }
        return value < 0 ? putNegative(index, -value, digitCount(-value)) : putNaturalIntAscii(index, value);
    }

    @Override
    public int putNaturalIntAscii(int index, int value) {
        return putNatural(index, value, value == 0 ? 1 : digitCount(value));
    }

    @Override
    public void putNaturalPaddedIntAscii(int offset, int length, int value) {
        check(offset, length);
        int remainder = value;
        for (int at = offset + length - 1; at >= offset; at--) {
            putByte(at, (byte) (ZERO + remainder % 10));
            remainder /= 10;
        }
        if (remainder != 0) {
            throw new NumberFormatException("Cannot write " + value + " in " + length + " bytes");
        }
    }

    /** Writes the digits ending before {@code endExclusive}; Agrona's contract writes nothing for 0. */
    @Override
    public int putNaturalIntAsciiFromEnd(int value, int endExclusive) {
        int length = digitCount(value);
        check(endExclusive - length, length);
        int at = endExclusive;
        for (int remainder = value; remainder > 0; remainder /= 10) {
            putByte(--at, (byte) (ZERO + remainder % 10));
        }
        return at;
    }

    @Override
    public int putNaturalLongAscii(int index, long value) {
        return putNatural(index, value, value == 0 ? 1 : digitCount(value));
    }

    @Override
    public int putLongAscii(int index, long value) {
        if (value == Long.MIN_VALUE) {
            putBytes(index, MIN_LONG_VALUE);
            return MIN_LONG_VALUE.length;
        }
        return value < 0 ? putNegative(index, -value, digitCount(-value)) : putNaturalLongAscii(index, value);
    }

    private int putNegative(int index, long magnitude, int digits) {
        check(index, digits + 1);
        putByte(index, MINUS_SIGN);
        return 1 + putNatural(index + 1, magnitude, digits);
    }

    private int putNatural(int index, long value, int digits) {
        check(index, digits);
        long remainder = value;
        for (int at = index + digits - 1; at >= index; at--) {
            putByte(at, (byte) (ZERO + remainder % 10));
            remainder /= 10;
        }
        return digits;
    }

    private void checkNotEmpty(int index, int length) {
        check(index, length);
        if (length <= 0) {
            throw new AsciiNumberFormatException("empty string: index=" + index + " length=" + length);
        }
    }

    /** @return whether the number starts with a minus sign, which must be followed by a digit. */
    private boolean checkSign(int index, int length, String type) {
        checkNotEmpty(index, length);
        boolean negative = getByte(index) == MINUS_SIGN;
        if (negative && length == 1) {
            throw error("error parsing " + type + ": ", index, length);
        }
        return negative;
    }

    /**
     * The digits from {@code start} to the end of the range as an unsigned value of at most {@code maxDigits}
     * digits (fewer than 20, so it fits 64 unsigned bits), bounded by {@code limit} compared unsigned.
     */
    private long parseDigits(int index, int length, int start, long limit, int maxDigits, String type) {
        int end = index + length;
        if (end - start > maxDigits) {
            throw error(type + " overflow parsing: ", index, length);
        }
        long value = 0;
        for (int at = start; at < end; at++) {
            byte digit = getByte(at);
            if (!isDigit(digit)) {
                throw error("error parsing " + type + ": ", index, length);
            }
            value = value * 10 + (digit - ZERO);
        }
        if (Long.compareUnsigned(value, limit) > 0) {
            throw error(type + " overflow parsing: ", index, length);
        }
        return value;
    }

    private AsciiNumberFormatException error(String what, int index, int length) {
        return new AsciiNumberFormatException(what + getStringWithoutLengthAscii(index, length));
    }
}
