package org.rdmabus.codec.impl;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;

/**
 * CRC32C over a range of any {@link DirectBuffer}: heap, direct or raw address, without allocating per call.
 * One instance per thread.
 */
public final class Crc32cCalculator {
    private static final int CHUNK = 4096;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer viewedBuffer;
    private ByteBuffer view;
    private byte[] chunk;

    /** Creates a calculator. */
    public Crc32cCalculator() {
    }

    /**
     * @param buffer the bytes.
     * @param index  where the range starts.
     * @param length its length.
     * @return the CRC32C of the range.
     */
    public int compute(DirectBuffer buffer, int index, int length) {
        crc.reset();
        byte[] array = buffer.byteArray();
        if (array != null) {
            // Agrona's wrap adjustment is the buffer's start in its array, or in its ByteBuffer when it has no array.
            crc.update(array, buffer.wrapAdjustment() + index, length);
            return (int) crc.getValue();
        }
        ByteBuffer wrapped = buffer.byteBuffer();
        if (wrapped != null) {
            ByteBuffer slice = viewOf(wrapped);
            int start = buffer.wrapAdjustment() + index;
            slice.limit(start + length).position(start);
            crc.update(slice);
            return (int) crc.getValue();
        }
        // A buffer over a raw address: no array or ByteBuffer to hand to CRC32C, so go through a small copy.
        if (chunk == null) {
            chunk = new byte[CHUNK];
        }
        for (int done = 0; done < length; done += CHUNK) {
            int n = Math.min(CHUNK, length - done);
            buffer.getBytes(index + done, chunk, 0, n);
            crc.update(chunk, 0, n);
        }
        return (int) crc.getValue();
    }

    private ByteBuffer viewOf(ByteBuffer wrapped) {
        // A private view, so positions set here never disturb the buffer's owner; made once per distinct buffer.
        if (wrapped != viewedBuffer) {
            viewedBuffer = wrapped;
            view = wrapped.duplicate();
        }
        view.clear();
        return view;
    }
}
