package org.rdmabus.codec.impl;

import org.rdmabus.codec.FrameType;

/** One message being reassembled: its first segment's identity and the bytes received so far, in order. */
public final class PartialMessage {
    long messageId;
    FrameType type;
    byte[] data;
    int received;

    PartialMessage() {
    }

    /** @return the message's id. */
    public long messageId() {
        return messageId;
    }

    /** @return MESSAGE or REPLY, as its first segment said. */
    public FrameType type() {
        return type;
    }

    /** @return the buffer the message is assembled in, exactly its total length. */
    public byte[] data() {
        return data;
    }

    /** @return the total length, as its first segment said. */
    public int totalLength() {
        return data.length;
    }

    /** @return how many bytes, from the start, have arrived. */
    public int received() {
        return received;
    }

    /** @param count bytes just appended. */
    public void advance(int count) {
        received += count;
    }
}
