package org.rdmabus.transport.impl.vertx;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one Vert.x instance's hook did, counted. Tests read these to prove that traffic really took the channel;
 * the Micrometer binding will publish them.
 */
public final class HookCounters {

    final LongAdder channelSends = new LongAdder();
    final LongAdder tcpSends = new LongAdder();
    final LongAdder uncertainHandOvers = new LongAdder();
    final LongAdder switchesToTcp = new LongAdder();
    final LongAdder divertedReplies = new LongAdder();
    final LongAdder inboundDelivered = new LongAdder();
    final LongAdder inboundNoHandlers = new LongAdder();
    final LongAdder inboundDecodingFailures = new LongAdder();
    final LongAdder inboundMalformed = new LongAdder();
    final LongAdder inboundPings = new LongAdder();
    final LongAdder inboundBeforeStart = new LongAdder();
    final LongAdder inboundMetricsFailures = new LongAdder();
    final LongAdder requestsFailedOnPeerLoss = new LongAdder();
    final LongAdder undeliveredMessages = new LongAdder();

    /**
     * Messages the channel accepted, one per destination node.
     *
     * @return the count
     */
    public long channelSends() {
        return channelSends.sum();
    }

    /**
     * Messages to a remote node that the hook routed and left to Vert.x's TCP transport, one per destination node.
     *
     * @return the count
     */
    public long tcpSends() {
        return tcpSends.sum();
    }

    /**
     * Selections whose message could not be identified with certainty and therefore went the Vert.x way.
     *
     * @return the count
     */
    public long uncertainHandOvers() {
        return uncertainHandOvers.sum();
    }

    /**
     * Destinations switched from the channel to TCP for good.
     *
     * @return the count
     */
    public long switchesToTcp() {
        return switchesToTcp.sum();
    }

    /**
     * Replies taken off Vert.x's direct reply path so that they follow their destination's path.
     *
     * @return the count
     */
    public long divertedReplies() {
        return divertedReplies.sum();
    }

    /**
     * Inbound messages handed to this node's handlers.
     *
     * @return the count
     */
    public long inboundDelivered() {
        return inboundDelivered.sum();
    }

    /**
     * Inbound messages for an address without handlers here (answered NO_HANDLERS when they expect a reply).
     *
     * @return the count
     */
    public long inboundNoHandlers() {
        return inboundNoHandlers.sum();
    }

    /**
     * Inbound messages Vert.x could not decode (e.g. an unknown codec), answered with an error as over TCP.
     *
     * @return the count
     */
    public long inboundDecodingFailures() {
        return inboundDecodingFailures.sum();
    }

    /**
     * Inbound frames dropped because they are malformed.
     *
     * @return the count
     */
    public long inboundMalformed() {
        return inboundMalformed.sum();
    }

    /**
     * Inbound connection-level pings, dropped (never injected into the bus).
     *
     * @return the count
     */
    public long inboundPings() {
        return inboundPings.sum();
    }

    /**
     * Inbound messages dropped because they arrived before the event bus started.
     *
     * @return the count
     */
    public long inboundBeforeStart() {
        return inboundBeforeStart.sum();
    }

    /**
     * Inbound messages on which the event-bus metrics implementation threw; each was still delivered.
     *
     * @return the count
     */
    public long inboundMetricsFailures() {
        return inboundMetricsFailures.sum();
    }

    /**
     * Requests carried by the channel that were failed at once because their destination was lost (the channel
     * reported it failed, or it left the cluster) instead of waiting for their timeout.
     *
     * @return the count
     */
    public long requestsFailedOnPeerLoss() {
        return requestsFailedOnPeerLoss.sum();
    }

    /**
     * Messages the channel accepted but reported never delivered; each failed its write (and its request) instead.
     *
     * @return the count
     */
    public long undeliveredMessages() {
        return undeliveredMessages.sum();
    }

    @Override
    public String toString() {
        return "HookCounters{channelSends=" + channelSends() + ", tcpSends=" + tcpSends() + ", uncertainHandOvers=" + uncertainHandOvers()
            + ", switchesToTcp=" + switchesToTcp() + ", divertedReplies=" + divertedReplies() + ", inboundDelivered=" + inboundDelivered()
            + ", inboundNoHandlers=" + inboundNoHandlers() + ", inboundDecodingFailures=" + inboundDecodingFailures()
            + ", inboundMalformed=" + inboundMalformed() + ", inboundPings=" + inboundPings() + ", inboundBeforeStart=" + inboundBeforeStart()
            + ", inboundMetricsFailures=" + inboundMetricsFailures() + ", requestsFailedOnPeerLoss=" + requestsFailedOnPeerLoss() + ", undeliveredMessages=" + undeliveredMessages() + '}';
    }
}
