package org.rdmabus.transport.impl.channel;

import java.util.concurrent.atomic.LongAdder;

/** What a node's {@code RdmaChannel} traffic did, counted; the metrics binder publishes these. */
public final class ChannelCounters {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder lateReplies = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder backPressured = new LongAdder();

    /** @return frames (messages, requests, replies, failures) this node handed to the pool. */
    public long sent() {
        return sent.sum();
    }

    /** @return messages and requests handed to this node's channel. */
    public long received() {
        return received.sum();
    }

    /** @return requests this node sent. */
    public long requests() {
        return requests.sum();
    }

    /** @return replies (and failures) that completed one of this node's requests. */
    public long replies() {
        return replies.sum();
    }

    /** @return requests of this node that timed out. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** @return messages dropped, and requests refused, because no channel was open or its subscriber had gone. */
    public long refused() {
        return refused.sum();
    }

    /** @return replies that found no waiting request (timed out, disposed, or the channel closed). */
    public long lateReplies() {
        return lateReplies.sum();
    }

    /** @return frames too short for the channel header, or of an unknown kind. */
    public long malformed() {
        return malformed.sum();
    }

    /** @return sends refused because too many waited for the peer already. */
    public long backPressured() {
        return backPressured.sum();
    }
}
