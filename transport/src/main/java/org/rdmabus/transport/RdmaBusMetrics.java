package org.rdmabus.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rdmabus.transport.impl.metrics.RdmaBusMeters;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookRegistry;

/**
 * Micrometer meters of one Vert.x instance's rdmabus, all named {@code rdmabus.*} and tagged {@code node} with the
 * instance's cluster node id. Each clustered instance binds its own to {@link RdmaEventBus#metricsRegistry()} (by
 * default Micrometer's global registry) unless {@link RdmaEventBusOptions#setMetricsEnabled(boolean)} turned that
 * off; bind one yourself to use another registry.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code rdmabus.connect} {@code kind=warm|miss}</td><td>function timer</td><td>getting a pool connection:
 *       warm (the pool knew the peer) or after a directory miss that asked the cluster</td></tr>
 *   <tr><td>{@code rdmabus.directory.lookups} {@code result=hit|miss}, {@code rdmabus.directory.hit.ratio},
 *       {@code rdmabus.directory.miss.time}</td><td>counters, gauge, function timer</td><td>the target directory</td></tr>
 *   <tr><td>{@code rdmabus.initiators}, {@code rdmabus.initiators.busy}, {@code rdmabus.send.queue.wait},
 *       {@code rdmabus.send.backpressured}</td><td>gauges, function timer, counter</td><td>DC initiator occupancy,
 *       messages that waited in a send queue and for how long, offers refused for back-pressure</td></tr>
 *   <tr><td>{@code rdmabus.promotions}, {@code rdmabus.demotions}, {@code rdmabus.promoted.peers}</td>
 *       <td>counters, gauge</td><td>peers moved to and from dedicated reliable queue pairs</td></tr>
 *   <tr><td>{@code rdmabus.poller.passes} / {@code rdmabus.poller.passes.empty}, {@code rdmabus.poller.empty.ratio};
 *       {@code rdmabus.cq.polls} / {@code rdmabus.cq.polls.empty}, {@code rdmabus.cq.empty.ratio}</td>
 *       <td>counters, gauges</td><td>poller loop passes and completion queue polls that found nothing</td></tr>
 *   <tr><td>{@code rdmabus.frames}, {@code rdmabus.bytes} {@code direction=sent|received}; {@code rdmabus.peer.frames},
 *       {@code rdmabus.peer.bytes} {@code peer=<node id>, direction}</td><td>counters</td><td>traffic, in total and per
 *       peer (at most {@link #MAX_TAGGED_PEERS} peers are tagged; the totals include every peer)</td></tr>
 *   <tr><td>{@code rdmabus.decode.errors} {@code reason=...}, {@code rdmabus.frames.dropped}</td><td>counters</td>
 *       <td>refused inbound frames and segments, by reason</td></tr>
 *   <tr><td>{@code rdmabus.eventbus.channel.sends}, {@code rdmabus.fallback.tcp.sends},
 *       {@code rdmabus.fallback.switches}</td><td>counters</td><td>event-bus messages that took the channel, that took
 *       TCP, and destinations switched to TCP for good</td></tr>
 *   <tr><td>{@code rdmabus.rdmachannel.*}</td><td>counters, gauge</td><td>RdmaChannel frames, requests, replies,
 *       timeouts, refusals, late replies, back-pressure, messages held</td></tr>
 *   <tr><td>{@code rdmabus.receive.buffers.lent}, {@code rdmabus.send.chunks.in.use}</td><td>gauges</td>
 *       <td>registered memory in use</td></tr>
 * </table>
 * Pool meters exist only when the instance runs over a fabric's pool.
 */
public final class RdmaBusMetrics implements MeterBinder, AutoCloseable {
    /** The most peers tagged individually, so that a large cluster cannot blow up the registry. */
    public static final int MAX_TAGGED_PEERS = 64;

    private final BusHook hook;
    private final List<RdmaBusMeters> bound = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * Meters for a Vert.x instance on which rdmabus installed.
     *
     * @param vertx a clustered Vert.x instance
     * @throws IllegalArgumentException if rdmabus did not install on it
     */
    public RdmaBusMetrics(Vertx vertx) {
        this.hook = HookRegistry.hookOf(Objects.requireNonNull(vertx, "vertx"));
        if (hook == null) {
            throw new IllegalArgumentException(RdmaEventBus.status(vertx).getDescription());
        }
    }

    /**
     * Registers the meters.
     *
     * @param registry where; per-peer meters are added and removed there as nodes join and leave
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("these rdmabus metrics are closed");
        }
        bound.add(RdmaBusMeters.bind(hook, registry, MAX_TAGGED_PEERS));
    }

    /** Removes every meter this binder registered; the instance's closing does it too. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (RdmaBusMeters meters : bound) {
            meters.close();
        }
        bound.clear();
    }
}
