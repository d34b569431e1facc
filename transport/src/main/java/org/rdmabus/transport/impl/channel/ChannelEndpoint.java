package org.rdmabus.transport.impl.channel;

import io.reactivex.rxjava3.core.Completable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.MessageSink;
import org.rdmabus.pool.QpPool;
import org.rdmabus.pool.ReceivedMessage;
import org.rdmabus.transport.RdmaChannelClosedException;
import org.rdmabus.transport.RdmaChannelUnavailableException;
import org.rdmabus.transport.RdmaMessageTooLargeException;
import org.rdmabus.transport.impl.ConnectLatency;
import org.rdmabus.transport.impl.ConnectionDrains;

/**
 * The {@code RdmaChannel} side of one node's warm pool, owned by the node channel: it receives the frames whose
 * envelope names the channel (on the receive poller), sends frames to peers through per-peer
 * {@link ChannelSender}s, and holds the one {@link RdmaChannelImpl} the application may have open.
 * <p>
 * While no channel is open, one-way messages are dropped and requests are refused with a failure answer, so a
 * requester learns at once instead of waiting for its timeout.
 */
public final class ChannelEndpoint implements MessageSink {
    private static final System.Logger LOG = System.getLogger(ChannelEndpoint.class.getName());

    private final QpPool pool;
    private final String localNodeId;
    private final ConnectionDrains drains;
    private final ConnectLatency connectLatency;
    private final int streamCapacity;
    private final int waitLimit;
    private final Map<String, ChannelSender> senders = new ConcurrentHashMap<>();
    private final ChannelCounters counters = new ChannelCounters();
    private final AtomicInteger held = new AtomicInteger();
    private volatile RdmaChannelImpl open;
    private volatile boolean closed;

    /**
     * @param pool           the node's started pool.
     * @param localNodeId    this node's cluster node id.
     * @param drains         the drain handlers shared with the event bus.
     * @param connectLatency where connects to the pool are timed.
     * @param streamCapacity the most messages an inbound stream holds without demand: the pool's receive buffers,
     *                       which bound what can be held anyway.
     * @param waitLimit      how many sends may wait for room per peer.
     */
    public ChannelEndpoint(QpPool pool, String localNodeId, ConnectionDrains drains, ConnectLatency connectLatency,
                           int streamCapacity, int waitLimit) {
        this.pool = pool;
        this.localNodeId = localNodeId;
        this.drains = drains;
        this.connectLatency = connectLatency;
        this.streamCapacity = streamCapacity;
        this.waitLimit = waitLimit;
    }

    /** @return this node's traffic counters. */
    public ChannelCounters counters() {
        return counters;
    }

    /** @return receive buffers the application holds now, as messages not yet released. */
    public int messagesHeld() {
        return held.get();
    }

    /** @return this node's cluster node id. */
    String localNodeId() {
        return localNodeId;
    }

    /** @return the largest application payload of one frame. */
    int maxPayload() {
        return pool.maxMessageSize() - ChannelWire.HEADER_LENGTH;
    }

    /**
     * Opens the application's channel.
     *
     * @param vertx   the Vert.x instance.
     * @param context where signals go by default.
     * @return the channel.
     * @throws RdmaChannelUnavailableException if one is open already or the node is closing.
     */
    public synchronized RdmaChannelImpl open(VertxInternal vertx, ContextInternal context) {
        if (closed) {
            throw new RdmaChannelUnavailableException("rdmabus on node " + localNodeId + " is closing");
        }
        if (open != null) {
            throw new RdmaChannelUnavailableException("an RdmaChannel is open on node " + localNodeId
                + " already: use that one, or close it first");
        }
        RdmaChannelImpl created = new RdmaChannelImpl(this, vertx, context, streamCapacity);
        open = created;
        return created;
    }

    /** The application closed its channel. */
    synchronized void detach(RdmaChannelImpl channel) {
        if (open == channel) {
            open = null;
        }
    }

    /**
     * A known peer's sender, without a look-up.
     *
     * @param nodeId the peer.
     * @return its sender, or {@code null} if the pool does not know the peer.
     */
    ChannelSender senderIfKnown(String nodeId) {
        ChannelSender sender = senders.get(nodeId);
        if (sender != null) {
            return sender;
        }
        long start = System.nanoTime();
        Connection connection = pool.connectIfKnown(nodeId);
        if (connection == null) {
            return null;
        }
        connectLatency.warm().since(start);
        return senderFor(connection);
    }

    /**
     * A peer's sender, after a cluster look-up if the pool does not know the peer yet.
     *
     * @param nodeId the peer.
     * @return completes with the sender, or with the pool's failure.
     */
    CompletionStage<ChannelSender> sender(String nodeId) {
        ChannelSender known = senderIfKnown(nodeId);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        long start = System.nanoTime();
        return pool.connect(nodeId).whenComplete((connection, failure) -> connectLatency.miss().since(start))
            .thenApply(this::senderFor);
    }

    private ChannelSender senderFor(Connection connection) {
        return senders.computeIfAbsent(connection.nodeId(), id -> new ChannelSender(connection, drains, waitLimit));
    }

    /**
     * Builds a frame for the application's payload.
     *
     * @throws RdmaMessageTooLargeException if the payload does not fit one receive buffer.
     */
    byte[] frame(byte kind, long correlation, Buffer payload) {
        int length = payload.length();
        int limit = maxPayload();
        if (length > limit) {
            throw new RdmaMessageTooLargeException(length, limit);
        }
        return ChannelWire.frame(kind, correlation, payload, length);
    }

    /** @return a failure's reason in UTF-8, cut to fit one frame. */
    Buffer reasonPayload(String reason) {
        byte[] text = String.valueOf(reason).getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(text.length <= maxPayload() ? text : Arrays.copyOf(text, maxPayload()));
    }

    /**
     * Sends a reply or failure to a request; signals on the caller's context (or the open channel's).
     */
    Completable answer(String nodeId, byte kind, long correlation, Buffer payload) {
        RdmaChannelImpl channel = open;
        if (channel != null) {
            return channel.sendFrame(nodeId, kind, correlation, payload);
        }
        return Completable.error(new RdmaChannelClosedException("the RdmaChannel on node " + localNodeId
            + " is closed: its requests can no longer be answered"));
    }

    @Override
    public void onMessage(String sourceNodeId, DirectBuffer buffer, int offset, int length, ReceivedMessage lease) {
        int header = ChannelWire.headerAfterEnvelope();
        if (length < header) {
            counters.malformed.increment();
            lease.release();
            return;
        }
        byte kind = ChannelWire.kind(buffer, offset);
        long correlation = ChannelWire.correlation(buffer, offset);
        RdmaChannelImpl channel = open;
        switch (kind) {
            case ChannelWire.SEND, ChannelWire.REQUEST -> {
                boolean request = kind == ChannelWire.REQUEST;
                if (channel == null) {
                    lease.release();
                    refuse(sourceNodeId, request, correlation, "no RdmaChannel is open on node " + localNodeId);
                    return;
                }
                counters.received.increment();
                channel.inbound(newMessage(sourceNodeId, buffer, offset + header, length - header, lease,
                    correlation, request));
            }
            case ChannelWire.REPLY, ChannelWire.FAILURE -> {
                RdmaMessageImpl answer = newMessage(sourceNodeId, buffer, offset + header, length - header, lease,
                    correlation, false);
                if (channel == null) {
                    counters.lateReplies.increment();
                    answer.release();
                } else {
                    channel.answered(answer, kind == ChannelWire.FAILURE);
                }
            }
            default -> {
                counters.malformed.increment();
                lease.release();
            }
        }
    }

    private RdmaMessageImpl newMessage(String source, DirectBuffer buffer, int offset, int length,
                                       ReceivedMessage lease, long correlation, boolean request) {
        held.incrementAndGet();
        return new RdmaMessageImpl(this, source, buffer, offset, length, lease, correlation, request);
    }

    /** A message's last reference went. */
    void messageReleased() {
        held.decrementAndGet();
    }

    /**
     * Drops a message nobody takes; a request is answered with a failure so that its sender need not time out.
     * Runs on the receive poller, which may offer to the pool.
     */
    void refuse(String sourceNodeId, boolean request, long correlation, String reason) {
        counters.refused.increment();
        if (!request) {
            return;
        }
        ChannelSender sender = senderIfKnown(sourceNodeId);
        if (sender == null) {
            return;
        }
        byte[] reasonBytes = String.valueOf(reason).getBytes(StandardCharsets.UTF_8);
        byte[] frame = ChannelWire.frame(ChannelWire.FAILURE, correlation,
            reasonBytes.length <= maxPayload() ? reasonBytes : Arrays.copyOf(reasonBytes, maxPayload()));
        if (sender.send(frame, failure -> { }, false)) {
            counters.sent.increment();
        }
    }

    /**
     * Forgets a peer that left the cluster.
     *
     * @param nodeId the peer.
     */
    public void peerLeft(String nodeId) {
        senders.remove(nodeId);
    }

    /**
     * Closes the open channel and waits, bounded, until the application has released the receive buffers it
     * holds: the pool unmaps them when it closes, after which reading them would crash the process.
     *
     * @param timeoutMillis how long to wait for messages still held.
     */
    public void close(long timeoutMillis) {
        RdmaChannelImpl channel;
        synchronized (this) {
            closed = true;
            channel = open;
        }
        if (channel != null) {
            channel.close();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (held.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int stillHeld = held.get();
        if (stillHeld > 0) {
            LOG.log(Level.WARNING, "rdmabus: closing node {0} while the application still holds {1} RdmaChannel "
                + "message(s); they must not be read any more", localNodeId, stillHeld);
        }
        senders.clear();
    }
}
