package org.rdmabus.codec.impl;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Strict UTF-8 (RFC 3629) checks and encoding over Agrona buffers, without allocating. Strictness matters: a
 * decoded string must encode back to exactly the bytes received, so overlong forms, surrogates and code points
 * above U+10FFFF are refused rather than replaced.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * @param buffer the bytes.
     * @param offset where the text starts.
     * @param length its length in bytes.
     * @return whether the range is well-formed UTF-8.
     */
    public static boolean isWellFormed(DirectBuffer buffer, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int needed;
            int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                needed = 1;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                needed = 2;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                needed = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (end - i <= needed) {
                return false;
            }
            int codePoint = b0 & (0x3F >> needed);
            for (int k = 1; k <= needed; k++) {
                int b = buffer.getByte(i + k) & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return false;
            }
            i += needed + 1;
        }
        return true;
    }

    /**
     * @param text some text.
     * @return its length in UTF-8 bytes, or -1 if it holds an unpaired surrogate (it has no exact UTF-8 form).
     */
    public static int encodedLength(CharSequence text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return -1;
                }
                length += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Writes as much of {@code text} as fits in {@code maxBytes}, cutting only between code points. An unpaired
     * surrogate becomes {@code '?'}, as {@link String#getBytes} would do.
     *
     * @param text     the text.
     * @param buffer   where to write.
     * @param offset   where to start.
     * @param maxBytes the most bytes to write.
     * @return the number of bytes written.
     */
    public static int encodeTruncated(CharSequence text, MutableDirectBuffer buffer, int offset, int maxBytes) {
        int at = offset;
        int limit = offset + maxBytes;
        for (int i = 0; i < text.length(); i++) {
            int codePoint = text.charAt(i);
            if (Character.isHighSurrogate((char) codePoint) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint((char) codePoint, text.charAt(i + 1));
            } else if (Character.isSurrogate((char) codePoint)) {
                codePoint = '?';
            }
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (at + size > limit) {
                break;
            }
            if (size == 1) {
                buffer.putByte(at, (byte) codePoint);
            } else if (size == 2) {
                buffer.putByte(at, (byte) (0xC0 | (codePoint >> 6)));
                buffer.putByte(at + 1, (byte) (0x80 | (codePoint & 0x3F)));
            } else if (size == 3) {
                buffer.putByte(at, (byte) (0xE0 | (codePoint >> 12)));
                buffer.putByte(at + 1, (byte) (0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.putByte(at + 2, (byte) (0x80 | (codePoint & 0x3F)));
            } else {
                buffer.putByte(at, (byte) (0xF0 | (codePoint >> 18)));
                buffer.putByte(at + 1, (byte) (0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.putByte(at + 2, (byte) (0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.putByte(at + 3, (byte) (0x80 | (codePoint & 0x3F)));
                i++;
            }
            at += size;
        }
        return at - offset;
    }
}
