package org.rdmabus.codec.impl;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.BufferUtil;
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
            crc.update(array, (int) (buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + index, length);
            return (int) crc.getValue();
        }
        ByteBuffer wrapped = buffer.byteBuffer();
        if (wrapped != null && wrapped.isDirect()) {
            ByteBuffer slice = viewOf(wrapped);
            int start = (int) (buffer.addressOffset() - BufferUtil.address(wrapped)) + index;
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
