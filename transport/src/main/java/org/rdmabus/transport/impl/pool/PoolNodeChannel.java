package org.rdmabus.transport.impl.pool;

import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rdmabus.codec.DecodeErrorCounters;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.ConnectionClosedException;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.ConnectLatency;
import org.rdmabus.transport.impl.ConnectionDrains;
import org.rdmabus.transport.impl.InboundHandler;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.channel.ChannelEndpoint;
import org.rdmabus.transport.impl.poller.PollerGroup;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.TargetAddress;

/**
 * The real {@link NodeChannel}: event-bus messages between cluster nodes over the warm QP pool.
 * <p>
 * {@link #start} opens the fabric and pre-creates the pool (initiators, the node's DC target, slabs) and starts
 * the completion pollers, so nothing on the request path creates a queue pair. The advertisement is the pool's DC
 * target address without the access key; peers put the cluster key back.
 * <p>
 * The pool also carries the node's {@code RdmaChannel} traffic ({@link #channelEndpoint()}): each MESSAGE payload
 * starts with an {@link org.rdmabus.transport.impl.Envelope} byte naming its protocol, and both protocols share the
 * connection's drain handler through {@link ConnectionDrains}.
 */
public final class PoolNodeChannel implements NodeChannel {
    private static final System.Logger LOG = System.getLogger(PoolNodeChannel.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Used when no cluster secret is configured. The software fabric's files are owner-only, so this still keeps
     * other users out; a real NIC needs a configured secret to keep other clusters out.
     */
    private static final String DEFAULT_ACCESS_KEY = "rdmabus-default-cluster-key";
    /**
     * Frames an RdmaChannel peer may queue while the pool's short queue is full. RdmaChannel keeps its own bound,
     * separate from the pool queue that the event bus keeps short for failure handling, so that a burst of sends
     * is absorbed before the application sees {@code RdmaBackPressureException}.
     */
    private static final int CHANNEL_WAIT_LIMIT = 1024;
    /** How long closing waits for the application to release the RdmaChannel messages it holds. */
    private static final long CLOSE_WAITS_FOR_MESSAGES_MILLIS = 2_000;

    private final String fabricName;
    private final NicOptions nicOptions;
    private final RdmaEventBusOptions options;
    private final Map<String, OutboundPeer> peers = new ConcurrentHashMap<>();
    private final DecodeErrorCounters decodeErrors = new DecodeErrorCounters();
    private final ConnectionDrains drains = new ConnectionDrains();
    private final ConnectLatency connectLatency = new ConnectLatency();
    private volatile InboundHandler inbound;
    private volatile Consumer<String> failureHandler = node -> { };
    private volatile QpPool pool;
    private volatile PollerGroup pollers;
    private volatile ChannelEndpoint endpoint;
    private volatile InboundAssembler assembler;
    private volatile boolean defaultKey;

    PoolNodeChannel(NicOptions nicOptions, RdmaEventBusOptions options) {
        this.fabricName = nicOptions.provider();
        this.nicOptions = new NicOptions(nicOptions);
        this.options = new RdmaEventBusOptions(options);
    }

    @Override
    public String describe() {
        QpPool current = pool;
        PollerGroup group = pollers;
        if (current == null || group == null) {
            return fabricName + " fabric (not started)";
        }
        return fabricName + " fabric, " + current.describePaths() + ", " + group.pollers().size()
            + " poller thread(s) (" + options.getIdleStrategy()
            + " idle)" + (defaultKey ? ", default access key" : "");
    }

    @Override
    public void start(String localNodeId) {
        PoolOptions poolOptions = poolOptions(localNodeId);
        QpPool created = new QpPool(poolOptions);
        try {
            created.start().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            created.close();
            throw new IllegalStateException("the " + fabricName + " pool did not start: " + e.getMessage(), e);
        }
        ChannelEndpoint channelEndpoint = new ChannelEndpoint(created, localNodeId, drains, connectLatency,
            poolOptions.receiveBuffers(), CHANNEL_WAIT_LIMIT);
        InboundAssembler sink = new InboundAssembler(
            (source, message) -> Objects.requireNonNull(inbound, "no inbound handler").handle(source, message),
            channelEndpoint, options.getMaxMessageSize(), decodeErrors);
        created.messageSink(sink);
        endpoint = channelEndpoint;
        assembler = sink;
        pool = created;
        // Poller 0 drives the pool's receive queue, so the assembler's departed sources are released on its thread.
        pollers = new PollerGroup(created.pollerCount(), i -> i == 0
                ? List.of(() -> created.doWork(i), sink::releaseDeparted, drains::runDeferred)
                : List.of(() -> created.doWork(i), drains::runDeferred),
            options.getIdleStrategy(),
            failure -> LOG.log(Level.WARNING, "rdmabus: a completion poller caught a failure", failure));
    }

    private PoolOptions poolOptions(String localNodeId) {
        int pollerCount = PollerGroup.threadCount(options.getPollerThreads(),
            Runtime.getRuntime().availableProcessors());
        PoolOptions poolOptions = new PoolOptions()
            .nodeId(localNodeId)
            .nicOptions(nicOptions)
            .pollerCount(pollerCount)
            .initiatorsPerPoller(options.getInitiatorsPerPoller())
            .promotionThreshold(options.getPromotionThreshold())
            .transportService(options.getTransportService())
            // A short pool queue (twice the credits keeps the wire busy): what a failure catches there is reported
            // failed, while what still waits in OutboundPeer is handed back unsent and goes over TCP.
            .sendQueueDepth(2 * PoolOptions.DEFAULT_INITIAL_CREDITS);
        String key = options.getAccessKey();
        if (key == null || key.isEmpty()) {
            String fromEnvironment = System.getenv(PoolOptions.ACCESS_KEY_ENV);
            defaultKey = fromEnvironment == null || fromEnvironment.isBlank();
            key = defaultKey ? DEFAULT_ACCESS_KEY : fromEnvironment;
        }
        return poolOptions.accessKey(key);
    }

    @Override
    public String localAdvertisement() {
        return requireStarted().advertisedAddress().toExternalForm();
    }

    @Override
    public void peerAdvertised(String nodeId, String advertisement) {
        try {
            requireStarted().directory().put(nodeId, TargetAddress.fromExternalForm(advertisement));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "rdmabus: ignoring the unreadable advertisement of node {0}: {1}", nodeId,
                e.getMessage());
        }
    }

    @Override
    public void advertisementLookup(Function<String, CompletionStage<String>> lookup) {
        requireStarted().directory().lookup(nodeId -> lookup.apply(nodeId)
            .thenApply(text -> text == null ? null : TargetAddress.fromExternalForm(text)));
    }

    @Override
    public void peerLeft(String nodeId) {
        QpPool current = pool;
        if (current != null) {
            current.directory().remove(nodeId);
        }
        OutboundPeer peer = peers.remove(nodeId);
        if (peer != null) {
            peer.abandon(new ConnectionClosedException(nodeId));
        }
        drains.peerLeft(nodeId);
        InboundAssembler sink = assembler;
        if (sink != null) {
            sink.peerLeft(nodeId);
        }
        ChannelEndpoint channelEndpoint = endpoint;
        if (channelEndpoint != null) {
            channelEndpoint.peerLeft(nodeId);
        }
    }

    @Override
    public boolean reaches(String nodeId) {
        OutboundPeer peer = peers.get(nodeId);
        if (peer != null) {
            return !peer.isFailed();
        }
        QpPool current = pool;
        return current != null && current.connectIfKnown(nodeId) != null;
    }

    @Override
    public boolean send(String nodeId, Buffer message) {
        return send(nodeId, message, failure -> { });
    }

    @Override
    public boolean send(String nodeId, Buffer message, Consumer<Throwable> outcome) {
        OutboundPeer peer = peers.get(nodeId);
        if (peer == null) {
            peer = open(nodeId);
            if (peer == null) {
                return false;
            }
        }
        return peer.send(message, outcome);
    }

    @Override
    public void whenSettled(String nodeId, Runnable action) {
        OutboundPeer peer = peers.get(nodeId);
        if (peer == null) {
            action.run();
        } else {
            peer.whenSettled(action);
        }
    }

    @Override
    public void checkAlive(String nodeId) {
        OutboundPeer peer = peers.get(nodeId);
        if (peer != null) {
            peer.probeIfIdle();
        }
    }

    private OutboundPeer open(String nodeId) {
        QpPool current = pool;
        long start = System.nanoTime();
        Connection connection = current == null ? null : current.connectIfKnown(nodeId);
        if (connection == null) {
            return null;
        }
        connectLatency.warm().since(start);
        return peers.computeIfAbsent(nodeId,
            id -> new OutboundPeer(id, connection, current.maxMessageSize(), options.getMaxMessageSize(), drains,
                this::peerFailed));
    }

    private void peerFailed(OutboundPeer peer) {
        failureHandler.accept(peer.nodeId()); // first: requests waiting on the peer fail now, not after the log
        LOG.log(Level.WARNING, "rdmabus: the channel to node {0} failed ({1}); its traffic continues over TCP",
            peer.nodeId(), peer.failure().getMessage());
    }

    @Override
    public void onInbound(InboundHandler handler) {
        this.inbound = handler;
    }

    @Override
    public void onPeerFailure(Consumer<String> handler) {
        this.failureHandler = handler;
    }

    /** @return the pool, shared with the node's RdmaChannel and read by metrics; {@code null} before {@link #start}. */
    public QpPool pool() {
        return pool;
    }

    /** @return the completion pollers; {@code null} before {@link #start}. */
    public PollerGroup pollers() {
        return pollers;
    }

    /** @return how long getting pool connections took, warm and after a directory miss. */
    public ConnectLatency connectLatency() {
        return connectLatency;
    }

    /** @return the node's RdmaChannel traffic; {@code null} before {@link #start}. */
    public ChannelEndpoint channelEndpoint() {
        return endpoint;
    }

    /** @return decode errors of inbound frames, by reason. */
    public DecodeErrorCounters decodeErrors() {
        return decodeErrors;
    }

    /** @return event-bus segments the reassembler refused. */
    public long refusedSegments() {
        InboundAssembler current = assembler;
        return current == null ? 0 : current.refusedSegments();
    }

    /** @return payloads dropped because they carried no known envelope. */
    public long unknownEnvelopes() {
        InboundAssembler current = assembler;
        return current == null ? 0 : current.unknownEnvelopes();
    }

    @Override
    public void close() {
        ChannelEndpoint channelEndpoint = endpoint;
        if (channelEndpoint != null) {
            // Before the pool unmaps the receive buffers that RdmaChannel messages are read from.
            channelEndpoint.close(CLOSE_WAITS_FOR_MESSAGES_MILLIS);
        }
        PollerGroup group = pollers;
        if (group != null) {
            group.close();
        }
        QpPool current = pool;
        if (current != null) {
            current.close();
        }
        for (OutboundPeer peer : peers.values()) {
            peer.abandon(new ConnectionClosedException(peer.nodeId()));
        }
        peers.clear();
        drains.clear();
    }

    private QpPool requireStarted() {
        QpPool current = pool;
        if (current == null) {
            throw new IllegalStateException("the channel has not been started");
        }
        return current;
    }
}
