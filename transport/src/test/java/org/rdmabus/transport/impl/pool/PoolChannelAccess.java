package org.rdmabus.transport.impl.pool;

import org.rdmabus.codec.DecodeErrorCounters;
import org.rdmabus.pool.MessageSink;
import org.rdmabus.pool.QpPool;
import org.rdmabus.pool.impl.PoolCore;
import org.rdmabus.verbs.DcTarget;

import java.lang.reflect.Method;
import java.util.List;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.impl.InboundHandler;
import org.rdmabus.transport.impl.NodeChannel;

/** Test access to the package-private parts of the pool channel, for tests in other packages. */
public final class PoolChannelAccess {

    private PoolChannelAccess() {
    }

    /**
     * The pool behind a started pool channel.
     *
     * @param channel a channel made by the {@code soft} or {@code rdma} factory
     * @return its pool, for its statistics
     */
    public static QpPool poolOf(NodeChannel channel) {
        return ((PoolNodeChannel) channel).pool();
    }

    /**
     * The DC target a started pool channel receives on, for fault injection ({@code SoftFaults}). The pool keeps it
     * to itself; tests reach it by reflection.
     *
     * @param channel a channel made by the {@code soft} factory
     * @return its target
     */
    public static DcTarget dcTargetOf(NodeChannel channel) {
        try {
            Method core = QpPool.class.getDeclaredMethod("core");
            core.setAccessible(true);
            return ((PoolCore) core.invoke(poolOf(channel))).target();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the pool's target cannot be reached: " + e, e);
        }
    }

    /**
     * The names of a started pool channel's completion poller threads.
     *
     * @param channel a channel made by the {@code soft} or {@code rdma} factory
     * @return one name per poller
     */
    public static List<String> pollerNames(NodeChannel channel) {
        return ((PoolNodeChannel) channel).pollers().pollers().stream().map(CompletionPoller::name).toList();
    }

    /**
     * The decode errors a started pool channel counted on its inbound path (reassembly refusals).
     *
     * @param channel a channel made by the {@code soft} or {@code rdma} factory
     * @return its counters
     */
    public static DecodeErrorCounters decodeErrorsOf(NodeChannel channel) {
        return ((PoolNodeChannel) channel).decodeErrors();
    }

    /**
     * The channel's inbound path on its own: the sink the pool calls for every received message, which copies,
     * reassembles and hands whole messages to {@code handler}.
     *
     * @param handler        receives whole event-bus messages, envelope stripped
     * @param channelSink    receives {@code RdmaChannel} payloads, and must release them
     * @param maxMessageSize the largest reassembled message
     * @param decodeErrors   where refusals are counted
     * @return the sink
     */
    public static MessageSink inboundAssembler(InboundHandler handler, MessageSink channelSink, int maxMessageSize,
                                                                                         DecodeErrorCounters decodeErrors) {
        return new InboundAssembler(handler, channelSink, maxMessageSize, decodeErrors);
    }

    /**
     * Segments an inbound assembler refused.
     *
     * @param sink a sink from {@link #inboundAssembler}
     * @return the count
     */
    public static long refusedSegments(MessageSink sink) {
        return ((InboundAssembler) sink).refusedSegments();
    }
}
