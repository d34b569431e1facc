package org.rdmabus.transport.impl.pool;

import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.rdmabus.codec.CodecLimits;
import org.rdmabus.codec.DecodeErrorCounters;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.NodeId;
import org.rdmabus.codec.Reassembler;
import org.rdmabus.pool.MessageSink;
import org.rdmabus.pool.ReceivedMessage;
import org.rdmabus.transport.impl.Envelope;
import org.rdmabus.transport.impl.InboundHandler;

/**
 * The pool's {@link MessageSink}: reads each payload's {@link Envelope} and hands {@code RdmaChannel} frames,
 * buffer and all, to the channel's sink. Event-bus traffic it copies out of its receive buffer, releases the
 * buffer (returning the sender's credit), reassembles segmented messages, and hands whole messages to the hook's
 * inbound dispatcher. Runs on the poller thread that owns the receive queue, one thread at a time.
 * <p>
 * A payload without an envelope, or with a protocol this node does not know, is counted and dropped.
 * <p>
 * A segment the reassembler refuses (out of order, oversized, inconsistent) is counted and dropped, and the
 * partial message it belonged to is discarded: a corrupted message is never delivered. Refusals are counted, and
 * logged at most once per ten seconds.
 * <p>
 * A node that leaves the cluster ({@link #peerLeft}) has its partial messages and its source entry released at the
 * receive poller's next round ({@link #releaseDeparted}), so departed nodes hold neither reassembly memory nor
 * table entries: a long-lived node whose peers come and go keeps only what its current peers send.
 */
final class InboundAssembler implements MessageSink {
    private static final System.Logger LOG = System.getLogger(InboundAssembler.class.getName());
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final InboundHandler handler;
    private final MessageSink channelSink;
    private final Reassembler reassembler;
    private final Map<String, NodeId> sources = new HashMap<>();
    private final AtomicLong refusedSegments = new AtomicLong();
    private final AtomicLong unknownEnvelopes = new AtomicLong();
    private final ConcurrentLinkedQueue<String> departed = new ConcurrentLinkedQueue<>();
    private long lastLogNanos;
    private long unlogged;

    /**
     * @param handler        the hook's inbound dispatcher.
     * @param channelSink    takes {@link Envelope#RDMA_CHANNEL} payloads (envelope stripped) and their buffers.
     * @param maxMessageSize the largest reassembled message; larger ones are refused before allocation.
     * @param decodeErrors   where refusals are counted.
     */
    InboundAssembler(InboundHandler handler, MessageSink channelSink, int maxMessageSize,
                     DecodeErrorCounters decodeErrors) {
        this.handler = handler;
        this.channelSink = channelSink;
        // Room for two whole messages in flight at once, so one large message never starves the next.
        this.reassembler = new Reassembler(CodecLimits.defaults().withMaxMessageSize(maxMessageSize)
            .withMaxReassemblyBytes(Math.max(64L << 20, 2L * maxMessageSize)), decodeErrors);
    }

    /** @return segments refused by the reassembler. */
    long refusedSegments() {
        return refusedSegments.get();
    }

    /** @return payloads dropped because they carried no known envelope. */
    long unknownEnvelopes() {
        return unknownEnvelopes.get();
    }

    /**
     * A node left the cluster: what is held for it goes at the next {@link #releaseDeparted}. Any thread.
     *
     * @param nodeId the departed node.
     */
    void peerLeft(String nodeId) {
        departed.offer(nodeId);
    }

    /**
     * Releases the partial messages and the source entry of every node that left since the last call. Runs on the
     * receive poller, the thread that calls {@link #onMessage}, so the reassembler is never shared.
     *
     * @return how many departed nodes were released.
     */
    int releaseDeparted() {
        int work = 0;
        String nodeId;
        while ((nodeId = departed.poll()) != null) {
            NodeId id = sources.remove(nodeId);
            if (id != null) {
                reassembler.releaseSource(id.mostSignificantBits(), id.leastSignificantBits());
            }
            work++;
        }
        return work;
    }

    /** @return sources with reassembly state; read on the receive poller, or once it is idle (tests). */
    int heldSources() {
        return Math.max(sources.size(), reassembler.sourceCount());
    }

    /** @return bytes held by partial messages; read on the receive poller, or once it is idle (tests). */
    long heldBytes() {
        return reassembler.reservedBytes();
    }

    @Override
    public void onMessage(String sourceNodeId, DirectBuffer buffer, int offset, int length, ReceivedMessage handle) {
        if (length == 0 && (handle.flags() & FrameLayout.FLAG_SEGMENT) == 0) {
            handle.release(); // a liveness probe (OutboundPeer.probeIfIdle): it only had to arrive
            return;
        }
        if ((handle.flags() & FrameLayout.FLAG_SEGMENT) != 0) {
            // Only the event bus segments, so segments carry no envelope (see Envelope).
            Buffer whole;
            try {
                whole = segment(sourceNodeId, buffer, offset, length, handle);
            } finally {
                handle.release();
            }
            if (whole != null) {
                handler.handle(sourceNodeId, whole);
            }
            return;
        }
        byte protocol = length < Envelope.LENGTH ? -1 : buffer.getByte(offset + Envelope.PROTOCOL_OFFSET);
        if (protocol == Envelope.RDMA_CHANNEL) {
            channelSink.onMessage(sourceNodeId, buffer, offset + Envelope.LENGTH, length - Envelope.LENGTH, handle);
            return;
        }
        Buffer whole;
        try {
            whole = protocol == Envelope.EVENT_BUS
                ? copy(buffer, offset + Envelope.LENGTH, length - Envelope.LENGTH) : null;
        } finally {
            handle.release();
        }
        if (whole == null) {
            unknownEnvelope(sourceNodeId, protocol);
        } else {
            handler.handle(sourceNodeId, whole);
        }
    }

    private void unknownEnvelope(String sourceNodeId, byte protocol) {
        unknownEnvelopes.incrementAndGet();
        LOG.log(Level.DEBUG, "rdmabus: dropped a message from {0} without a known envelope (first byte {1})",
            sourceNodeId, protocol);
    }

    private static Buffer copy(DirectBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return Buffer.buffer(bytes);
    }

    private Buffer segment(String source, DirectBuffer buffer, int offset, int length, ReceivedMessage handle) {
        if (length < FrameLayout.SEGMENT_HEADER_LENGTH) {
            refuse(source, "segment shorter than its header: " + length + " bytes");
            return null;
        }
        NodeId id = sources.computeIfAbsent(source, NodeId::of);
        Reassembler.Outcome outcome = reassembler.onSegment(id.mostSignificantBits(), id.leastSignificantBits(), 0,
            handle.type(),
            buffer.getLong(offset + FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, ByteOrder.LITTLE_ENDIAN),
            buffer.getInt(offset + FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN),
            buffer.getInt(offset + FrameLayout.SEGMENT_OFFSET_OFFSET, ByteOrder.LITTLE_ENDIAN),
            buffer, offset + FrameLayout.SEGMENT_HEADER_LENGTH, length - FrameLayout.SEGMENT_HEADER_LENGTH);
        return switch (outcome) {
            case INCOMPLETE -> null;
            case COMPLETE -> Buffer.buffer(reassembler.takeMessage());
            case REJECTED -> {
                refuse(source, reassembler.failure().describe());
                yield null;
            }
        };
    }

    private void refuse(String source, String reason) {
        refusedSegments.incrementAndGet();
        long now = System.nanoTime();
        // Every refusal is counted; the log gets one line per interval, so a hostile peer cannot flood it.
        if (lastLogNanos != 0 && now - lastLogNanos < LOG_INTERVAL_NANOS) {
            unlogged++;
            return;
        }
        lastLogNanos = now;
        LOG.log(Level.WARNING, "rdmabus: dropped a segment from {0}: {1}{2}", source, reason,
            unlogged == 0 ? "" : " (" + unlogged + " more dropped since the last report)");
        unlogged = 0;
    }
}
