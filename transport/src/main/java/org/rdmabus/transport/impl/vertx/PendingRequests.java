package org.rdmabus.transport.impl.vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The requests this node sent over the channel that still wait for their reply, per destination node, so that
 * they can be failed at once when the destination is lost instead of waiting out their timeout.
 *
 * <h2>Why</h2>
 * Over TCP, Vert.x fails a request whose connection breaks only while the message is still unwritten; a request
 * already written waits for its timeout (30 seconds by default). Over the channel the hook learns more: the channel
 * reports a peer whose process died ({@code RETRY_EXCEEDED} from the fabric) or whose link failed, and the cluster
 * reports a node that left. A request carried to such a node will never be answered, so it is failed within
 * moments of the report with a {@code ReplyException} naming the cause.
 *
 * <h2>Life of an entry</h2>
 * An entry (the request's reply address, and when its own timeout makes it moot) is added <em>before</em> the
 * channel is offered the message, so a failure reported while the offer is under way cannot miss it, and removed
 * when the reply arrives over the channel ({@link #replied}), when the channel refuses the message
 * ({@link #untrack}), or when its timeout has passed ({@link #expire}; the requester has given up by itself). A
 * reply that comes back over TCP leaves its entry to expire, which is harmless: failing a reply address nobody
 * listens on any more is dropped by Vert.x.
 *
 * <p>A destination, once lost, stays lost: later entries for it fail at once. Node ids are never reused (a
 * restarted node joins under a new id), and the channel refuses the node from then on, so such an entry only
 * exists in the instant between the channel's report and the route switching to TCP.
 *
 * <p>Thread-safe; every method is non-blocking.
 */
final class PendingRequests {

    /** Where failed requests go: fail the request waiting on this reply address with this reason. */
    @FunctionalInterface
    interface Failer {

        /**
         * Fails one waiting request.
         *
         * @param replyAddress the request's reply address
         * @param reason       why, for the {@code ReplyException} message
         */
        void fail(String replyAddress, String reason);
    }

    /** Added to a request's own timeout before its entry is dropped: its reply may still be on the way. */
    private static final long EXPIRY_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Vert.x's default send timeout, for a request whose options could not be read. */
    private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    private final Failer failer;
    private final LongSupplier clock;
    private final Map<String, Map<String, Long>> byNode = new ConcurrentHashMap<>();
    private final Map<String, String> lost = new ConcurrentHashMap<>();

    /**
     * @param failer fails a request; called on whatever thread reported the loss, so it should hand over quickly
     * @param clock  {@link System#nanoTime()} or a test clock
     */
    PendingRequests(Failer failer, LongSupplier clock) {
        this.failer = failer;
        this.clock = clock;
    }

    /**
     * Remembers a request before the channel is offered it.
     *
     * @param nodeId        the destination
     * @param replyAddress  the request's reply address
     * @param timeoutMillis the request's own timeout, or a negative value when unknown
     */
    void track(String nodeId, String replyAddress, long timeoutMillis) {
        long timeout = timeoutMillis > 0 ? timeoutMillis : DEFAULT_TIMEOUT_MILLIS;
        long deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeout) + EXPIRY_SLACK_NANOS;
        byNode.computeIfAbsent(nodeId, id -> new ConcurrentHashMap<>()).put(replyAddress, deadline);
        String reason = lost.get(nodeId);
        if (reason != null) {
            // Lost while this request was being routed: whoever removes the entry fails it, exactly once.
            failIfPresent(nodeId, replyAddress, reason);
        }
    }

    /**
     * The channel refused the request: it goes over TCP and is no longer this class's business.
     *
     * @param nodeId       the destination
     * @param replyAddress the request's reply address
     */
    void untrack(String nodeId, String replyAddress) {
        Map<String, Long> pending = byNode.get(nodeId);
        if (pending != null) {
            pending.remove(replyAddress);
        }
    }

    /**
     * A message from a node arrived over the channel; if it answers a request sent there, that request is settled.
     *
     * @param sourceNodeId the sender
     * @param address      the message's address (a reply's address is the request's reply address)
     */
    void replied(String sourceNodeId, String address) {
        Map<String, Long> pending = byNode.get(sourceNodeId);
        if (pending != null && !pending.isEmpty()) {
            pending.remove(address);
        }
    }

    /**
     * The destination is lost: every request waiting on it fails now, and any tracked later fails at once.
     *
     * @param nodeId the destination
     * @param reason why, for the requesters
     * @return how many requests were failed
     */
    int lose(String nodeId, String reason) {
        lost.putIfAbsent(nodeId, reason);
        String recorded = lost.get(nodeId);
        Map<String, Long> pending = byNode.get(nodeId);
        if (pending == null) {
            return 0;
        }
        int failed = 0;
        for (String replyAddress : new ArrayList<>(pending.keySet())) {
            if (failIfPresent(nodeId, replyAddress, recorded)) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * The destination left the cluster for good: fails what waits on it and forgets it.
     *
     * @param nodeId the departed node
     * @param reason why, for the requesters
     * @return how many requests were failed
     */
    int forget(String nodeId, String reason) {
        int failed = lose(nodeId, reason);
        byNode.remove(nodeId);
        lost.remove(nodeId);
        return failed;
    }

    /** Drops the entries whose requests have timed out by themselves; run every second or so. */
    void expire() {
        long now = clock.getAsLong();
        for (Map.Entry<String, Map<String, Long>> node : byNode.entrySet()) {
            Map<String, Long> pending = node.getValue();
            pending.values().removeIf(deadline -> now - deadline > 0);
            if (pending.isEmpty()) {
                byNode.remove(node.getKey(), pending);
            }
        }
    }

    /**
     * The destinations that owe replies.
     *
     * @return their node ids, a snapshot
     */
    List<String> waitingNodes() {
        List<String> nodes = new ArrayList<>();
        byNode.forEach((node, pending) -> {
            if (!pending.isEmpty() && !lost.containsKey(node)) {
                nodes.add(node);
            }
        });
        return nodes;
    }

    /**
     * How many requests are tracked, for tests and metrics.
     *
     * @return the count over every destination
     */
    int size() {
        int sum = 0;
        for (Map<String, Long> pending : byNode.values()) {
            sum += pending.size();
        }
        return sum;
    }

    /**
     * The destinations currently marked lost, for tests.
     *
     * @return their node ids
     */
    Set<String> lostNodes() {
        return Set.copyOf(lost.keySet());
    }

    private boolean failIfPresent(String nodeId, String replyAddress, String reason) {
        Map<String, Long> pending = byNode.get(nodeId);
        if (pending == null || pending.remove(replyAddress) == null) {
            return false;
        }
        failer.fail(replyAddress, reason);
        return true;
    }

    /**
     * The failures a requester sees: the reasons below are its {@code ReplyException} message.
     *
     * @param nodeId the lost destination
     * @return the message for a peer the channel reported failed
     */
    static String channelFailure(String nodeId) {
        return "rdmabus: the channel to node " + nodeId + " failed (its process died or its link broke) before the reply came";
    }

    /**
     * The message a requester sees when the destination left the cluster.
     *
     * @param nodeId the departed destination
     * @return the message
     */
    static String nodeLeft(String nodeId) {
        return "rdmabus: node " + nodeId + " left the cluster before the reply came";
    }

    @Override
    public String toString() {
        List<String> nodes = new ArrayList<>();
        byNode.forEach((node, pending) -> nodes.add(node + "=" + pending.size()));
        return "PendingRequests" + nodes + (lost.isEmpty() ? "" : " lost=" + lost.keySet());
    }
}
