package org.rdmabus.transport.impl.vertx;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;

/**
 * An outgoing message's wire encoding, made once on first use and shared by every destination of a publish. The
 * encoding runs the message codec, i.e. user code, on the thread that routes the message: never a poller.
 */
final class EncodedMessage {

  private final Message<?> message;
  private Buffer frame;

  EncodedMessage(Message<?> message) {
    this.message = message;
  }

  /**
   * The encoding, with Vert.x's 4-byte length prefix.
   *
   * @return the shared, read-only buffer
   * @throws RuntimeException when the message codec fails
   */
  synchronized Buffer frame() {
    if (frame == null) {
      frame = VertxInternals.encode(message);
    }
    return frame;
  }
}
