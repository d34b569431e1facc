package org.rdmabus.transport.impl.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.rdmabus.codec.DecodeError;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.pool.PoolStats;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.impl.ConnectLatency;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.channel.ChannelCounters;
import org.rdmabus.transport.impl.channel.ChannelEndpoint;
import org.rdmabus.transport.impl.poller.PollerGroup;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookCounters;

/**
 * The meters of one hook in one registry (see {@code RdmaBusMetrics} for the list). Every meter reads live counters
 * when the registry asks, so recording costs the hot path nothing beyond the counters it keeps anyway. Per-peer
 * meters follow cluster membership, up to a bound. Function meters reference this binding (weakly, as Micrometer
 * does); the hook references it strongly while it is bound.
 */
public final class RdmaBusMeters implements BusHook.PeerListener {
    private final BusHook hook;
    private final MeterRegistry registry;
    private final Tags node;
    private final int maxTaggedPeers;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Map<String, List<Meter>> peerMeters = new ConcurrentHashMap<>();
    private volatile QpPool pool;
    private volatile boolean closed;

    private RdmaBusMeters(BusHook hook, MeterRegistry registry, int maxTaggedPeers) {
        this.hook = hook;
        this.registry = registry;
        this.node = Tags.of("node", String.valueOf(hook.localNodeId()));
        this.maxTaggedPeers = maxTaggedPeers;
    }

    /**
     * Registers the meters of a hook.
     *
     * @param hook           the Vert.x instance's hook, started.
     * @param registry       where.
     * @param maxTaggedPeers the most peers with their own meters.
     * @return the binding, to close when the instance closes.
     */
    public static RdmaBusMeters bind(BusHook hook, MeterRegistry registry, int maxTaggedPeers) {
        RdmaBusMeters meters = new RdmaBusMeters(hook, registry, maxTaggedPeers);
        meters.registerHook(hook.counters());
        NodeChannel channel = hook.channel();
        if (channel instanceof PoolNodeChannel pooled && pooled.pool() != null) {
            meters.pool = pooled.pool();
            meters.registerPool(pooled);
        }
        // Function meters hold their state weakly: the hook's listener list keeps this binding, and so every meter
        // of it, alive until it is closed.
        hook.addPeerListener(meters);
        return meters;
    }

    private void registerHook(HookCounters counters) {
        counter("rdmabus.eventbus.channel.sends", "event-bus messages the channel accepted, per destination",
            node, counters::channelSends);
        counter("rdmabus.fallback.tcp.sends", "event-bus messages to remote nodes left to Vert.x's TCP transport",
            node, counters::tcpSends);
        counter("rdmabus.fallback.switches", "destinations switched from the channel to TCP for good",
            node, counters::switchesToTcp);
        counter("rdmabus.eventbus.uncertain.handovers", "selections whose message could not be identified",
            node, counters::uncertainHandOvers);
        counter("rdmabus.decode.errors", "inbound frames refused, by reason", node.and("reason", "vertx_malformed"),
            counters::inboundMalformed);
        counter("rdmabus.decode.errors", "inbound frames refused, by reason", node.and("reason", "vertx_decoding"),
            counters::inboundDecodingFailures);
    }

    private void registerPool(PoolNodeChannel channel) {
        QpPool qp = channel.pool();
        PoolStats stats = qp.stats();
        ConnectLatency latency = channel.connectLatency();
        timer("rdmabus.connect", "getting a pool connection to a peer", node.and("kind", "warm"),
            latency.warm()::count, latency.warm()::totalNanos);
        timer("rdmabus.connect", "getting a pool connection to a peer", node.and("kind", "miss"),
            latency.miss()::count, latency.miss()::totalNanos);

        counter("rdmabus.directory.lookups", "connects answered by the directory", node.and("result", "hit"),
            stats::directoryHits);
        counter("rdmabus.directory.lookups", "connects answered by the directory", node.and("result", "miss"),
            stats::directoryMisses);
        gauge("rdmabus.directory.hit.ratio", "directory hits over all look-ups", node, stats,
            s -> ratio(s.directoryHits(), s.directoryHits() + s.directoryMisses()));
        timer("rdmabus.directory.miss.time", "time of directory look-ups in the cluster", node,
            stats::directoryMisses, stats::directoryMissNanosTotal);

        gauge("rdmabus.initiators", "DC initiators in the pool", node, stats, PoolStats::initiators);
        gauge("rdmabus.initiators.busy", "DC initiators with a frame in flight", node, stats,
            PoolStats::initiatorsBusy);
        timer("rdmabus.send.queue.wait", "messages that waited in a send queue, and for how long", node,
            stats::queueWaits, stats::queueWaitNanosTotal);
        counter("rdmabus.send.backpressured", "offers refused for back-pressure", node, stats::backPressured);

        counter("rdmabus.promotions", "peers promoted to a dedicated reliable queue pair", node, stats::promotions);
        counter("rdmabus.demotions", "peers returned to the shared initiators", node, stats::demotions);
        gauge("rdmabus.promoted.peers", "peers promoted now", node, stats, PoolStats::promotedPeers);

        PollerGroup pollers = channel.pollers();
        if (pollers != null) {
            counter("rdmabus.poller.passes", "poller loop passes", node, pollers::polls);
            counter("rdmabus.poller.passes.empty", "poller loop passes that found no work", node,
                pollers::emptyPolls);
            gauge("rdmabus.poller.empty.ratio", "poller passes that found no work, over all passes", node, pollers,
                p -> ratio(p.emptyPolls(), p.polls()));
        }
        counter("rdmabus.cq.polls", "completion queue polls", node, stats::polls);
        counter("rdmabus.cq.polls.empty", "completion queue polls that found nothing", node, stats::emptyPolls);
        gauge("rdmabus.cq.empty.ratio", "empty completion queue polls over all polls", node, stats,
            s -> ratio(s.emptyPolls(), s.polls()));

        counter("rdmabus.frames", "frames delivered, all peers", node.and("direction", "sent"), stats::framesSent);
        counter("rdmabus.frames", "frames delivered, all peers", node.and("direction", "received"),
            stats::framesReceived);
        counter("rdmabus.bytes", "bytes delivered, all peers", node.and("direction", "sent"), stats::bytesSent);
        counter("rdmabus.bytes", "bytes delivered, all peers", node.and("direction", "received"),
            stats::bytesReceived);

        for (DecodeError reason : DecodeError.values()) {
            counter("rdmabus.decode.errors", "inbound frames refused, by reason",
                node.and("reason", reason.name().toLowerCase(Locale.ROOT)), () -> channel.decodeErrors().count(reason));
        }
        counter("rdmabus.decode.errors", "inbound frames refused, by reason", node.and("reason", "unknown_envelope"),
            channel::unknownEnvelopes);
        counter("rdmabus.frames.dropped", "inbound frames the pool dropped (undecodable, unknown source, duplicate)",
            node, stats::framesDropped);
        gauge("rdmabus.receive.buffers.lent", "receive buffers lent and not yet released", node, stats,
            PoolStats::receiveBuffersLent);
        gauge("rdmabus.send.chunks.in.use", "registered send chunks held by queued or in-flight messages", node,
            stats, PoolStats::sendChunksInUse);

        ChannelEndpoint endpoint = channel.channelEndpoint();
        if (endpoint != null) {
            registerChannel(endpoint);
        }
    }

    private void registerChannel(ChannelEndpoint endpoint) {
        ChannelCounters c = endpoint.counters();
        String help = "RdmaChannel traffic";
        counter("rdmabus.rdmachannel.frames", help, node.and("direction", "sent"), c::sent);
        counter("rdmabus.rdmachannel.frames", help, node.and("direction", "received"), c::received);
        counter("rdmabus.rdmachannel.requests", "RdmaChannel requests sent", node, c::requests);
        counter("rdmabus.rdmachannel.replies", "RdmaChannel replies and failures that completed a request", node,
            c::replies);
        counter("rdmabus.rdmachannel.timeouts", "RdmaChannel requests that timed out", node, c::timeouts);
        counter("rdmabus.rdmachannel.refused", "RdmaChannel messages nobody took", node, c::refused);
        counter("rdmabus.rdmachannel.late.replies", "RdmaChannel replies that found no waiting request", node,
            c::lateReplies);
        counter("rdmabus.rdmachannel.backpressured", "RdmaChannel sends refused for back-pressure", node,
            c::backPressured);
        counter("rdmabus.decode.errors", "inbound frames refused, by reason", node.and("reason", "rdmachannel_malformed"),
            c::malformed);
        gauge("rdmabus.rdmachannel.messages.held", "RdmaChannel messages the application holds", node, endpoint,
            ChannelEndpoint::messagesHeld);
    }

    @Override
    public void joined(String nodeId) {
        if (closed || pool == null || peerMeters.size() >= maxTaggedPeers || peerMeters.containsKey(nodeId)) {
            return;
        }
        Tags peer = node.and("peer", nodeId);
        List<Meter> registered = List.of(
            peerCounter("rdmabus.peer.frames", peer.and("direction", "sent"), nodeId, PeerStats::framesSent),
            peerCounter("rdmabus.peer.frames", peer.and("direction", "received"), nodeId, PeerStats::framesReceived),
            peerCounter("rdmabus.peer.bytes", peer.and("direction", "sent"), nodeId, PeerStats::bytesSent),
            peerCounter("rdmabus.peer.bytes", peer.and("direction", "received"), nodeId, PeerStats::bytesReceived));
        if (peerMeters.putIfAbsent(nodeId, registered) != null) {
            registered.forEach(registry::remove);
        }
    }

    @Override
    public void left(String nodeId) {
        List<Meter> gone = peerMeters.remove(nodeId);
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }

    /** Removes every meter of this binding and stops following membership. Idempotent. */
    public void close() {
        closed = true;
        hook.removePeerListener(this);
        meters.forEach(registry::remove);
        meters.clear();
        peerMeters.values().forEach(list -> list.forEach(registry::remove));
        peerMeters.clear();
    }

    private Meter peerCounter(String name, Tags tags, String nodeId, ToLongFunction<PeerStats> read) {
        return FunctionCounter.builder(name, this, meters -> {
                PeerStats stats = meters.pool.peerStats(nodeId);
                return stats == null ? 0 : read.applyAsLong(stats);
            })
            .description("traffic with one peer, headers and control frames included")
            .tags(tags)
            .register(registry);
    }

    private void counter(String name, String description, Tags tags, LongSupplier value) {
        meters.add(FunctionCounter.builder(name, this, m -> value.getAsLong())
            .description(description).tags(tags).register(registry));
    }

    private <T> void gauge(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true)
            .register(registry));
    }

    private void timer(String name, String description, Tags tags, LongSupplier count, LongSupplier totalNanos) {
        meters.add(FunctionTimer.builder(name, this, m -> count.getAsLong(), m -> totalNanos.getAsLong(),
                TimeUnit.NANOSECONDS)
            .description(description).tags(tags).register(registry));
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
