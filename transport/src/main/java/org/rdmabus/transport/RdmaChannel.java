package org.rdmabus.transport;

import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.rdmabus.transport.impl.channel.RdmaChannels;

/**
 * The low-level reactive API of rdmabus, for traffic that does not fit the event bus: messages between the nodes
 * of a Vert.x cluster without addresses, codecs or handler registrations, with credit-based back-pressure end to
 * end and received messages read in place.
 * <p>
 * A channel shares its Vert.x instance's warm pool with the event bus: the same queue pairs, registered memory,
 * credits and completion pollers. The two kinds of traffic are told apart by a one-byte envelope. There is one open
 * channel per Vert.x instance, the one {@link #create} returns; {@link #close()} releases it.
 * <pre>{@code
 * RdmaChannel channel = RdmaChannel.create(vertx);
 * channel.messages().subscribe(message -> {
 *   if (message.isRequest()) {
 *     message.reply(Buffer.buffer("pong")).subscribe();
 *   }
 * });
 * channel.request(peerNodeId, Buffer.buffer("ping"))
 *   .subscribe(reply -> System.out.println(reply.buffer()));
 * }</pre>
 *
 * <h2>Threads</h2>
 * Every signal (replies, completions, failures, inbound messages) is emitted on a Vert.x context, never on a
 * completion poller: the subscriber's own context when it subscribes on one of this instance's contexts (a
 * verticle's event loop, say), otherwise the context {@link #create} was called on, or a new event-loop context.
 *
 * <h2>Limits</h2>
 * A message is one receive buffer: at most {@link #maxMessageSize()} bytes, a few kilobytes with the default pool
 * (larger payloads belong on the event bus, which segments them). Messages to one node arrive in the order they
 * were sent.
 */
public interface RdmaChannel extends AutoCloseable {

    /** How long {@link #request(String, Buffer)} waits for a reply, as Vert.x's event bus does. */
    Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Opens the channel of a clustered Vert.x instance on which rdmabus runs over a fabric.
     *
     * @param vertx a clustered Vert.x instance built with rdmabus on the class path
     * @return the open channel
     * @throws RdmaChannelUnavailableException if rdmabus is not running over a fabric on this instance (not
     *     clustered, disabled, on TCP only), or if a channel is open on it already
     */
    static RdmaChannel create(Vertx vertx) {
        return RdmaChannels.open(vertx);
    }

    /**
     * This node.
     *
     * @return this node's cluster node id, as peers name it
     */
    String localNodeId();

    /**
     * The largest payload of one message.
     *
     * @return the limit in bytes: the pool's receive buffer less the frame header and this channel's header
     */
    int maxMessageSize();

    /**
     * A connection to a peer: immediate when the peer is known (from cluster membership), otherwise after one
     * look-up in the cluster.
     *
     * @param nodeId the peer's cluster node id
     * @return the connection; fails with {@link RdmaUnknownNodeException} when the cluster knows no such node or it
     *     runs no fabric, or with {@link RdmaChannelClosedException}
     */
    Single<RdmaConnection> connect(String nodeId);

    /**
     * Connects and sends one message; see {@link RdmaConnection#send}.
     *
     * @param nodeId  the peer's cluster node id
     * @param payload at most {@link #maxMessageSize()} bytes
     * @return completes once the message is in the peer's receive queue
     */
    Completable send(String nodeId, Buffer payload);

    /**
     * Connects and sends a request, waiting {@link #DEFAULT_REQUEST_TIMEOUT}; see {@link RdmaConnection#request}.
     *
     * @param nodeId  the peer's cluster node id
     * @param payload at most {@link #maxMessageSize()} bytes
     * @return the reply
     */
    Single<RdmaMessage> request(String nodeId, Buffer payload);

    /**
     * Connects and sends a request; see {@link RdmaConnection#request(Buffer, Duration)}.
     *
     * @param nodeId  the peer's cluster node id
     * @param payload at most {@link #maxMessageSize()} bytes
     * @param timeout how long to wait for the reply
     * @return the reply
     */
    Single<RdmaMessage> request(String nodeId, Buffer payload, Duration timeout);

    /**
     * The messages and requests peers send to this node. One subscriber at a time; a new one may subscribe after the
     * previous one cancelled. Demand is credit: each message keeps its receive buffer until released (after
     * {@code onNext} returns, unless retained), and messages that arrive without demand wait in their receive
     * buffers, so a subscriber that requests nothing stops the senders once they run out of credits. Memory stays
     * bounded by the pool's receive buffers. Messages waiting when the subscriber cancels are released unanswered.
     * Completes when the channel closes.
     *
     * @return the inbound stream
     */
    Flowable<RdmaMessage> messages();

    /**
     * Closes this channel: pending requests fail with {@link RdmaChannelClosedException}, the inbound stream
     * completes, and a new channel may be created on the Vert.x instance. Requests that arrive while no channel is
     * open are refused with {@link RdmaRemoteFailureException} at the requester. Idempotent. Closing the Vert.x
     * instance closes its channel.
     */
    @Override
    void close();
}
