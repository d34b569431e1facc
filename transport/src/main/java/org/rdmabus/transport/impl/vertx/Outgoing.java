package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.spi.metrics.EventBusMetrics;

/** One message on its way to one destination node, able to take either path. */
final class Outgoing {

  private final String address;
  private final Promise<Void> writePromise;
  private final EncodedMessage encoded;
  private final Runnable overTcp;
  private final String replyAddress;
  private final long timeoutMillis;

  /**
   * A message that expects no reply (a send or a publish).
   *
   * @param address      the message's address, for metrics
   * @param writePromise Vert.x's write promise of the message (its send context)
   * @param encoded      the message's encoding, shared with the other destinations of a publish
   * @param overTcp      hands the message to Vert.x's TCP transport for this destination
   */
  Outgoing(String address, Promise<Void> writePromise, EncodedMessage encoded, Runnable overTcp) {
    this(address, writePromise, encoded, overTcp, null, -1);
  }

  /**
   * @param address       the message's address, for metrics
   * @param writePromise  Vert.x's write promise of the message (its send context)
   * @param encoded       the message's encoding
   * @param overTcp       hands the message to Vert.x's TCP transport for this destination
   * @param replyAddress  where the requester waits for the reply, or {@code null} when none is expected
   * @param timeoutMillis the request's timeout, or a negative value when unknown
   */
  Outgoing(String address, Promise<Void> writePromise, EncodedMessage encoded, Runnable overTcp, String replyAddress, long timeoutMillis) {
    this.address = address;
    this.writePromise = writePromise;
    this.encoded = encoded;
    this.overTcp = overTcp;
    this.replyAddress = replyAddress;
    this.timeoutMillis = timeoutMillis;
  }

  /** @return the reply address a requester waits on, or {@code null} for a message that expects no reply */
  String replyAddress() {
    return replyAddress;
  }

  /** @return the request's own timeout in milliseconds, or a negative value when unknown */
  long timeoutMillis() {
    return timeoutMillis;
  }

  Buffer frame() {
    return encoded.frame();
  }

  /** The channel accepted the message: report the write exactly as Vert.x's TCP connection would. */
  void written(Buffer frame, EventBusMetrics<?> metrics) {
    if (metrics != null) {
      metrics.messageWritten(address, frame.length());
    }
    writePromise.tryComplete();
  }

  /** The codec could not encode the message: nothing was sent; the write fails as it would over TCP. */
  void encodingFailed(Throwable cause) {
    writePromise.tryFail(cause);
  }

  void sendOverTcp() {
    overTcp.run();
  }
}
