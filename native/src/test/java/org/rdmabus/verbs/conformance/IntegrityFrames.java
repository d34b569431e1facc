package org.rdmabus.verbs.conformance;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The frames of the cross-JVM data-integrity test: a 16-byte header (sequence, CRC32 of the payload, payload
 * length) and a pseudo-random payload. Both sides derive every payload length from the same seed.
 */
public final class IntegrityFrames {
    /** Header length: sequence (8), CRC32 (4), payload length (4). */
    public static final int HEADER = 16;
    /** The largest payload. */
    public static final int MAX_PAYLOAD = 64 * 1024;
    /** The largest frame. */
    public static final int MAX_FRAME = HEADER + MAX_PAYLOAD;

    private IntegrityFrames() {
    }

    /**
     * Writes frame {@code seq} with a payload of {@code payloadLength} bytes.
     *
     * @return the frame's length.
     */
    public static int write(AtomicBuffer buffer, int offset, long seq, int payloadLength) {
        long state = seq * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        int at = offset + HEADER;
        int end = at + payloadLength;
        for (; at + Long.BYTES <= end; at += Long.BYTES) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            buffer.putLong(at, state);
        }
        for (; at < end; at++) {
            buffer.putByte(at, (byte) seq);
        }
        buffer.putLong(offset, seq);
        buffer.putInt(offset + 8, crc(buffer, offset + HEADER, payloadLength));
        buffer.putInt(offset + 12, payloadLength);
        return HEADER + payloadLength;
    }

    /**
     * @return the CRC32 of {@code length} bytes of {@code buffer} at {@code offset}.
     */
    public static int crc(AtomicBuffer buffer, int offset, int length) {
        CRC32 crc = new CRC32();
        if (buffer.byteBuffer() != null) {
            ByteBuffer view = buffer.byteBuffer().duplicate();
            int base = buffer.wrapAdjustment();
            view.limit(base + offset + length).position(base + offset);
            crc.update(view);
        } else {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            crc.update(copy);
        }
        return (int) crc.getValue();
    }
}
