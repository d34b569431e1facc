package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;

/** The channel HELLO ({@link FrameLayout#FLAG_CHANNEL}) the pool uses to exchange queue pair addresses. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelHelloTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final NodeId NODE = NodeId.of("node-with-a-derived-id");

    private final DecodeErrorCounters counters = new DecodeErrorCounters();
    private final FrameDecoder decoder = new FrameDecoder(CodecLimits.defaults(), counters);
    private final FrameEncoder encoder = new FrameEncoder(NODE, 9, false);
    private final VarHandleBuffer buffer = new VarHandleBuffer(new byte[4096]);

    @Test
    void roundTripsStepAndAddress() {
        byte[] address = {1, 2, 3, 4, 5, 6, 7};
        int length = encoder.encodeChannelHello(buffer, 0, 0, 3, 1000, 8192, 2, new VarHandleBuffer(address), 0, 7);

        assertTrue(decoder.decode(buffer, 0, length), () -> decoder.failure().describe());
        assertEquals(FrameType.HELLO, decoder.type());
        assertTrue(decoder.isChannelHello());
        assertEquals(2, decoder.channelStep());
        assertEquals("node-with-a-derived-id", decoder.helloNodeId());
        assertEquals(3, decoder.credits());
        byte[] read = new byte[decoder.channelAddressLength()];
        buffer.getBytes(decoder.channelAddressOffset(), read);
        assertArrayEquals(address, read);
    }

    @Test
    void aStepWithoutAddressIsValidAndAPlainHelloIsNoChannel() {
        int length = encoder.encodeChannelHello(buffer, 0, 0, 0, 1000, 8192, 4, new VarHandleBuffer(new byte[0]), 0, 0);
        assertTrue(decoder.decode(buffer, 0, length));
        assertEquals(0, decoder.channelAddressLength());

        length = encoder.encodeHello(buffer, 0, 0, 0, 1000, 8192);
        assertTrue(decoder.decode(buffer, 0, length));
        assertFalse(decoder.isChannelHello());
        assertThrows(IllegalStateException.class, decoder::channelStep);
    }

    @Test
    void refusesStepZeroReservedBitsAndLengthsThatDisagree() {
        int length = encoder.encodeChannelHello(buffer, 0, 0, 0, 1000, 8192, 1, new VarHandleBuffer(new byte[5]), 0, 5);
        int extension = FrameLayout.HEADER_LENGTH + FrameLayout.HELLO_NODE_ID_OFFSET
            + decoderIdLength(length);

        buffer.putByte(extension + FrameLayout.HELLO_CHANNEL_STEP_OFFSET, (byte) 0);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(DecodeError.BAD_HELLO, decoder.failure().reason());
        buffer.putByte(extension + FrameLayout.HELLO_CHANNEL_STEP_OFFSET, (byte) 1);

        buffer.putByte(extension + FrameLayout.HELLO_CHANNEL_RESERVED_OFFSET, (byte) 1);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(DecodeError.NONZERO_RESERVED, decoder.failure().reason());
        buffer.putByte(extension + FrameLayout.HELLO_CHANNEL_RESERVED_OFFSET, (byte) 0);

        buffer.putShort(extension + FrameLayout.HELLO_CHANNEL_ADDRESS_LENGTH_OFFSET, (short) 6, LE);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(DecodeError.LENGTH_MISMATCH, decoder.failure().reason());
    }

    @Test
    void refusesTheChannelFlagOnOtherTypesAndRejectsBadArguments() {
        int length = encoder.encodeCredit(buffer, 0, 0, 1);
        buffer.putShort(FrameLayout.FLAGS_OFFSET, (short) FrameLayout.FLAG_CHANNEL, LE);
        assertFalse(decoder.decode(buffer, 0, length));
        assertEquals(DecodeError.BAD_FLAGS, decoder.failure().reason());

        VarHandleBuffer none = new VarHandleBuffer(new byte[0]);
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encodeChannelHello(buffer, 0, 0, 0, 1000, 8192, 0, none, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.encodeChannelHello(buffer, 0, 0, 0, 1000, 8192, 1,
            new VarHandleBuffer(new byte[2000]), 0, FrameLayout.MAX_CHANNEL_ADDRESS_LENGTH + 1));
    }

    private int decoderIdLength(int length) {
        assertTrue(decoder.decode(buffer, 0, length));
        return decoder.helloNodeIdLength();
    }
}
