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
 * <h2>Requests that go over TCP to a lost destination</h2>
 * Once the channel has reported a node failed, its traffic takes TCP. If the node's process is dead, Vert.x fails
 * the TCP write (connection refused) but not the request, which would wait out its timeout. So the hook asks
 * whether the node's event-bus port still answers ({@link TcpReachability}), and meanwhile remembers the requests
 * it sends there over TCP ({@link #trackOverTcp}): when the port does not answer ({@link #unreachableOverTcp})
 * they fail at once, and so do later ones; when it answers ({@link #reachableOverTcp}: a link failure, not a
 * death), TCP carries them as it carries any request, and they are forgotten. A node that has left the cluster
 * may still be chosen by Vert.x for a moment, until its registrations are gone: requests sent to it over TCP in the
 * minute after it left fail at once too ({@link #forget}).
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
    /** How long after a node left a request to it over TCP still fails at once; Vert.x forgets it well before. */
    private static final long DEPARTED_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Vert.x's default send timeout, for a request whose options could not be read. */
    private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    private final Failer failer;
    private final LongSupplier clock;
    private final Map<String, Map<String, Long>> byNode = new ConcurrentHashMap<>();
    private final Map<String, String> lost = new ConcurrentHashMap<>();
    /** Per lost node whose TCP verdict is not in yet: requests sent to it over TCP, as in {@link #byNode}. */
    private final Map<String, Map<String, Long>> overTcp = new ConcurrentHashMap<>();
    /** Lost nodes whose event-bus port does not answer either, with the reason their requests fail with. */
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    /** Lost nodes whose event-bus port answers: their requests over TCP are TCP's business. */
    private final Set<String> reachable = ConcurrentHashMap.newKeySet();
    /** Nodes that left the cluster, until when a request to them over TCP still fails at once, and the reason. */
    private final Map<String, Departure> departed = new ConcurrentHashMap<>();

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
        byNode.computeIfAbsent(nodeId, id -> new ConcurrentHashMap<>()).put(replyAddress, deadline(timeoutMillis));
        String reason = lost.get(nodeId);
        if (reason != null) {
            // Lost while this request was being routed: whoever removes the entry fails it, exactly once.
            failIfPresent(byNode, nodeId, replyAddress, reason);
        }
    }

    private long deadline(long timeoutMillis) {
        long timeout = timeoutMillis > 0 ? timeoutMillis : DEFAULT_TIMEOUT_MILLIS;
        return clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeout) + EXPIRY_SLACK_NANOS;
    }

    /**
     * A request goes over TCP. It matters here only if its destination is lost (the channel reported it failed)
     * and its event-bus port is not known to answer: then it fails as soon as the port is found dead, at once if it
     * already was.
     *
     * @param nodeId        the destination
     * @param replyAddress  the request's reply address
     * @param timeoutMillis the request's own timeout, or a negative value when unknown
     */
    void trackOverTcp(String nodeId, String replyAddress, long timeoutMillis) {
        Departure departure = departed.get(nodeId);
        if (departure != null) {
            failer.fail(replyAddress, departure.reason);
            return;
        }
        if (!lost.containsKey(nodeId) || reachable.contains(nodeId)) {
            return;
        }
        overTcp.computeIfAbsent(nodeId, id -> new ConcurrentHashMap<>()).put(replyAddress, deadline(timeoutMillis));
        String reason = unreachable.get(nodeId);
        if (reason != null) {
            failIfPresent(overTcp, nodeId, replyAddress, reason);
        }
    }

    /**
     * A lost destination's event-bus port does not answer: its requests over TCP could only time out, so they fail
     * now, and later ones at once.
     *
     * @param nodeId the destination, lost before
     * @param reason why, for the requesters
     * @return how many requests were failed
     */
    int unreachableOverTcp(String nodeId, String reason) {
        if (!lost.containsKey(nodeId)) {
            return 0; // it left meanwhile, and forget() failed what waited
        }
        unreachable.putIfAbsent(nodeId, reason);
        return failAll(overTcp, nodeId, unreachable.get(nodeId));
    }

    /**
     * A lost destination's event-bus port answers (the channel failed, the process did not): TCP carries its
     * requests from now on, with their own timeouts.
     *
     * @param nodeId the destination, lost before
     */
    void reachableOverTcp(String nodeId) {
        if (lost.containsKey(nodeId)) {
            reachable.add(nodeId);
        }
        overTcp.remove(nodeId);
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
        return failAll(byNode, nodeId, lost.get(nodeId));
    }

    /**
     * The destination left the cluster for good: fails what waits on it and forgets it.
     *
     * @param nodeId the departed node
     * @param reason why, for the requesters
     * @return how many requests were failed
     */
    int forget(String nodeId, String reason) {
        lost.putIfAbsent(nodeId, reason);
        int failed = failAll(byNode, nodeId, reason) + failAll(overTcp, nodeId, reason);
        byNode.remove(nodeId);
        overTcp.remove(nodeId);
        lost.remove(nodeId);
        unreachable.remove(nodeId);
        reachable.remove(nodeId);
        departed.put(nodeId, new Departure(reason, clock.getAsLong() + DEPARTED_NANOS));
        return failed;
    }

    /** Drops the entries whose requests have timed out by themselves; run every second or so. */
    void expire() {
        expire(byNode);
        expire(overTcp);
        long now = clock.getAsLong();
        departed.values().removeIf(departure -> now - departure.until > 0);
    }

    private void expire(Map<String, Map<String, Long>> requests) {
        long now = clock.getAsLong();
        for (Map.Entry<String, Map<String, Long>> node : requests.entrySet()) {
            Map<String, Long> pending = node.getValue();
            pending.values().removeIf(deadline -> now - deadline > 0);
            if (pending.isEmpty()) {
                requests.remove(node.getKey(), pending);
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
        for (Map<String, Long> pending : overTcp.values()) {
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

    private int failAll(Map<String, Map<String, Long>> requests, String nodeId, String reason) {
        Map<String, Long> pending = requests.get(nodeId);
        if (pending == null) {
            return 0;
        }
        int failed = 0;
        for (String replyAddress : new ArrayList<>(pending.keySet())) {
            if (failIfPresent(requests, nodeId, replyAddress, reason)) {
                failed++;
            }
        }
        return failed;
    }

    private boolean failIfPresent(Map<String, Map<String, Long>> requests, String nodeId, String replyAddress, String reason) {
        Map<String, Long> pending = requests.get(nodeId);
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

    /**
     * The message a requester sees when the destination's channel failed and its event-bus port does not answer.
     *
     * @param nodeId the lost destination
     * @param detail what the check found, e.g. the address and the connection error
     * @return the message
     */
    static String deadPort(String nodeId, String detail) {
        return "rdmabus: the channel to node " + nodeId + " failed and its event-bus port does not answer either ("
            + detail + "): its process is gone";
    }

    /** A node that left: why its requests fail, and until when. */
    private record Departure(String reason, long until) {
    }

    @Override
    public String toString() {
        List<String> nodes = new ArrayList<>();
        byNode.forEach((node, pending) -> nodes.add(node + "=" + pending.size()));
        return "PendingRequests" + nodes + (lost.isEmpty() ? "" : " lost=" + lost.keySet());
    }
}
