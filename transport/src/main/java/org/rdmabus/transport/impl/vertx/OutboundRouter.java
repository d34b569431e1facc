package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Completable;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.spi.metrics.EventBusMetrics;
import org.rdmabus.transport.impl.NodeChannel;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The outbound half of the hook once the event bus has started: it takes the messages the node selector and the
 * interceptor hand over and sends each on its destination's path ({@link DestinationRoute}).
 */
final class OutboundRouter {

    private static final System.Logger LOG = System.getLogger(OutboundRouter.class.getName());

    private final String localNodeId;
    private final NodeChannel channel;
    private final PathResolver resolver;
    private final EventBusMetrics<?> metrics;
    private final HookCounters counters;
    private final ReplyRoutes replyRoutes = new ReplyRoutes();
    private final ConcurrentMap<String, DestinationRoute> routes = new ConcurrentHashMap<>();
    private final PendingRequests pending;

    OutboundRouter(String localNodeId, NodeChannel channel, PathResolver resolver, EventBusMetrics<?> metrics, HookCounters counters,
                                 PendingRequests pending) {
        this.localNodeId = localNodeId;
        this.channel = channel;
        this.resolver = resolver;
        this.metrics = metrics;
        this.counters = counters;
        this.pending = pending;
    }

    boolean isLocal(String nodeId) {
        return localNodeId.equals(nodeId);
    }

    /**
     * Routes a point-to-point message (a send, a request, or a reply taken off Vert.x's reply path).
     *
     * @param nodeId   the destination, a remote node
     * @param handOver the message and its write promise
     * @param vertx    Vert.x's selector callback, which sends over TCP when completed with the node id
     */
    void routeSend(String nodeId, VertxInternals.HandOver handOver, Completable<String> vertx) {
        String replyAddress = handOver.message.replyAddress();
        long timeout = replyAddress == null ? -1 : VertxInternals.sendTimeoutOf(handOver.writePromise);
        Outgoing outgoing = new Outgoing(handOver.message.address(), handOver.writePromise, encoding(handOver), () -> vertx.succeed(nodeId),
            replyAddress, timeout);
        route(nodeId).submit(outgoing, resolver);
    }

    /**
     * Routes a publish. Vert.x's callback is completed only with the nodes that take TCP (or this node), never with
     * an empty list: Vert.x would take that as "no handlers" and fail the publish.
     *
     * <p>The destinations are served in Vert.x's order, each run of nodes that go Vert.x's way handed back before the
     * next channel destination encodes the message. The order matters to the metrics: Vert.x reports a local
     * delivery as remote once the message has been encoded for the wire, so a local consumer listed before a remote
     * one must be served before the encoding, as over TCP.
     *
     * @param nodeIds  the nodes with consumers, as selected by Vert.x
     * @param handOver the message and its write promise
     * @param vertx    Vert.x's selector callback; may be completed several times, each with other nodes
     */
    void routePublish(Iterable<String> nodeIds, VertxInternals.HandOver handOver, Completable<Iterable<String>> vertx) {
        List<String> viaVertx = new ArrayList<>();
        EncodedMessage encoded = encoding(handOver);
        for (String nodeId : nodeIds) {
            if (isLocal(nodeId)) {
                viaVertx.add(nodeId);
                continue;
            }
            DestinationRoute route = route(nodeId);
            if (route.path() == Path.TCP) {
                counters.tcpSends.increment();
                viaVertx.add(nodeId);
            } else {
                if (!viaVertx.isEmpty()) {
                    vertx.succeed(List.copyOf(viaVertx));
                    viaVertx.clear();
                }
                route.submit(new Outgoing(handOver.message.address(), handOver.writePromise, encoded, () -> vertx.succeed(List.of(nodeId))), resolver);
            }
        }
        if (!viaVertx.isEmpty()) {
            vertx.succeed(viaVertx);
        }
    }

    /**
     * Called by the outbound interceptor for every message: a reply to a remote node is taken off Vert.x's direct
     * reply path (which always writes to TCP) and sent through the node selector instead, where
     * {@link #takeReplyRoute} finds its destination again. Replies thus follow their destination's path like every
     * other message, keep the TCP semantics (tracing, metrics, write promise, interceptors), and need no state beyond
     * the call chain.
     *
     * @param context the outbound delivery context
     */
    void prepareReply(DeliveryContext<?> context) {
        Message<?> message = context.message();
        String destination = VertxInternals.repliedTo(message);
        if (destination == null || isLocal(destination) || route(destination).path() == Path.TCP) {
            return;
        }
        DeliveryOptions options = VertxInternals.deliveryOptionsOf(context);
        if (options == null || options.isLocalOnly()) {
            // Vert.x sends this reply over TCP whatever rdmabus does; keep the destination's stream on one path.
            route(destination).switchToTcp(options == null
                ? "a reply's delivery options could not be read, so it takes Vert.x's TCP reply path"
                : "a reply sent with localOnly delivery options takes Vert.x's TCP reply path");
            return;
        }
        replyRoutes.put(message, destination);
        VertxInternals.setRepliedTo(message, null);
        counters.divertedReplies.increment();
    }

    /**
     * The destination of a reply that {@link #prepareReply} took off Vert.x's reply path.
     *
     * @param message a message being selected
     * @return the node to reply to, or {@code null} when the message is not such a reply
     */
    String takeReplyRoute(Message<?> message) {
        return replyRoutes.take(message);
    }

    /** A selection whose message could not be identified: it goes the Vert.x way. */
    void uncertain(String address) {
        counters.uncertainHandOvers.increment();
        LOG.log(Level.DEBUG, "rdmabus: could not identify the message selected for {0}; it takes Vert.x''s path", address);
    }

    void peerFailed(String nodeId) {
        DestinationRoute route = routes.get(nodeId);
        if (route != null) {
            route.switchToTcp("the channel reported the peer failed");
        }
    }

    void peerLeft(String nodeId) {
        DestinationRoute route = routes.remove(nodeId);
        if (route != null) {
            route.forget();
        }
    }

    private static EncodedMessage encoding(VertxInternals.HandOver handOver) {
        return new EncodedMessage(() -> VertxInternals.encode(handOver.message));
    }

    private DestinationRoute route(String nodeId) {
        DestinationRoute route = routes.get(nodeId);
        if (route == null) {
            route = routes.computeIfAbsent(nodeId, id -> new DestinationRoute(id, channel, metrics, counters, pending));
        }
        return route;
    }
}
