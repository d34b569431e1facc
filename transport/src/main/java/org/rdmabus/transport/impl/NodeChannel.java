package org.rdmabus.transport.impl;

import io.vertx.core.buffer.Buffer;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the Vert.x hook needs from the RDMA side: a message channel between the nodes of one Vert.x cluster.
 * Implementations: the real one over the warm QP pool, and an in-JVM loopback for tests.
 *
 * <h2>Life cycle</h2>
 * The hook creates one channel per clustered Vert.x instance through a {@link NodeChannelFactory}, registers
 * {@link #onInbound} and {@link #onPeerFailure}, calls {@link #start} once the cluster has given this node its id,
 * then publishes {@link #localAdvertisement()} in the node's cluster metadata. Peers' advertisements arrive through
 * {@link #peerAdvertised}; {@link #close()} runs when the Vert.x instance leaves the cluster.
 *
 * <h2>Ordering and failure contract</h2>
 * The hook keeps each destination on one path at a time and switches a destination from the channel to TCP once,
 * for good (see {@code DestinationRoute}). That switch can only keep a sender's stream in order if the channel
 * promises the following, which every implementation must:
 * <ul>
 *   <li>Messages that {@link #send} accepted for one node are handed to that node's {@link InboundHandler} in the
 *       order they were accepted, whatever thread accepted them.</li>
 *   <li>Refusal and failure are final for a node: once {@code send(node, ..)} has returned {@code false} or the
 *       failure handler has been called for {@code node}, every later {@code send(node, ..)} returns {@code false}
 *       (until the node leaves and a new node id is advertised), and {@link #reaches} returns {@code false}.</li>
 *   <li>Refusal and failure are settled: before the failure handler runs for a node, and before the actions given to
 *       {@link #whenSettled} run after a refusal, every message accepted earlier for that node has been handed to the
 *       peer's handler or will never be. Otherwise a later message sent over TCP could overtake one still in the
 *       channel. {@code send} itself returns {@code false} at once, without waiting: it runs on event loops.</li>
 *   <li>Transient back-pressure is not a refusal: wait or queue instead of returning {@code false}.</li>
 *   <li>Each accepted message's outcome ({@link #send(String, Buffer, Consumer)}) is known before the failure is
 *       reported or a refusal returned: arrived, handed back unsent ({@link NotSentException}; the hook then sends it
 *       over TCP ahead of later messages), or lost with a reason (the hook fails its write).</li>
 * </ul>
 */
public interface NodeChannel extends AutoCloseable {

    /**
     * One line for the start-up log naming the provider and its pool, e.g. {@code "soft fabric, 64 DCIs, 2 pollers"}.
     *
     * @return a human-readable description, never {@code null}
     */
    String describe();

    /**
     * Tells the channel the cluster node id of this node, before any other call except the handler registrations.
     * Messages this node sends are attributed to that id on the receiving side.
     *
     * @param localNodeId this node's cluster node id
     * @throws RuntimeException when the channel cannot start; the hook then closes it, so {@link #close()} must
     *     release whatever a failed start left allocated, and tries the next provider (under {@code auto}) or TCP
     */
    void start(String localNodeId);

    /**
     * The opaque text this node advertises in its cluster metadata under the key {@code "rdmabus"}.
     *
     * @return the advertisement, or {@code null} to advertise nothing (peers then reach this node over TCP only)
     */
    String localAdvertisement();

    /**
     * A peer's advertisement, learned from cluster membership. Called again if the hook looks the peer up once more.
     *
     * @param nodeId        the peer's cluster node id
     * @param advertisement the text the peer published, as returned by its {@link #localAdvertisement()}
     */
    void peerAdvertised(String nodeId, String advertisement);

    /**
     * How the channel asks the cluster for a peer's advertisement when a peer it has not learned yet sends to it (the
     * receiving side needs the sender's address to return credits). Called once, right after {@link #start}.
     *
     * @param lookup completes with the node's advertisement, or {@code null} when it advertises none
     */
    void advertisementLookup(Function<String, CompletionStage<String>> lookup);

    /**
     * The peer left the cluster: release whatever the channel holds for it.
     *
     * @param nodeId the peer's cluster node id
     */
    void peerLeft(String nodeId);

    /**
     * Whether a channel to this node exists or can be made now.
     *
     * @param nodeId a peer's cluster node id
     * @return {@code true} when {@link #send} would accept messages for the node
     */
    boolean reaches(String nodeId);

    /**
     * Hands one message over. The buffer is Vert.x's wire encoding of a clustered message; the channel owns it from
     * now on and must not modify it (the hook may pass the same buffer for several nodes of one publish).
     *
     * @param nodeId  the destination's cluster node id
     * @param message the encoded message, read-only
     * @return {@code true} when accepted (delivered in order, or the peer is reported failed); {@code false} when the
     *     channel cannot carry messages to this node: the hook then sends this and every later message to it over
     *     TCP, once {@link #whenSettled} says that what the channel accepted before has settled
     */
    boolean send(String nodeId, Buffer message);

    /**
     * Runs an action once every message accepted for a node so far has settled: arrived, failed, or been handed back
     * unsent. After {@link #send} refused a message the hook moves that node to TCP only from this action, so nothing
     * it sends over TCP overtakes what the channel still carries, and no sending thread waits. The default, for
     * channels that settle a node before refusing it, runs the action at once.
     *
     * @param nodeId a peer's cluster node id
     * @param action run once, on any thread, possibly before this returns
     */
    default void whenSettled(String nodeId, Runnable action) {
        action.run();
    }

    /**
     * Hands one message over, like {@link #send(String, Buffer)}, and reports what became of it. The hook reports a
     * message written to Vert.x only when this says it arrived, so a message reported sent is never lost: one that
     * does not arrive fails its write (and its request) with the reason.
     *
     * <p>The default, for channels that cannot tell, reports arrival as soon as the message is accepted.
     *
     * @param nodeId  the destination's cluster node id
     * @param message the encoded message, read-only
     * @param outcome told exactly once if the message is accepted, on any thread: {@code null} when it reached the
     *                peer's receive queue, a {@link NotSentException} when the channel failed before sending any of
     *                it (the hook then sends it over TCP, in order), otherwise why it never will arrive
     * @return as {@link #send(String, Buffer)}
     */
    default boolean send(String nodeId, Buffer message, Consumer<Throwable> outcome) {
        if (!send(nodeId, message)) {
            return false;
        }
        outcome.accept(null);
        return true;
    }

    /**
     * The hook has requests waiting for replies from this node: make sure that, if the peer has died, the failure is
     * noticed and reported through {@link #onPeerFailure} even when no message is sent to it. A channel that learns
     * of dead peers only from failed sends posts a probe here when nothing was sent to the node since the last call.
     * Called every few hundred milliseconds per such node, on any thread; must not block. The default does nothing.
     *
     * @param nodeId a peer's cluster node id
     */
    default void checkAlive(String nodeId) {
    }

    /**
     * Registers the handler for messages from peers. It is called on a dedicated thread of the channel that is never
     * a Vert.x thread, in per-source FIFO order. Must be called before {@link #start}.
     *
     * @param handler the receiver of inbound messages
     */
    void onInbound(InboundHandler handler);

    /**
     * Registers the handler told when the channel to a node failed; later sends to that node must use TCP. Called
     * at most once per node id, on any thread, after the failure is settled (see the class comment).
     *
     * @param handler receives the failed peer's node id
     */
    void onPeerFailure(Consumer<String> handler);

    /** Releases every resource and stops the channel's threads; no handler is called after it returns. */
    @Override
    void close();
}
