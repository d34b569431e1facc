package org.rdmabus.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VarHandleBuffer} in a JVM started without {@code --add-exports}, as this module's tests all are (only
 * {@link AgronaParityTest}'s JVM gets the flag): every kind of memory it wraps, what it refuses and why, atomicity
 * under contention, and Agrona's ring buffer running over it.
 */
class VarHandleBufferTest {

    @BeforeAll
    static void inAJvmWithoutTheFlag() {
        // -Dtest selects this class in the agrona-parity execution too, whose JVM has the export.
        assumeFalse(Boolean.getBoolean("rdmabus.test.agronaReference"), "runs in the default execution, without the flag");
    }

    @Test
    void thisJvmHasNoExportSoAgronasOwnBufferFails() {
        // The premise of every other test here: Agrona's UnsafeBuffer cannot work in this JVM.
        assertThrows(LinkageError.class, () -> new UnsafeBuffer(new byte[8]).putLong(0, 1));
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
            () -> new VarHandleBuffer(new byte[8]).addressOffset());
        assertTrue(refused.getMessage().contains("cannot reach Unsafe"), refused.getMessage());
    }

    @Test
    void valuesRoundTripInNativeOrderAndInAGivenOrder() {
        for (VarHandleBuffer buffer : new VarHandleBuffer[] {
            new VarHandleBuffer(new byte[40], 3, 32), new VarHandleBuffer(ByteBuffer.allocateDirect(40), 3, 32)}) {
            buffer.putLong(1, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, buffer.getLong(1));
            assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0x08 : 0x01, buffer.getByte(1));
            buffer.putInt(9, 0x01020304, ByteOrder.BIG_ENDIAN);
            assertEquals(0x01, buffer.getByte(9));
            assertEquals(0x01020304, buffer.getInt(9, ByteOrder.BIG_ENDIAN));
            buffer.putDouble(16, Math.PI, ByteOrder.LITTLE_ENDIAN);
            assertEquals(Math.PI, buffer.getDouble(16, ByteOrder.LITTLE_ENDIAN));
            buffer.putChar(30, '\u20ac');
            assertEquals('\u20ac', buffer.getChar(30));
        }
    }

    @Test
    void aWrappedArrayIsSharedAndOffsetByTheWrap() {
        byte[] bytes = new byte[16];
        VarHandleBuffer buffer = new VarHandleBuffer(bytes, 4, 8);
        buffer.putByte(0, (byte) 7);
        assertEquals(7, bytes[4]);
        assertSame(bytes, buffer.byteArray());
        assertEquals(4, buffer.wrapAdjustment());
        assertEquals(8, buffer.capacity());
        assertNull(buffer.byteBuffer());
    }

    @Test
    void aByteBufferIsReachedUpToItsCapacityWhateverItsLimit() {
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.position(4).limit(6);
        VarHandleBuffer buffer = new VarHandleBuffer(direct);
        buffer.putLong(8, -1L);
        assertEquals(-1L, direct.duplicate().clear().getLong(8));
        assertSame(direct, buffer.byteBuffer());
        assertEquals(4, direct.position(), "the owner's position must not move");
        assertEquals(6, direct.limit());
        ByteBuffer heap = ByteBuffer.allocate(24).slice(8, 16);
        VarHandleBuffer onHeap = new VarHandleBuffer(heap);
        assertEquals(8, onHeap.wrapAdjustment(), "a heap ByteBuffer is used through its array");
        assertSame(heap.array(), onHeap.byteArray());
    }

    @Test
    void aReadOnlyBufferCanBeReadButNotWritten() {
        ByteBuffer source = ByteBuffer.allocate(8).putInt(0, 5).asReadOnlyBuffer();
        VarHandleBuffer buffer = new VarHandleBuffer(source);
        assertNull(buffer.byteArray(), "Java hands out no array of a read-only buffer");
        assertEquals(5, buffer.getInt(0, ByteOrder.BIG_ENDIAN));
        assertThrows(ReadOnlyBufferException.class, () -> buffer.putInt(0, 1));
        assertThrows(ReadOnlyBufferException.class, () -> buffer.putBytes(0, new VarHandleBuffer(new byte[4]), 0, 4));
    }

    @Test
    void mappedFilesAreReadAndWrittenAcrossMappings(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("segment");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            MappedByteBuffer first = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            MappedByteBuffer second = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            VarHandleBuffer writer = new VarHandleBuffer(first);
            VarHandleBuffer reader = new VarHandleBuffer(second);
            writer.putLongRelease(64, 99);
            assertEquals(99, reader.getLongAcquire(64));
            assertTrue(reader.compareAndSetInt(128, 0, 3));
            assertEquals(3, writer.getIntVolatile(128));
        }
    }

    @Test
    void atomicAccessOnHeapMemoryIsRefusedOnEveryJdk() {
        VarHandleBuffer heap = new VarHandleBuffer(new byte[64]);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> heap.getLongVolatile(0));
        assertTrue(refused.getMessage().contains("direct memory"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> heap.compareAndSetInt(0, 0, 1));
        assertThrows(IllegalStateException.class, () -> heap.putByteVolatile(0, (byte) 1));
        assertThrows(IllegalStateException.class, heap::verifyAlignment);
        assertThrows(IllegalStateException.class,
            () -> new VarHandleBuffer(ByteBuffer.allocate(8).asReadOnlyBuffer()).getIntVolatile(0));
    }

    @Test
    void misalignedAtomicAccessIsRefused() {
        VarHandleBuffer buffer = new VarHandleBuffer(ByteBuffer.allocateDirect(64).alignedSlice(8));
        buffer.verifyAlignment();
        assertThrows(IllegalStateException.class, () -> buffer.getAndAddLong(4, 1));
        assertThrows(IllegalStateException.class, () -> new VarHandleBuffer(buffer, 4, 16).verifyAlignment());
        assertEquals(0, buffer.getAndAddInt(4, 1), "an int at 4 is aligned");
    }

    @Test
    void raceToAddLosesNoIncrement() throws InterruptedException {
        VarHandleBuffer counter = new VarHandleBuffer(ByteBuffer.allocateDirect(64).alignedSlice(8));
        int threads = 4;
        int each = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] adders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            adders[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    counter.getAndAddLong(8, 1);
                    counter.addIntRelease(16, 1);
                }
            });
            adders[t].start();
        }
        start.countDown();
        for (Thread adder : adders) {
            adder.join();
        }
        assertEquals((long) threads * each, counter.getLongVolatile(8));
        assertEquals(threads * each, counter.getIntVolatile(16));
    }

    @Test
    void bytesCopyBetweenEveryKindOfMemory() {
        byte[] pattern = new byte[100];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7);
        }
        VarHandleBuffer heap = new VarHandleBuffer(new byte[120], 10, 100);
        VarHandleBuffer direct = new VarHandleBuffer(ByteBuffer.allocateDirect(120), 5, 100);
        heap.putBytes(0, pattern);
        direct.putBytes(0, heap, 0, 100);
        VarHandleBuffer back = new VarHandleBuffer(new byte[100]);
        direct.getBytes(0, back, 0, 100);
        assertArrayEquals(pattern, back.byteArray());
        ByteBuffer out = ByteBuffer.allocateDirect(100).limit(10);
        direct.getBytes(0, out, 0, 100);
        byte[] read = new byte[100];
        out.clear().get(read);
        assertArrayEquals(pattern, read, "bounded by capacity, as in Agrona");
        direct.setMemory(3, 90, (byte) 0x5a);
        for (int i = 0; i < 100; i++) {
            assertEquals(i >= 3 && i < 93 ? 0x5a : pattern[i], direct.getByte(i), "byte " + i);
        }
        assertEquals(direct, new VarHandleBuffer(direct), "equal content, equal buffers");
        assertFalse(direct.equals(heap));
    }

    @Test
    void rewrappingAViewSharesTheOtherBuffersMemory() {
        VarHandleBuffer direct = new VarHandleBuffer(ByteBuffer.allocateDirect(64));
        VarHandleBuffer view = new VarHandleBuffer();
        view.wrap(direct, 16, 8);
        view.putLong(0, 5);
        assertEquals(5, direct.getLong(16));
        assertEquals(16, view.wrapAdjustment());
        assertSame(direct.byteBuffer(), view.byteBuffer());
    }

    @Test
    void rawAddressesAreRefusedWithTheWayOut() {
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
            () -> new VarHandleBuffer().wrap(4096L, 8));
        assertTrue(refused.getMessage().contains("wrap a direct ByteBuffer"), refused.getMessage());
    }

    @Test
    void boundsAreAlwaysChecked() {
        VarHandleBuffer buffer = new VarHandleBuffer(new byte[16], 4, 8);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putByte(8, (byte) 0));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(-1, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> buffer.wrap(new byte[4], 2, 3));
    }

    @Test
    void agronasRingBufferRunsOverIt() {
        int capacity = 1024;
        VarHandleBuffer memory = new VarHandleBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH).alignedSlice(8),
            0, capacity + RingBufferDescriptor.TRAILER_LENGTH);
        ManyToOneRingBuffer ring = new ManyToOneRingBuffer(memory);
        VarHandleBuffer message = new VarHandleBuffer(new byte[12]);
        for (int i = 0; i < 200; i++) {
            message.putInt(0, i);
            assertTrue(ring.write(1, message, 0, 12));
            int[] seen = {-1};
            // A read stops at the end of the memory: after a wrap the first read consumes the padding only.
            int read = ring.read((type, buffer, index, length) -> seen[0] = buffer.getInt(index));
            if (read == 0) {
                read = ring.read((type, buffer, index, length) -> seen[0] = buffer.getInt(index));
            }
            assertEquals(1, read);
            assertEquals(i, seen[0]);
        }
    }
}
