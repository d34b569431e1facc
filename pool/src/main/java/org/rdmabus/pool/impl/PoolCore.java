package org.rdmabus.pool.impl;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.NodeId;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.MessageSink;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.PoolOptions;
import org.rdmabus.pool.PoolStats;
import org.rdmabus.pool.SendCallback;
import org.rdmabus.pool.TargetDirectory;
import org.rdmabus.pool.TransportService;
import org.rdmabus.verbs.DatagramQueuePair;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicCapabilities;
import org.rdmabus.verbs.QueuePair;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.TargetAddress;

/**
 * The pool's machinery behind {@link org.rdmabus.pool.QpPool}: the opened NIC, the shared DC initiators, the
 * inbound side, the send slabs, the peers and the pollers' work.
 * <p>
 * {@link #start()} creates every resource; nothing on a request path ever creates a queue pair. The transport's
 * poller threads drive everything else through {@link #doWork(int)}: poller {@code p} polls initiators
 * {@code [p * k, (p + 1) * k)} and the dedicated queue pairs assigned to it; poller 0 also owns the receive
 * completion queue and the housekeeping (late credits, promotion and demotion). Any poller serves the ready queue
 * of peers whose sends could not be posted by their senders.
 */
public final class PoolCore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PoolCore.class.getName());
    private static final int POLL_BATCH = 64;
    private static final int READY_BATCH = 64;
    private static final long REVIEW_NANOS = 100_000_000L;
    private static final long CLOSE_WAIT_NANOS = 10_000_000_000L;
    /** How long a peer may hold every credit, with messages waiting, before a probe checks it is alive. */
    private static final long PROBE_INTERVAL_NANOS = 500_000_000L;
    /** Probes in flight at once: enough for a burst of membership changes. */
    private static final int PROBE_DEPTH = 1024;
    /** Datagram receive buffers on RC: enough for a burst of first contacts; a lost step is sent again. */
    private static final int DATAGRAM_RECEIVE_BUFFERS = 256;

    private final PoolOptions options;
    private final TargetDirectory directory;
    private final TargetDirectory.Listener directoryListener = this::onDirectoryChange;
    final String nodeId;
    final NodeId wireId;
    final int nodeIdLength;
    final boolean sendsHello;
    final int sendQueueDepth;
    final int initiatorQuota;
    final int initialCredits;
    final long unreachableBackoffNanos;
    final long accessKey;
    final long epoch;
    final PoolCounters counters = new PoolCounters();
    final int maxMessageSize;
    int maxInline;
    SendSlabs slabs;
    ChannelManager channels;

    private final int pollerCount;
    private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Peer> ready = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Peer> memoryWaiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger rotation = new AtomicInteger();
    private final AtomicBoolean[] pollerActive;
    private final Outcomes[] outcomes;
    private final CompletionBatch[] batches;
    private final List<CopyOnWriteArrayList<ReliablePath>> channelsByPoller = new ArrayList<>();
    private final ThreadPoolExecutor control;
    private volatile MessageSink sink;
    private volatile boolean started;
    private volatile boolean closed;
    private Nic nic;
    private Inbound inbound;
    private InitiatorPath[] initiators = new InitiatorPath[0];
    /** The path probes and route warm-ups take: a dedicated DC initiator, or on RC the datagram path. */
    private SendPath probePath;
    private DatagramPath datagrams;
    private WarmQueuePairs warmQueuePairs;
    private TransportService transport;
    private FrameWriter writer;
    private long lastReview = System.nanoTime();

    /**
     * Prepares a pool; creates nothing until {@link #start()}.
     *
     * @param options   validated options; copied.
     * @param directory where peers' addresses come from.
     */
    public PoolCore(PoolOptions options, TargetDirectory directory) {
        this.options = new PoolOptions(options);
        this.directory = directory;
        this.maxMessageSize = this.options.validate(FrameLayout.HEADER_LENGTH);
        this.nodeId = this.options.nodeId();
        this.wireId = NodeId.of(nodeId);
        this.nodeIdLength = nodeId.getBytes(StandardCharsets.UTF_8).length;
        this.sendsHello = wireId.isDerived();
        this.sendQueueDepth = this.options.sendQueueDepth();
        this.initiatorQuota = this.options.initiatorQuota();
        this.initialCredits = this.options.initialCredits();
        this.unreachableBackoffNanos = this.options.unreachableBackoff().toNanos();
        this.accessKey = this.options.resolveAccessKey();
        // Grows across restarts of the node, as the codec requires; the low bits separate restarts within a ms.
        this.epoch = (System.currentTimeMillis() << 12) | (System.nanoTime() & 0xFFF);
        this.pollerCount = this.options.pollerCount();
        this.pollerActive = new AtomicBoolean[pollerCount];
        this.outcomes = new Outcomes[pollerCount];
        this.batches = new CompletionBatch[pollerCount];
        for (int p = 0; p < pollerCount; p++) {
            pollerActive[p] = new AtomicBoolean();
            outcomes[p] = new Outcomes();
            batches[p] = new CompletionBatch(POLL_BATCH);
            channelsByPoller.add(new CopyOnWriteArrayList<>());
        }
        this.control = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "rdmabus-pool-control-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the NIC and creates every queue pair, buffer and slab. Blocking; run it off the caller's event loop.
     *
     * @throws RuntimeException if anything cannot be created; whatever was created is closed again.
     */
    public synchronized void start() {
        if (closed || started) {
            throw new IllegalStateException(closed ? "the pool was closed" : "the pool is already started");
        }
        try {
            nic = Fabrics.open(options.nicOptions());
            NicCapabilities capabilities = nic.capabilities();
            transport = chooseTransport(options.transportService(), capabilities);
            checkFits("receiveBufferSize", options.receiveBufferSize(), capabilities.maxMessageSize());
            checkFits("initiatorQueueDepth", options.initiatorQueueDepth(), capabilities.maxQueueDepth());
            checkFits("receiveBuffers", options.receiveBuffers(), capabilities.maxQueueDepth());
            maxInline = capabilities.maxInlineData();
            writer = new FrameWriter(wireId, epoch, maxMessageSize, options.receiveBufferSize());
            slabs = new SendSlabs(nic, options.sendSlabSize(), options.sendChunkSize(), options.receiveBufferSize());
            boolean dc = transport == TransportService.DC;
            inbound = new Inbound(this, nic, options.receiveBuffers(), options.receiveBufferSize(), accessKey,
                POLL_BATCH, dc);
            int probeDepth = Math.min(PROBE_DEPTH, capabilities.maxQueueDepth());
            if (dc) {
                int count = pollerCount * options.initiatorsPerPoller();
                initiators = new InitiatorPath[count];
                for (int i = 0; i < count; i++) {
                    initiators[i] = new InitiatorPath(nic, i, options.initiatorQueueDepth(), maxInline, POLL_BATCH,
                        writer.copy());
                }
                probePath = new InitiatorPath(nic, count, probeDepth, maxInline, POLL_BATCH, writer.copy());
            } else {
                datagrams = new DatagramPath(nic, probeDepth, Math.min(DATAGRAM_RECEIVE_BUFFERS, probeDepth),
                    maxInline, POLL_BATCH, writer.copy(), accessKey);
                probePath = datagrams;
            }
            warmQueuePairs = new WarmQueuePairs(this::newChannel, control, options.warmQueuePairs());
            warmQueuePairs.fill();
            channels = new ChannelManager(this, control, dc ? options.maxPromotedPeers() : options.maxConnectedPeers(),
                options.promotionThreshold(), options.demotionIdle().toNanos(), !dc);
            directory.addListener(directoryListener);
            started = true;
            if (options.warmRoutes()) {
                for (String node : directory.nodeIds()) {
                    TargetAddress known = directory.cached(node);
                    if (known != null) {
                        ((Peer) peerWithAddress(node, known)).warmRoute();
                    }
                }
            }
            // DEBUG: the transport logs the one start-up line operators read; this one is for whoever debugs the pool.
            LOG.log(Level.DEBUG, () -> "rdmabus pool for node " + nodeId + " started on " + nic.provider() + "/"
                + nic.deviceName() + ": " + describePaths() + ", " + options.receiveBuffers()
                + " receive buffers of " + options.receiveBufferSize() + " bytes, " + slabs.registeredBytes()
                + " bytes of send slabs");
        } catch (RuntimeException e) {
            releaseResources();
            throw e;
        }
    }

    /**
     * @return the transport the device and the options allow.
     * @throws UnsupportedOperationException naming what the device lacks.
     */
    private TransportService chooseTransport(TransportService wanted, NicCapabilities capabilities) {
        String device = "device " + nic.deviceName() + " (" + nic.provider() + ")";
        boolean rc = capabilities.reliableConnected() && capabilities.datagrams();
        if (wanted == TransportService.DC || (wanted == TransportService.AUTO && capabilities.dynamicallyConnected())) {
            if (!capabilities.dynamicallyConnected()) {
                throw new UnsupportedOperationException(device + " has no DC queue pairs; use transportService RC"
                    + " (or AUTO, which picks RC on such devices)");
            }
            return TransportService.DC;
        }
        if (!rc) {
            throw new UnsupportedOperationException(device + " has neither DC queue pairs nor RC queue pairs with"
                + " datagrams (RC " + (capabilities.reliableConnected() ? "yes" : "no") + ", datagrams "
                + (capabilities.datagrams() ? "yes" : "no") + ")");
        }
        return TransportService.RC;
    }

    /** @return what the start-up line says about the paths to peers. */
    public String describePaths() {
        if (transport == TransportService.DC) {
            return initiators.length + " DC initiators";
        }
        return "pooled RC queue pairs (" + options.warmQueuePairs() + " warm, at most " + options.maxConnectedPeers()
            + " peers), first contact by datagram";
    }

    /** @return the transport the pool runs on: DC or RC; {@code null} before {@link #start()}. */
    public TransportService transportService() {
        return transport;
    }

    private static void checkFits(String name, int value, int limit) {
        if (value > limit) {
            throw new IllegalArgumentException(name + " " + value + " exceeds the device's limit of " + limit);
        }
    }

    // ---------------------------------------------------------------- API

    /**
     * @return the address peers reach this node at, without its access key, ready to advertise: its DC target, or
     *         on RC its datagram queue pair.
     */
    public TargetAddress advertisedAddress() {
        requireStarted();
        return (datagrams != null ? datagrams.address() : inbound.address()).withAccessKey(0);
    }

    /** @param sink where inbound messages go from now on; {@code null} drops them (counted). */
    public void sink(MessageSink sink) {
        this.sink = sink;
    }

    MessageSink sink() {
        return sink;
    }

    /**
     * @param nodeId a peer.
     * @return its connection if the peer is already known with an address, else {@code null}; never a lookup.
     */
    public Connection connectIfKnown(String nodeId) {
        requireStarted();
        Peer peer = peers.get(nodeId);
        if (peer != null && peer.address() != null && !peer.isClosed()) {
            return peer;
        }
        TargetAddress cached = directory.cached(nodeId);
        return cached == null ? null : peerWithAddress(nodeId, cached);
    }

    /**
     * @param nodeId a peer.
     * @return its connection, after a directory lookup if needed.
     */
    public CompletionStage<Connection> connectByLookup(String nodeId) {
        requireStarted();
        return directory.resolve(nodeId).thenApply(address -> peerWithAddress(nodeId, address));
    }

    private Connection peerWithAddress(String nodeId, TargetAddress keyless) {
        TargetAddress keyed = keyless.withAccessKey(accessKey);
        Peer created = null;
        Peer peer;
        while (true) {
            peer = peers.get(nodeId);
            if (peer == null || peer.isClosed()) {
                if (created == null) {
                    created = new Peer(this, nodeId, NodeId.of(nodeId), keyed);
                }
                boolean won = peer == null ? peers.putIfAbsent(nodeId, created) == null
                    : peers.replace(nodeId, peer, created);
                if (won) {
                    return created;
                }
                continue;
            }
            break;
        }
        if (peer.address() == null) {
            peer.resolved(keyed);
        }
        return peer;
    }

    /** A peer named by an inbound frame; created without an address if this node never connected to it. */
    Peer peerFor(String nodeId) {
        if (closed) {
            return null;
        }
        Peer peer = peers.get(nodeId);
        if (peer != null && !peer.isClosed()) {
            return peer;
        }
        TargetAddress cached = directory.cached(nodeId);
        if (cached != null) {
            return (Peer) peerWithAddress(nodeId, cached);
        }
        Peer created = new Peer(this, nodeId, NodeId.of(nodeId), null);
        Peer raced = peer == null ? peers.putIfAbsent(nodeId, created)
            : (peers.replace(nodeId, peer, created) ? null : peers.get(nodeId));
        return raced == null ? created : raced;
    }

    /** Looks up the address of a peer known only from its frames, so credits can flow back to it. */
    void resolveAddress(Peer peer) {
        directory.resolve(peer.nodeId).whenComplete((address, failure) ->
            peer.resolved(address == null ? null : address.withAccessKey(accessKey)));
    }

    private void onDirectoryChange(String node, TargetAddress previous, TargetAddress current) {
        if (closed) {
            return;
        }
        Peer peer = peers.get(node);
        if (current == null) {
            if (peer != null) {
                peers.remove(node, peer);
                inbound.forget(peer);
                Outcomes out = new Outcomes();
                peer.close(out);
                out.run(counters);
            }
            return;
        }
        TargetAddress keyed = current.withAccessKey(accessKey);
        if (peer != null && previous != null) {
            peer.readdressed(keyed);
        } else if (peer != null && peer.address() == null) {
            peer.resolved(keyed);
        }
        if (options.warmRoutes()) {
            Peer warming = (Peer) peerWithAddress(node, current);
            // Off the caller's thread: a membership event or a connect's lookup must not wait for the route.
            try {
                control.execute(warming::warmRoute);
            } catch (RejectedExecutionException closing) {
                // The pool is closing: there is no route to warm.
            }
        }
    }

    /**
     * @param nodeId a peer.
     * @return its counters, or {@code null} if the pool never exchanged anything with it.
     */
    public PeerStats peerStats(String nodeId) {
        return peers.get(nodeId);
    }

    /** @return the pool's counters. */
    public PoolStats stats() {
        return new PoolStatsView(this);
    }

    /** @return the largest payload a message may have. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** @return this node's id. */
    public String nodeId() {
        return nodeId;
    }

    /** @return how many pollers must call {@link #doWork(int)}. */
    public int pollerCount() {
        return pollerCount;
    }

    /**
     * Starts promoting a peer to a dedicated reliable queue pair now, whatever its traffic.
     *
     * @param nodeId a connected peer.
     * @return whether a promotion began.
     */
    public boolean promote(String nodeId) {
        Peer peer = peers.get(nodeId);
        return peer != null && channels.promote(peer);
    }

    /**
     * Starts returning a peer this node promoted to the shared initiators now.
     *
     * @param nodeId a promoted peer.
     * @return whether a demotion began.
     */
    public boolean demote(String nodeId) {
        Peer peer = peers.get(nodeId);
        return peer != null && channels.demote(peer);
    }

    // ---------------------------------------------------------------- pollers

    /**
     * One unit of completion work for poller {@code pollerIndex}. Never throws and never blocks.
     *
     * @param pollerIndex 0 to {@link #pollerCount()} - 1; each index must be driven by one thread at a time.
     * @return how much work was done, 0 when idle, for the caller's idle strategy.
     */
    public int doWork(int pollerIndex) {
        if (pollerIndex < 0 || pollerIndex >= pollerCount) {
            throw new IndexOutOfBoundsException("poller " + pollerIndex + " of " + pollerCount);
        }
        if (!started || closed || !pollerActive[pollerIndex].compareAndSet(false, true)) {
            return 0;
        }
        Outcomes out = outcomes[pollerIndex];
        int work = 0;
        try {
            if (closed) {
                return 0;
            }
            work += pollInitiators(pollerIndex, out);
            work += pollChannels(pollerIndex, out);
            if (pollerIndex == 0) {
                long now = System.nanoTime();
                work += drainPath(probePath, batches[0], out);
                if (datagrams != null) {
                    work += datagrams.pollReceives(inbound, out, now);
                }
                work += inbound.doWork(out, now);
                work += housekeeping(now);
            }
            work += serveReady();
        } catch (Throwable t) {
            counters.pollerFailed(t);
        } finally {
            try {
                out.run(counters);
            } finally {
                pollerActive[pollerIndex].set(false);
            }
        }
        return work;
    }

    private int pollInitiators(int pollerIndex, Outcomes out) {
        int perPoller = options.initiatorsPerPoller();
        int work = 0;
        // On RC there are none: peers' data goes on their own queue pairs.
        for (int i = pollerIndex * perPoller, end = Math.min(i + perPoller, initiators.length); i < end; i++) {
            work += drainPath(initiators[i], batches[pollerIndex], out);
        }
        return work;
    }

    private int pollChannels(int pollerIndex, Outcomes out) {
        CopyOnWriteArrayList<ReliablePath> mine = channelsByPoller.get(pollerIndex);
        int work = 0;
        for (int i = 0; i < mine.size(); i++) {
            ReliablePath path = mine.get(i);
            work += drainPath(path, batches[pollerIndex], out);
            if (path.isDrainedAfterRetirement()) {
                mine.remove(path);
                path.close();
            }
        }
        return work;
    }

    private int drainPath(SendPath path, CompletionBatch batch, Outcomes out) {
        int count = path.poll(batch);
        counters.poll(count == 0);
        if (count == 0) {
            return 0;
        }
        for (int i = 0; i < batch.size(); i++) {
            SendEntry entry = batch.entry(i);
            if (entry.probe) {
                entry.peer.onProbeCompleted(entry, batch.status(i), out);
            } else {
                entry.peer.onCompletion(entry, batch.status(i), out);
            }
        }
        batch.clear();
        Peer waiter;
        while ((waiter = path.waiters.poll()) != null) {
            waiter.pump();
        }
        Peer starved;
        while ((starved = memoryWaiters.poll()) != null) {
            starved.memoryFreed();
        }
        return count;
    }

    private int serveReady() {
        int served = 0;
        Peer peer;
        while (served < READY_BATCH && (peer = ready.poll()) != null) {
            peer.clearScheduled();
            peer.pump();
            served++;
        }
        return served;
    }

    private int housekeeping(long now) {
        if (now - lastReview < REVIEW_NANOS) {
            return 0;
        }
        long interval = now - lastReview;
        lastReview = now;
        for (Peer peer : peers.values()) {
            long traffic = peer.traffic();
            long delta = traffic - peer.lastTrafficSample;
            peer.lastTrafficSample = traffic;
            if (delta > 0) {
                peer.lastActiveNanos = now;
            }
            channels.review(peer, delta * 1_000_000_000L / interval, now - peer.lastActiveNanos, now);
            peer.probeIfStalled(now, PROBE_INTERVAL_NANOS);
        }
        return 1;
    }

    /**
     * Posts a probe (a route warm-up or a liveness check) on the probe initiator, which carries nothing else, so a
     * probe that waits for a receiver never delays data. Best effort: when the probe initiator is full, the probe
     * is skipped. Poller 0 polls it.
     *
     * @return whether it was posted.
     */
    boolean postProbe(SendEntry probe, TargetAddress target) {
        probePath.lock();
        try {
            probePath.writer.writeControl(probe, 0);
            return probePath.post(probe, target);
        } finally {
            probePath.unlock();
        }
    }

    /** Puts a peer in the ready queue, once, for a poller to pump. */
    void schedule(Peer peer) {
        if (peer.markScheduled()) {
            ready.offer(peer);
        }
    }

    /** Registers a peer refused for lack of send memory, to be told when completions free some. */
    void waitForMemory(Peer peer) {
        memoryWaiters.offer(peer);
    }

    /**
     * @return the path a peer without a channel sends by: the least-loaded DC initiator, or on RC the datagram path,
     *         which carries control frames only.
     */
    SendPath sharedPath() {
        return datagrams != null ? datagrams : leastLoadedInitiator();
    }

    /** @return whether a peer without a dedicated queue pair has no path for data: on RC it must connect first. */
    boolean connectsOnFirstData() {
        return datagrams != null;
    }

    /** @return the DC initiator with the fewest frames in flight, starting from a rotating index. */
    private SendPath leastLoadedInitiator() {
        int count = initiators.length;
        int start = Math.floorMod(rotation.getAndIncrement(), count);
        InitiatorPath best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            InitiatorPath path = initiators[(start + i) % count];
            int load = path.inFlight();
            if (!path.isBroken() && load < bestLoad) {
                best = path;
                bestLoad = load;
                if (load == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /**
     * Takes a dedicated queue pair from the warm reserve (creating one only if the reserve is empty) and hands it
     * to its poller. Runs on the control executor.
     */
    ReliablePath takeChannel() {
        if (closed) {
            throw new IllegalStateException("pool closed");
        }
        ReliablePath path = warmQueuePairs.take();
        channelsByPoller.get(path.pollerIndex()).add(path);
        return path;
    }

    /** Creates an unconnected queue pair on the node's receive queue, for the warm reserve. */
    private ReliablePath newChannel() {
        int poller = Math.floorMod(rotation.getAndIncrement(), pollerCount);
        return new ReliablePath(nic, inbound.receives(), inbound.completionQueue(), options.initiatorQueueDepth(),
            maxInline, POLL_BATCH, writer.copy(), poller, datagrams != null);
    }

    WarmQueuePairs warmQueuePairs() {
        return warmQueuePairs;
    }

    /** Hands a channel to its poller to close once its last completion is in. */
    void retire(ReliablePath path) {
        path.retire();
    }

    void runHandler(Runnable handler) {
        if (handler != null) {
            try {
                handler.run();
            } catch (Throwable t) {
                counters.handlerFailed(t);
            }
        }
    }

    void invoke(SendCallback callback, PoolException failure) {
        try {
            callback.onComplete(failure);
        } catch (Throwable t) {
            counters.handlerFailed(t);
        }
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the pool is not started" + (closed ? " (closed)" : ""));
        }
    }

    /**
     * @return the shared initiators' queue pairs, so tests can inject faults with the provider's hooks; never post
     *         to them or reset them.
     */
    public List<QueuePair> initiatorQueuePairs() {
        List<QueuePair> pairs = new ArrayList<>();
        for (InitiatorPath path : initiators) {
            pairs.add(path.queuePair());
        }
        return pairs;
    }

    /**
     * @return this node's DC target, so tests can inject faults with the provider's hooks; {@code null} on RC,
     *         where the node has none.
     */
    public DcTarget target() {
        requireStarted();
        return inbound.target();
    }

    /**
     * @return this node's datagram queue pair on RC ({@code null} on DC), so tests can inject faults with the
     *         provider's hooks; never post to it.
     */
    public DatagramQueuePair datagramQueuePair() {
        requireStarted();
        return datagrams == null ? null : datagrams.queuePair();
    }

    /**
     * @param nodeId a peer.
     * @return the reliable queue pair of its channel now, or {@code null}, so tests can inject faults with the
     *         provider's hooks; never post to it.
     */
    public ReliableQueuePair channelQueuePair(String nodeId) {
        Peer peer = peers.get(nodeId);
        ReliablePath path = peer == null ? null : peer.channel();
        return path == null ? null : path.queuePair();
    }

    // ---------------------------------------------------------------- stats access

    InitiatorPath[] initiators() {
        return initiators;
    }

    Inbound inbound() {
        return inbound;
    }

    TargetDirectory directory() {
        return directory;
    }

    int peerCount() {
        return peers.size();
    }

    Collection<Peer> peers() {
        return peers.values();
    }

    // ---------------------------------------------------------------- close

    /**
     * Stops the pool: waits for running {@link #doWork} calls, fails every queued and in-flight message with
     * {@link org.rdmabus.pool.ConnectionClosedException}, and destroys every resource. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        for (AtomicBoolean active : pollerActive) {
            while (active.get() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(100_000);
            }
        }
        directory.removeListener(directoryListener);
        control.shutdownNow();
        Outcomes out = new Outcomes();
        for (Peer peer : peers.values()) {
            peer.close(out);
        }
        CompletionBatch batch = new CompletionBatch(POLL_BATCH);
        List<SendPath> paths = new ArrayList<>(List.of(initiators));
        channelsByPoller.forEach(paths::addAll);
        if (probePath != null) {
            paths.add(probePath);
        }
        for (SendPath path : paths) {
            path.drainForClose(batch);
            for (int i = 0; i < batch.size(); i++) {
                SendEntry entry = batch.entry(i);
                if (entry.probe) {
                    entry.peer.onProbeCompleted(entry, batch.status(i), out);
                } else {
                    entry.peer.onCompletion(entry, batch.status(i), out);
                }
            }
            batch.clear();
        }
        peers.clear();
        releaseResources();
        out.run(counters);
    }

    private void releaseResources() {
        started = false;
        for (InitiatorPath path : initiators) {
            closeQuietly(path);
        }
        closeQuietly(probePath);
        closeQuietly(warmQueuePairs);
        for (CopyOnWriteArrayList<ReliablePath> list : channelsByPoller) {
            list.forEach(PoolCore::closeQuietly);
            list.clear();
        }
        closeQuietly(inbound);
        closeQuietly(slabs);
        closeQuietly(nic);
        control.shutdownNow();
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing " + resource + " failed", e);
        }
    }
}
