package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.MetricsProvider;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.ProviderCandidates;

import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.rdmabus.transport.RdmaBusMetrics;

/**
 * rdmabus on one clustered Vert.x instance: it owns the node channel and wires it to the node selector decorator,
 * the event-bus options, the outbound interceptor and the inbound dispatcher, in the order Vert.x starts them:
 * <ol>
 *   <li>{@link #clusterNode} (node selector {@code init}), then the cluster join;</li>
 *   <li>{@link #clusterNodeMetadata} (Vert.x reads the node's metadata once it has joined): the channel of the best
 *       provider is created and started under this node's id, and its advertisement is added to the metadata
 *       Vert.x publishes in the node's info;</li>
 *   <li>{@link #eventBusStarted}: inbound delivery starts, membership is watched, the interceptor is installed, the
 *       start-up probe runs, and outbound diversion starts if it passed. This runs before any user code can use the
 *       bus.</li>
 * </ol>
 * The application's cluster manager is never wrapped or replaced, and its node-listener slot is left to Vert.x
 * ({@link MembershipWatch}). The channel closes once Vert.x has left the cluster ({@link VertxInternals#afterClusterLeft}).
 *
 * <p>A provider whose channel cannot be created or started is closed and passed over for the next one
 * ({@link ChannelSelection}); only when none is left does the node stay on TCP. Nothing rdmabus does here can fail
 * the application's start: every failure leaves the node on TCP. Exactly one line per instance says which path its
 * traffic takes, and why each better provider was passed over: INFO, or WARN when the node stays on TCP because
 * something failed.
 */
public final class BusHook {

    private static final System.Logger LOG = System.getLogger(BusHook.class.getName());
    /**
     * How often nodes that owe replies are checked alive through the channel, and requests that timed out by
     * themselves are dropped: with the fabric's dead-peer detection this bounds how long a request waits on a dead
     * node.
     */
    private static final long PENDING_CHECK_PERIOD_MILLIS = 100;
    private static final DeliveryOptions LOCAL_ONLY = new DeliveryOptions().setLocalOnly(true);
    /** First delay before learning a joined node again whose node info was not published yet; doubles each time. */
    private static final long FIRST_LEARN_RETRY_MILLIS = 10;
    /** The last delay tried: about 10 s of retries in all, after which the first message looks the node up. */
    private static final long LAST_LEARN_RETRY_MILLIS = 5_120;

    private final RdmaEventBusOptions options;
    private final ChannelSelection selection;
    private final EventBusOptions eventBusOptions;
    private final HookCounters counters = new HookCounters();
    private final InboundDispatcher dispatcher = new InboundDispatcher(counters);
    private final MeterRegistry metricsRegistry;
    private final List<PeerListener> peerListeners = new CopyOnWriteArrayList<>();

    private volatile Vertx vertx;
    private volatile NodeChannel channel;
    private volatile ClusteredNode cluster;
    private volatile MembershipWatch membership;
    // Guarded by this: whether the join was seen (the channel started, or failed to), and what it advertises.
    private boolean joined;
    private String advertisement;
    private volatile PeerDirectory directory;
    private volatile String localNodeId;
    private volatile HandOverProbe probe;
    private volatile OutboundRouter router;
    private volatile TlsGate tlsGate;
    private volatile PendingRequests pending;
    private volatile TcpReachability tcpReachability;
    private volatile long pendingCheckTimer = -1;
    private volatile String description = "rdmabus is starting";
    private volatile RdmaBusMetrics meterBinder;

    BusHook(RdmaEventBusOptions options, ProviderCandidates candidates, EventBusOptions eventBusOptions,
                    MeterRegistry metricsRegistry) {
        this.options = options;
        this.selection = new ChannelSelection(candidates, options, this::wire);
        this.eventBusOptions = eventBusOptions;
        this.metricsRegistry = metricsRegistry;
    }

    /** Told when cluster nodes join and leave, for per-peer meters. */
    public interface PeerListener {

        /**
         * A node joined, or was a member already when the listener was added.
         *
         * @param nodeId the node
         */
        void joined(String nodeId);

        /**
         * A node left.
         *
         * @param nodeId the node
         */
        void left(String nodeId);
    }

    /**
     * Adds a membership listener and tells it the current peers.
     *
     * @param listener told of every peer, this node excluded
     */
    public void addPeerListener(PeerListener listener) {
        peerListeners.add(listener);
        ClusteredNode node = cluster;
        if (node != null) {
            for (String nodeId : new ArrayList<>(node.getNodes())) {
                if (!nodeId.equals(localNodeId)) {
                    listener.joined(nodeId);
                }
            }
        }
    }

    /**
     * Removes a membership listener.
     *
     * @param listener a listener added before
     */
    public void removePeerListener(PeerListener listener) {
        peerListeners.remove(listener);
    }

    /**
     * This node's cluster node id.
     *
     * @return the id, or {@code null} before the node joined
     */
    public String localNodeId() {
        return localNodeId;
    }

    /**
     * What the hook did so far.
     *
     * @return the live counters
     */
    public HookCounters counters() {
        return counters;
    }

    /**
     * The channel of this instance, for tests and diagnostics.
     *
     * @return the channel, or {@code null} when none could be created
     */
    public NodeChannel channel() {
        return channel;
    }

    /**
     * Whether outbound traffic to nodes with a channel takes it.
     *
     * @return {@code true} once the event bus started and the start-up probe passed
     */
    public boolean isActive() {
        return router != null;
    }

    /**
     * The start-up log line: the path this instance's traffic takes, and why.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    void clusterNode(ClusteredNode node) {
        cluster = node;
    }

    /**
     * The cluster node metadata Vert.x publishes: the application's, plus the channel's advertisement. Vert.x reads
     * it before the join too (when it copies its options); the first read once the cluster has given this node its id
     * starts the channel. Never throws: whatever fails leaves the node on TCP with the application's metadata.
     *
     * @param application the metadata the application set, or {@code null}
     * @return the metadata to publish
     */
    JsonObject clusterNodeMetadata(JsonObject application) {
        try {
            return PeerDirectory.advertising(application, advertisementOnceJoined());
        } catch (RuntimeException | LinkageError e) {
            failedToTcp("starting failed: " + e);
            return application;
        }
    }

    private synchronized String advertisementOnceJoined() {
        if (!joined) {
            ClusteredNode node = cluster;
            String nodeId = node == null ? null : node.getNodeId();
            if (nodeId == null) {
                return null;
            }
            joined = true;
            advertisement = startChannel(node, nodeId);
        }
        return advertisement;
    }

    /**
     * Starts the channel under this node's id; when it fails, the next provider's, until one starts or none is left.
     *
     * @return the advertisement to publish, or {@code null} for none
     */
    private String startChannel(ClusteredNode node, String nodeId) {
        localNodeId = nodeId;
        Vertx owner = VertxInternals.instanceOnThisThread(node);
        if (owner == null) {
            failedToTcp("Vert.x started its event bus on a thread of none of its contexts, so the channel could not be tied to the instance");
            return null;
        }
        vertx = owner;
        VertxInternals.afterClusterLeft(owner, this::close);
        NodeChannel current = selection.createNext();
        while (current != null) {
            channel = current;
            try {
                current.start(nodeId);
                PeerDirectory peers = new PeerDirectory(node, current);
                current.advertisementLookup(peers::advertisement);
                String published = current.localAdvertisement();
                directory = peers;
                return published;
            } catch (RuntimeException | LinkageError e) {
                current = selection.startFailed(current, e);
            }
        }
        channel = null;
        noChannel();
        return null;
    }

    private void wire(NodeChannel created) {
        created.onInbound(dispatcher);
        created.onPeerFailure(this::peerFailed);
    }

    void eventBusStarted() {
        synchronized (this) {
            if (!joined) {
                joined = true;
                failedToTcp("Vert.x published this node's info without reading its cluster node metadata, so no channel was advertised");
            }
        }
        NodeChannel current = channel;
        PeerDirectory peers = directory;
        Vertx owner = vertx != null ? vertx : VertxInternals.instanceOnThisThread(cluster);
        if (current == null || peers == null) {
            // Registered anyway, so that RdmaEventBus.status says why this node stays on TCP.
            if (owner != null) {
                HookRegistry.register(owner, this);
            }
            return;
        }
        try {
            EventBus bus = owner.eventBus();
            if (!VertxInternals.isClusteredEventBus(bus)) {
                stayOnTcp("the event bus is not Vert.x's clustered event bus but " + bus.getClass().getName());
                return;
            }
            EventBusMetrics<?> metrics = bus instanceof MetricsProvider ? (EventBusMetrics<?>) ((MetricsProvider) bus).getMetrics() : null;
            Context replyContext = ((VertxInternal) owner).createEventLoopContext();
            PendingRequests requests = new PendingRequests((replyAddress, reason) -> replyContext.runOnContext(
                v -> bus.send(replyAddress, new ReplyException(ReplyFailure.ERROR, reason), LOCAL_ONLY)), System::nanoTime);
            pending = requests;
            tcpReachability = new TcpReachability(owner, peers::learn);
            pendingCheckTimer = owner.setPeriodic(PENDING_CHECK_PERIOD_MILLIS, id -> checkPending(requests, current));
            dispatcher.arm(bus, replyContext, metrics, requests);
            HookRegistry.register(owner, this);
            if (options.isMetricsEnabled()) {
                RdmaBusMetrics bound = new RdmaBusMetrics(owner);
                bound.bindTo(metricsRegistry);
                meterBinder = bound;
            }
            MembershipWatch watch = new MembershipWatch(cluster, localNodeId, replyContext, new NodeListener() {
                @Override
                public void nodeAdded(String nodeId) {
                    peerJoined(nodeId);
                }

                @Override
                public void nodeLeft(String nodeId) {
                    peerLeft(nodeId);
                }
            });
            membership = watch;
            watch.start();

            HandOverInterceptor interceptor = new HandOverInterceptor(this, bus);
            HandOverProbe started = new HandOverProbe();
            probe = started;
            interceptor.install();
            String failure = started.run(bus);
            probe = null;
            if (failure != null) {
                bus.removeOutboundInterceptor(interceptor);
                stayOnTcp(failure + "; messages from peers that arrive over the channel are still delivered");
                return;
            }
            if (eventBusOptions.isSsl()) {
                tlsGate = new TlsGate(owner, eventBusOptions);
            }
            // Described before the router exists: if describing fails, outbound traffic stays on TCP, as the line says.
            String taken = "rdmabus: event-bus traffic of node " + localNodeId + " takes the '" + selection.provider() + "' channel ("
                + current.describe() + ")" + selection.passedOver() + (eventBusOptions.isSsl() ? "; the TLS event bus opted in (allowWithTls), the channel does not encrypt" : "");
            router = new OutboundRouter(localNodeId, current, this::resolve, metrics, counters, requests);
            description = taken;
            LOG.log(Level.INFO, description);
        } catch (RuntimeException | LinkageError e) {
            failedToTcp("starting failed: " + e);
        }
    }

    /** The cluster manager reported lost registrations, as it does when a member leaves. */
    void membershipMayHaveChanged() {
        MembershipWatch watch = membership;
        if (watch != null) {
            watch.membershipMayHaveChanged();
        }
    }

    /** From the outbound interceptor, for every message. */
    void beforeDispatch(DeliveryContext<?> context) {
        HandOverProbe running = probe;
        if (running != null) {
            running.observe(context);
        }
        OutboundRouter current = router;
        if (current != null) {
            current.prepareReply(context);
        }
    }

    OutboundRouter router() {
        return router;
    }

    boolean probeSend(String address, Completable<?> callback) {
        HandOverProbe running = probe;
        return running != null && running.observeSelection(address, callback, false);
    }

    boolean probePublish(String address, Completable<?> callback) {
        HandOverProbe running = probe;
        return running != null && running.observeSelection(address, callback, true);
    }

    void peerJoined(String nodeId) {
        PeerDirectory peers = directory;
        if (peers != null && !nodeId.equals(localNodeId)) {
            learnWhenPublished(peers, nodeId, FIRST_LEARN_RETRY_MILLIS);
            peerListeners.forEach(listener -> listener.joined(nodeId));
        }
    }

    /**
     * A node joins the cluster before it publishes its node info (and advertisement), so learning it right at the
     * join event often finds nothing. Retrying with back-off, while the node is a member, means the channel knows its
     * address (and the pool warms the route) before the first message: the first request then costs what later ones
     * do, instead of a cluster look-up.
     */
    private void learnWhenPublished(PeerDirectory peers, String nodeId, long retryMillis) {
        peers.learn(nodeId, info -> {
            Vertx owner = vertx;
            ClusteredNode node = cluster;
            if (info == null && owner != null && node != null && retryMillis <= LAST_LEARN_RETRY_MILLIS
                && node.getNodes().contains(nodeId)) {
                owner.setTimer(retryMillis, id -> learnWhenPublished(peers, nodeId, retryMillis * 2));
            }
        });
    }

    void peerLeft(String nodeId) {
        peerListeners.forEach(listener -> listener.left(nodeId));
        OutboundRouter current = router;
        if (current != null) {
            current.peerLeft(nodeId);
        }
        PendingRequests requests = pending;
        if (requests != null) {
            reportFailedRequests(nodeId, requests.forget(nodeId, PendingRequests.nodeLeft(nodeId)), "it left the cluster");
        }
        PeerDirectory peers = directory;
        if (peers != null) {
            peers.forget(nodeId);
        }
        NodeChannel open = channel;
        if (open != null) {
            open.peerLeft(nodeId);
        }
    }

    private void close() {
        MembershipWatch watch = membership;
        if (watch != null) {
            watch.stop();
        }
        Vertx timers = vertx;
        if (timers != null && pendingCheckTimer != -1) {
            timers.cancelTimer(pendingCheckTimer);
        }
        RdmaBusMetrics bound = meterBinder;
        if (bound != null) {
            bound.close();
        }
        TcpReachability tcp = tcpReachability;
        if (tcp != null) {
            tcp.close();
        }
        NodeChannel open = channel;
        if (open != null) {
            open.close();
        }
        Vertx owner = vertx;
        if (owner != null) {
            HookRegistry.unregister(owner);
        }
    }

    /**
     * The channel gave up on a node. The requests waiting on it fail first, marking it lost, and only then does its
     * route take TCP: so every request routed over TCP from then on is known to go to a lost node, and fails at once
     * if the node's event-bus port, checked now, is dead too.
     */
    private void peerFailed(String nodeId) {
        PendingRequests requests = pending;
        if (requests != null) {
            reportFailedRequests(nodeId, requests.lose(nodeId, PendingRequests.channelFailure(nodeId)), "its channel failed");
        }
        OutboundRouter current = router;
        if (current != null) {
            current.peerFailed(nodeId);
        }
        TcpReachability tcp = tcpReachability;
        if (requests != null && tcp != null) {
            tcp.check(nodeId, (reachable, detail) -> {
                if (reachable) {
                    requests.reachableOverTcp(nodeId);
                    LOG.log(Level.INFO, "rdmabus: node {0} still answers over TCP ({1}); its requests wait for replies there", nodeId, detail);
                } else {
                    reportFailedRequests(nodeId, requests.unreachableOverTcp(nodeId, PendingRequests.deadPort(nodeId, detail)),
                        "its channel failed and its event-bus port does not answer (" + detail + ")");
                }
            });
        }
    }

    private static void checkPending(PendingRequests requests, NodeChannel channel) {
        requests.expire();
        for (String nodeId : requests.waitingNodes()) {
            channel.checkAlive(nodeId);
        }
    }

    private void reportFailedRequests(String nodeId, int failed, String why) {
        if (failed > 0) {
            counters.requestsFailedOnPeerLoss.add(failed);
            LOG.log(Level.WARNING, "rdmabus: failed {0} request(s) waiting for replies from node {1}: {2}", failed, nodeId, why);
        }
    }

    /**
     * The requests this node sent over the channel that still wait for a reply, for tests.
     *
     * @return how many are tracked; 0 before the event bus started
     */
    public int pendingRequests() {
        PendingRequests requests = pending;
        return requests == null ? 0 : requests.size();
    }

    private void resolve(String nodeId, Consumer<Path> decision) {
        directory.learn(nodeId, info -> {
            if (info == null || !channel.reaches(nodeId)) {
                decision.accept(Path.TCP);
            } else if (tlsGate == null) {
                decision.accept(Path.CHANNEL);
            } else {
                tlsGate.verify(nodeId, info, verified -> decision.accept(verified ? Path.CHANNEL : Path.TCP));
            }
        });
    }

    /** Every provider was passed over: a failure if one of them failed, a plain decision otherwise. */
    private void noChannel() {
        if (selection.anyFailed()) {
            failedToTcp(selection.noneUsable());
        } else {
            stayOnTcp(selection.noneUsable());
        }
    }

    private void stayOnTcp(String reason) {
        description = "rdmabus: staying on TCP: " + reason;
        LOG.log(Level.INFO, description);
    }

    /** Something rdmabus tried failed: the node stays on TCP, and the application's start goes on untouched. */
    private void failedToTcp(String reason) {
        description = "rdmabus: staying on TCP: " + reason;
        LOG.log(Level.WARNING, description);
    }
}
