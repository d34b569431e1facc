package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.metrics.EventBusMetrics;

import java.lang.System.Logger.Level;

/** One message on its way to one destination node, able to take either path. */
final class Outgoing {

    private static final System.Logger LOG = System.getLogger(Outgoing.class.getName());

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

    /**
     * The message arrived at the destination's channel: report the write as Vert.x's TCP connection would. Runs on
     * whatever thread the channel reports from (a poller); a failing metrics implementation costs only its figure.
     */
    void written(Buffer frame, EventBusMetrics<?> metrics) {
        if (metrics != null) {
            try {
                metrics.messageWritten(address, frame.length());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rdmabus: the event-bus metrics failed on a message written to " + address, e);
            }
        }
        writePromise.tryComplete();
    }

    /**
     * The channel accepted the message but it never arrived (the peer died, had no receive buffer after the NIC's
     * retries, refused access...): the write fails with a {@code ReplyException}, which also fails a request at
     * once instead of letting it wait for its timeout.
     *
     * @param nodeId the destination
     * @param cause  the channel's reason
     */
    void undelivered(String nodeId, Throwable cause) {
        writePromise.tryFail(new ReplyException(ReplyFailure.ERROR, "rdmabus: the message to " + address + " was not delivered to node "
            + nodeId + ": " + cause.getMessage()));
    }

    /** The codec could not encode the message: nothing was sent; the write fails as it would over TCP. */
    void encodingFailed(Throwable cause) {
        writePromise.tryFail(cause);
    }

    void sendOverTcp() {
        overTcp.run();
    }
}
