package org.rdmabus.transport;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.reactivestreams.Publisher;

/**
 * A virtual connection from an {@link RdmaChannel} to one peer node, over the JVM's warm pool: it owns no queue pair,
 * so holding one costs next to nothing. Messages sent on it, from any thread, arrive in the order they were sent.
 * <p>
 * Every operation is cold (nothing happens until subscription) and signals on a Vert.x context: the caller's
 * context when subscribed on one of this Vert.x instance's contexts, otherwise the channel's.
 */
public interface RdmaConnection {

    /**
     * The peer.
     *
     * @return the peer's cluster node id
     */
    String nodeId();

    /**
     * Whether a send now would be on its way at once rather than wait for the peer.
     *
     * @return {@code false} while the peer has no credit left for this node (it holds every receive buffer it
     *     granted) or sends wait in a queue
     */
    boolean isWritable();

    /**
     * Sends one message. The payload is copied into registered memory before this returns, so the buffer may be
     * reused at once.
     *
     * @param payload at most {@link RdmaChannel#maxMessageSize()} bytes
     * @return completes once the message is in the peer's receive queue; fails with
     *     {@link RdmaMessageTooLargeException}, {@link RdmaBackPressureException} when too many sends wait already,
     *     {@link RdmaPeerUnreachableException}, or another {@link RdmaChannelException}
     */
    Completable send(Buffer payload);

    /**
     * Sends a stream of messages in order, with back-pressure: more are requested from {@code payloads} only as the
     * connection takes them, so a peer that does not consume makes this stop requesting.
     *
     * @param payloads the messages
     * @return completes once every message is in the peer's receive queue; fails with the first failure
     */
    Completable sendAll(Publisher<Buffer> payloads);

    /**
     * Sends a request and waits for its reply for {@link RdmaChannel#DEFAULT_REQUEST_TIMEOUT}.
     *
     * @param payload at most {@link RdmaChannel#maxMessageSize()} bytes
     * @return the reply, released after {@code onSuccess} returns unless retained; see {@link #request(Buffer, Duration)}
     */
    Single<RdmaMessage> request(Buffer payload);

    /**
     * Sends a request and waits for its reply.
     *
     * @param payload at most {@link RdmaChannel#maxMessageSize()} bytes
     * @param timeout how long to wait for the reply; at least one millisecond
     * @return the reply, released after {@code onSuccess} returns unless retained; fails with
     *     {@link RdmaRequestTimeoutException}, {@link RdmaRemoteFailureException} when the peer failed it, or as
     *     {@link #send} does. Disposing forgets the request; a late reply is dropped.
     */
    Single<RdmaMessage> request(Buffer payload, Duration timeout);
}
