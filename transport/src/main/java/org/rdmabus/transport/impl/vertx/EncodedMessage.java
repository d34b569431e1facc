package org.rdmabus.transport.impl.vertx;

import io.vertx.core.buffer.Buffer;

import java.util.function.Supplier;

/**
 * An outgoing message's wire encoding, made once on first use and shared by every destination of a publish. The
 * encoding runs the message codec, i.e. user code, on the thread that routes the message: never a poller.
 */
final class EncodedMessage {

    private final Supplier<Buffer> encoder;
    private Buffer frame;

    /**
     * @param encoder makes the encoding, e.g. {@code () -> VertxInternals.encode(message)}
     */
    EncodedMessage(Supplier<Buffer> encoder) {
        this.encoder = encoder;
    }

    /**
     * The encoding, with Vert.x's 4-byte length prefix.
     *
     * @return the shared, read-only buffer
     * @throws RuntimeException when the message codec fails
     */
    synchronized Buffer frame() {
        if (frame == null) {
            frame = encoder.get();
        }
        return frame;
    }
}
