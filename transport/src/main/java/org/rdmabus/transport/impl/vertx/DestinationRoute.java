package org.rdmabus.transport.impl.vertx;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.spi.metrics.EventBusMetrics;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.NotSentException;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of this node's traffic to one destination node, and the rule that keeps a sender's stream in order.
 *
 * <h2>The ordering rule</h2>
 * Vert.x's TCP transport sends everything from one node to another over one connection, so a destination sees
 * this node's messages in the order they were routed. To keep that, all traffic from this node to one destination
 * node id takes <em>one</em> path at a time:
 * <ol>
 *   <li>The path is decided once, when the destination is first used ({@link Path#UNRESOLVED}); messages routed
 *       meanwhile wait here in order and leave in that order once it is decided.</li>
 *   <li>{@link Path#CHANNEL} may switch to {@link Path#TCP} once: when the channel refuses a message or reports the
 *       peer failed. A failure is reported only once the channel has settled what it accepted; after a refusal the
 *       refused message and every later one wait here, without blocking their senders, until the channel says it
 *       has settled ({@link NodeChannel#whenSettled}). So nothing sent over TCP can overtake the channel's messages.
 *       Accepted messages the channel hands back unsent ({@link NotSentException}) wait here too and are the first
 *       to go over TCP.</li>
 *   <li>{@link Path#TCP} is final for that node id: the destination never switches back, because nothing can prove
 *       that the TCP messages already written have been delivered. A node that restarts gets a new node id and
 *       starts over on the channel.</li>
 * </ol>
 * The granularity is the (this node, destination node) pair, as for Vert.x's connection, which orders even the
 * messages of different senders (contexts) of this node.
 */
final class DestinationRoute {

    private static final System.Logger LOG = System.getLogger(DestinationRoute.class.getName());

    private final String nodeId;
    private final NodeChannel channel;
    private final EventBusMetrics<?> metrics;
    private final HookCounters counters;
    private final PendingRequests pending;

    private volatile Path path = Path.UNRESOLVED;
    // Guarded by this: messages waiting for the path decision, and whether it is under way.
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    // Messages the channel accepted, then handed back unsent when it failed; they leave first when TCP takes over.
    private final ArrayDeque<Outgoing> unsent = new ArrayDeque<>();
    private boolean resolving;
    // Whether decided(TCP) will run once the channel has settled this destination.
    private boolean awaitingSettlement;
    private String refusal;
    private boolean forgotten;

    /**
     * @param nodeId   the destination node
     * @param channel  the node channel
     * @param metrics  the event bus's metrics, or {@code null}
     * @param counters the hook's counters
     * @param pending  where requests the channel carries wait for their reply
     */
    DestinationRoute(String nodeId, NodeChannel channel, EventBusMetrics<?> metrics, HookCounters counters, PendingRequests pending) {
        this.nodeId = nodeId;
        this.channel = channel;
        this.metrics = metrics;
        this.counters = counters;
        this.pending = pending;
    }

    Path path() {
        return path;
    }

    /**
     * Sends a message on this destination's path, or queues it until the path is decided.
     *
     * @param outgoing the message
     * @param resolver asked for the path when this is the destination's first message
     */
    void submit(Outgoing outgoing, PathResolver resolver) {
        Path current = path;
        if (current == Path.UNRESOLVED) {
            boolean startResolution = false;
            synchronized (this) {
                current = path;
                if (current == Path.UNRESOLVED) {
                    waiting.add(outgoing);
                    startResolution = !resolving;
                    resolving = true;
                }
            }
            if (current == Path.UNRESOLVED) {
                if (startResolution) {
                    resolver.resolve(nodeId, this::decided);
                }
                return;
            }
        }
        dispatch(outgoing, current);
    }

    /**
     * The channel refused a message for, or reported the failure of, this destination: TCP from now on.
     *
     * @param reason why, for the log
     */
    void switchToTcp(String reason) {
        synchronized (this) {
            if (path == Path.TCP || refusal != null) {
                return;
            }
            if (path == Path.UNRESOLVED) {
                // The queue drain in decided() applies it, so that waiting messages keep their order.
                refusal = reason;
            } else {
                becomeTcpLocked();
            }
        }
        counters.switchesToTcp.increment();
        LOG.log(Level.WARNING, "rdmabus: traffic to node {0} switches to TCP for good: {1}", nodeId, reason);
    }

    /**
     * The destination left the cluster and this route is dropped: messages the channel handed back unsent go to
     * Vert.x now (which fails them if the node is really gone), and so does any handed back later, so that every
     * write ends.
     */
    void forget() {
        synchronized (this) {
            forgotten = true;
            sendUnsentLocked();
        }
    }

    private void dispatch(Outgoing outgoing, Path current) {
        if (current == Path.CHANNEL && (transmit(outgoing) || holdUntilSettled(List.of(outgoing)))) {
            return;
        }
        overTcp(outgoing);
    }

    /**
     * Sends a message over TCP; a request to a destination the channel reported failed is remembered, so that it
     * fails at once if the destination's event-bus port turns out dead too ({@link PendingRequests#trackOverTcp}).
     */
    private void overTcp(Outgoing outgoing) {
        counters.tcpSends.increment();
        if (outgoing.replyAddress() != null) {
            pending.trackOverTcp(nodeId, outgoing.replyAddress(), outgoing.timeoutMillis());
        }
        outgoing.sendOverTcp();
    }

    /**
     * The channel refused a message: it and every later message wait until the channel has settled what it
     * accepted, then all go over TCP in order ({@link #decided}). The senders do not wait.
     *
     * @param refused the refused message and those behind it, in order; they go ahead of anything queued since
     * @return {@code false} if the route already took TCP: the caller sends them over TCP itself
     */
    private boolean holdUntilSettled(List<Outgoing> refused) {
        boolean firstSwitch;
        boolean startWaiting;
        synchronized (this) {
            if (path == Path.TCP) {
                return false;
            }
            for (int i = refused.size() - 1; i >= 0; i--) {
                waiting.addFirst(refused.get(i));
            }
            path = Path.UNRESOLVED;
            resolving = true;
            firstSwitch = refusal == null;
            if (firstSwitch) {
                refusal = "the channel refused a message";
            }
            startWaiting = !awaitingSettlement;
            awaitingSettlement = true;
        }
        if (firstSwitch) {
            counters.switchesToTcp.increment();
            LOG.log(Level.WARNING, "rdmabus: traffic to node {0} switches to TCP for good once what the channel accepted"
                + " has settled: the channel refused a message", nodeId);
        }
        if (startWaiting) {
            // A channel that already reported the node failed has settled it: then this runs at once.
            channel.whenSettled(nodeId, () -> decided(Path.TCP));
        }
        return true;
    }

    /**
     * Offers a message to the channel.
     *
     * @return {@code true} when handled (accepted, or failed to encode); {@code false} when the channel refused it
     */
    private boolean transmit(Outgoing outgoing) {
        Buffer frame;
        try {
            frame = outgoing.frame();
        } catch (RuntimeException e) {
            outgoing.encodingFailed(e);
            return true;
        }
        String replyAddress = outgoing.replyAddress();
        if (replyAddress != null) {
            // Before the offer: a loss reported while it is under way must find the request.
            pending.track(nodeId, replyAddress, outgoing.timeoutMillis());
        }
        // Counted before the hand-over: the peer may answer before send returns, and whoever saw the answer must see
        // the count too.
        counters.channelSends.increment();
        if (channel.send(nodeId, frame, failure -> settled(outgoing, frame, failure))) {
            return true;
        }
        counters.channelSends.decrement();
        if (replyAddress != null) {
            pending.untrack(nodeId, replyAddress);
        }
        return false;
    }

    /**
     * Takes TCP for good. Messages the channel accepted but handed back unsent go first, in their order, and only then
     * does the path read TCP, so no message routed afterwards can overtake them.
     */
    private void becomeTcpLocked() {
        sendUnsentLocked();
        path = Path.TCP;
    }

    private void sendUnsentLocked() {
        for (Outgoing outgoing : unsent) {
            overTcp(outgoing);
        }
        unsent.clear();
    }

    /**
     * The channel's word on an accepted message: only now is it reported written; one handed back unsent waits for
     * the switch to TCP; one that will never arrive fails.
     */
    private void settled(Outgoing outgoing, Buffer frame, Throwable failure) {
        if (failure == null) {
            outgoing.written(frame, metrics);
            return;
        }
        if (outgoing.replyAddress() != null) {
            pending.untrack(nodeId, outgoing.replyAddress());
        }
        if (failure instanceof NotSentException) {
            synchronized (this) {
                if (path == Path.TCP || forgotten) {
                    overTcp(outgoing);
                } else {
                    unsent.add(outgoing);
                }
            }
            return;
        }
        counters.undeliveredMessages.increment();
        outgoing.undelivered(nodeId, failure);
    }

    private void decided(Path decision) {
        Path target = decision;
        while (true) {
            List<Outgoing> batch;
            synchronized (this) {
                if (refusal != null) {
                    target = Path.TCP;
                }
                if (target == Path.TCP) {
                    sendUnsentLocked(); // accepted before anything waiting here, so they leave first
                }
                if (waiting.isEmpty()) {
                    if (target == Path.TCP) {
                        becomeTcpLocked();
                    } else {
                        path = target;
                    }
                    resolving = false;
                    return;
                }
                batch = new ArrayList<>(waiting);
                waiting.clear();
            }
            // Sent outside the lock; messages routed meanwhile queue behind this batch, so order holds.
            for (int i = 0; i < batch.size(); i++) {
                Outgoing outgoing = batch.get(i);
                if (target == Path.CHANNEL) {
                    if (transmit(outgoing)) {
                        continue;
                    }
                    // Refused: the rest of the batch waits, still ahead of what queued since, for the channel to settle.
                    holdUntilSettled(batch.subList(i, batch.size()));
                    return;
                }
                overTcp(outgoing);
            }
        }
    }
}
