package org.rdmabus.buffer.impl;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteOrder;
import org.agrona.LangUtil;

/**
 * Agrona's string encodings: ASCII (every character above 127 written and appended as {@code '?'}) and UTF-8, with
 * or without a 4-byte length ahead of the bytes ({@link #STR_HEADER_LEN}, native order unless one is given).
 * A {@code null} string is written as length 0 in ASCII and as the four bytes {@code "null"} in UTF-8, as Agrona does.
 */
public abstract class TextAccess extends ByteCopies {
    private static final byte[] NULL_UTF8 = "null".getBytes(UTF_8);

    /** For subclasses. */
    protected TextAccess() {
    }

    @Override
    public String getStringAscii(int index) {
        return getStringAscii(index, ByteOrder.nativeOrder());
    }

    @Override
    public String getStringAscii(int index, ByteOrder byteOrder) {
        int length = getInt(index, byteOrder);
        return length == 0 ? "" : getStringWithoutLengthAscii(index + STR_HEADER_LEN, length);
    }

    @Override
    public int getStringAscii(int index, Appendable appendable) {
        return getStringAscii(index, appendable, ByteOrder.nativeOrder());
    }

    @Override
    public int getStringAscii(int index, Appendable appendable, ByteOrder byteOrder) {
        int length = getInt(index, byteOrder);
        return length == 0 ? 0 : getStringWithoutLengthAscii(index + STR_HEADER_LEN, length, appendable);
    }

    @Override
    public String getStringAscii(int index, int length) {
        return new String(bytesAt(index + STR_HEADER_LEN, length), US_ASCII);
    }

    @Override
    public int getStringAscii(int index, int length, Appendable appendable) {
        check(index, length + STR_HEADER_LEN);
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, length, appendable);
    }

    @Override
    public String getStringWithoutLengthAscii(int index, int length) {
        return new String(bytesAt(index, length), US_ASCII);
    }

    @Override
    public int getStringWithoutLengthAscii(int index, int length, Appendable appendable) {
        check(index, length);
        try {
            for (int i = index; i < index + length; i++) {
                char c = (char) getByte(i);
                appendable.append(c > 127 ? '?' : c);
            }
        } catch (IOException e) {
            LangUtil.rethrowUnchecked(e);
        }
        return length;
    }

    @Override
    public int putStringAscii(int index, String value) {
        return putStringAscii(index, (CharSequence) value, ByteOrder.nativeOrder());
    }

    @Override
    public int putStringAscii(int index, CharSequence value) {
        return putStringAscii(index, value, ByteOrder.nativeOrder());
    }

    @Override
    public int putStringAscii(int index, String value, ByteOrder byteOrder) {
        return putStringAscii(index, (CharSequence) value, byteOrder);
    }

    @Override
    public int putStringAscii(int index, CharSequence value, ByteOrder byteOrder) {
        if (value == null) {
            putInt(index, 0);
            return STR_HEADER_LEN;
        }
        check(index, value.length() + STR_HEADER_LEN);
        putInt(index, value.length(), byteOrder);
        return STR_HEADER_LEN + putStringWithoutLengthAscii(index + STR_HEADER_LEN, value);
    }

    @Override
    public int putStringWithoutLengthAscii(int index, String value) {
        return putStringWithoutLengthAscii(index, (CharSequence) value);
    }

    @Override
    public int putStringWithoutLengthAscii(int index, CharSequence value) {
        return value == null ? 0 : putStringWithoutLengthAscii(index, value, 0, value.length());
    }

    @Override
    public int putStringWithoutLengthAscii(int index, String value, int valueOffset, int length) {
        return putStringWithoutLengthAscii(index, (CharSequence) value, valueOffset, length);
    }

    @Override
    public int putStringWithoutLengthAscii(int index, CharSequence value, int valueOffset, int length) {
        if (value == null) {
            return 0;
        }
        int written = Math.min(value.length() - valueOffset, length);
        check(index, written);
        for (int i = 0; i < written; i++) {
            char c = value.charAt(valueOffset + i);
            putByte(index + i, (byte) (c > 127 ? '?' : c));
        }
        return written;
    }

    @Override
    public String getStringUtf8(int index) {
        return getStringUtf8(index, ByteOrder.nativeOrder());
    }

    @Override
    public String getStringUtf8(int index, ByteOrder byteOrder) {
        int length = getInt(index, byteOrder);
        return length == 0 ? "" : getStringWithoutLengthUtf8(index + STR_HEADER_LEN, length);
    }

    @Override
    public String getStringUtf8(int index, int length) {
        return new String(bytesAt(index + STR_HEADER_LEN, length), UTF_8);
    }

    @Override
    public String getStringWithoutLengthUtf8(int index, int length) {
        return new String(bytesAt(index, length), UTF_8);
    }

    @Override
    public int putStringUtf8(int index, String value) {
        return putStringUtf8(index, value, ByteOrder.nativeOrder(), Integer.MAX_VALUE);
    }

    @Override
    public int putStringUtf8(int index, String value, ByteOrder byteOrder) {
        return putStringUtf8(index, value, byteOrder, Integer.MAX_VALUE);
    }

    @Override
    public int putStringUtf8(int index, String value, int maxEncodedLength) {
        return putStringUtf8(index, value, ByteOrder.nativeOrder(), maxEncodedLength);
    }

    @Override
    public int putStringUtf8(int index, String value, ByteOrder byteOrder, int maxEncodedLength) {
        byte[] bytes = utf8(value);
        if (bytes.length > maxEncodedLength) {
            throw new IllegalArgumentException("Encoded string larger than maximum size: " + maxEncodedLength);
        }
        check(index, STR_HEADER_LEN + bytes.length);
        putInt(index, bytes.length, byteOrder);
        putBytes(index + STR_HEADER_LEN, bytes);
        return STR_HEADER_LEN + bytes.length;
    }

    @Override
    public int putStringWithoutLengthUtf8(int index, String value) {
        byte[] bytes = utf8(value);
        putBytes(index, bytes);
        return bytes.length;
    }

    private byte[] bytesAt(int index, int length) {
        check(index, length);
        byte[] bytes = new byte[length];
        getBytes(index, bytes);
        return bytes;
    }

    private static byte[] utf8(String value) {
        return value == null ? NULL_UTF8 : value.getBytes(UTF_8);
    }
}
