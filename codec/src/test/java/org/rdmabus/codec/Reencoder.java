package org.rdmabus.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes a decoded frame again with the public encoder, from nothing but what the decoder exposes. If the result
 * equals the received bytes, the decoder read every bit of the frame and dropped nothing.
 */
final class Reencoder {
    private Reencoder() {
    }

    static int reencode(FrameDecoder frame, MutableDirectBuffer out, int offset) {
        NodeId source = frame.type() == FrameType.HELLO
            ? NodeId.of(frame.helloNodeId())
            : NodeId.ofBits(frame.sourceMostSignificantBits(), frame.sourceLeastSignificantBits());
        FrameEncoder encoder = new FrameEncoder(source, frame.epoch(), frame.isChecksummed());
        long seq = frame.sequence();
        int credits = frame.credits();
        DirectBuffer in = frame.buffer();
        return switch (frame.type()) {
            case MESSAGE, REPLY -> {
                if (frame.isSegment()) {
                    yield encoder.encodeSegment(out, offset, frame.type(), seq, credits, frame.segmentMessageId(),
                        frame.segmentTotalLength(), frame.segmentOffset(), in, frame.segmentDataOffset(),
                        frame.segmentDataLength());
                }
                if (frame.isRendezvous()) {
                    yield encoder.encodeRendezvous(out, offset, frame.type(), seq, credits, frame.rendezvousAddress(),
                        frame.rendezvousLength(), frame.rendezvousKey());
                }
                yield encoder.encodeMessage(out, offset, frame.type(), seq, credits, in, frame.payloadOffset(),
                    frame.payloadLength());
            }
            case CREDIT -> frame.isRendezvousDone()
                ? encoder.encodeRendezvousDone(out, offset, seq, credits, frame.completedSequence())
                : encoder.encodeCredit(out, offset, seq, credits);
            case HELLO -> encoder.encodeHello(out, offset, seq, credits, frame.helloMaxMessageSize(),
                frame.helloMaxFrameLength());
            case BYE -> encoder.encodeBye(out, offset, seq, credits);
            case ERROR -> encoder.encodeError(out, offset, seq, credits, frame.errorCode(), frame.errorRelatedSequence(),
                frame.errorReason());
        };
    }
}
