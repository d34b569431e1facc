package org.rdmabus.pool.impl;

import static org.rdmabus.codec.FrameLayout.*;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameEncoder;
import org.rdmabus.codec.NodeId;
import org.rdmabus.verbs.TargetAddress;

/**
 * Writes this node's frames at post time, when a frame's sequence and returned credits are known.
 * <p>
 * Data frames carry a payload the caller copied in behind the header, so only the header is written, field by
 * field after {@link org.rdmabus.codec.FrameLayout}; control frames are encoded whole by the codec's
 * {@link FrameEncoder}. One writer per send path, used under that path's lock.
 */
final class FrameWriter {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final FrameEncoder encoder;
    private final NodeId source;
    private final long epoch;
    private final int maxMessageSize;
    private final int maxFrameLength;
    private final VarHandleBuffer addressBytes = new VarHandleBuffer();

    FrameWriter(NodeId source, long epoch, int maxMessageSize, int maxFrameLength) {
        this.encoder = new FrameEncoder(source, epoch, false);
        this.source = source;
        this.epoch = epoch;
        this.maxMessageSize = maxMessageSize;
        this.maxFrameLength = maxFrameLength;
    }

    /** @return a writer for another path, sharing this one's identity and limits. */
    FrameWriter copy() {
        return new FrameWriter(source, epoch, maxMessageSize, maxFrameLength);
    }

    /**
     * @return the longest frame a control step encodes to.
     */
    static int controlLength(ControlStep step, int nodeIdLength, TargetAddress channelAddress) {
        switch (step) {
            case CREDIT:
            case BYE:
                return HEADER_LENGTH;
            case HELLO:
                return HEADER_LENGTH + HELLO_NODE_ID_OFFSET + nodeIdLength;
            default:
                int address = channelAddress == null ? 0 : channelAddress.toBytes().length;
                return HEADER_LENGTH + HELLO_NODE_ID_OFFSET + nodeIdLength + HELLO_CHANNEL_ADDRESS_OFFSET + address;
        }
    }

    /** Writes the header of a data frame whose payload is already in place, and sets its frame length. */
    void writeData(SendEntry entry, long sequence, int credits) {
        MutableDirectBuffer buffer = entry.buffer();
        int offset = entry.offset();
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC, LE);
        buffer.putInt(offset + CHECKSUM_OFFSET, 0, LE);
        buffer.putByte(offset + VERSION_OFFSET, (byte) VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte) entry.type.code());
        buffer.putShort(offset + FLAGS_OFFSET, (short) entry.flags, LE);
        buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, entry.payloadLength, LE);
        buffer.putInt(offset + CREDITS_OFFSET, credits, LE);
        buffer.putInt(offset + RESERVED_OFFSET, 0, LE);
        buffer.putLong(offset + SOURCE_MSB_OFFSET, source.mostSignificantBits(), LE);
        buffer.putLong(offset + SOURCE_LSB_OFFSET, source.leastSignificantBits(), LE);
        buffer.putLong(offset + EPOCH_OFFSET, epoch, LE);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, LE);
        entry.frameLength = HEADER_LENGTH + entry.payloadLength;
    }

    /** Encodes a control frame into its entry, and sets its frame length. Control frames carry sequence 0. */
    void writeControl(SendEntry entry, int credits) {
        MutableDirectBuffer buffer = entry.buffer();
        int offset = entry.offset();
        switch (entry.controlStep) {
            case CREDIT:
                entry.frameLength = encoder.encodeCredit(buffer, offset, 0, credits);
                break;
            case BYE:
                entry.frameLength = encoder.encodeBye(buffer, offset, 0, credits);
                break;
            case HELLO:
                entry.frameLength = encoder.encodeHello(buffer, offset, 0, credits, maxMessageSize, maxFrameLength);
                break;
            default:
                // A queue pair address carries that queue pair's own key, which its peer needs to connect; it
                // travels only inside DC frames, which the cluster key already guards.
                byte[] address = entry.channelAddress == null ? new byte[0] : entry.channelAddress.toBytes();
                addressBytes.wrap(address);
                entry.frameLength = encoder.encodeChannelHello(buffer, offset, 0, credits, maxMessageSize,
                    maxFrameLength, entry.controlStep.channelCode(), addressBytes, 0, address.length);
                break;
        }
    }
}
