package org.rdmabus.transport.impl.loopback;

import io.vertx.core.buffer.Buffer;
import org.rdmabus.transport.impl.InboundHandler;
import org.rdmabus.transport.impl.NodeChannel;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link NodeChannel} between the nodes of one JVM: a send puts the message in the destination's inbox, and the
 * destination's own delivery thread (never a Vert.x thread, like a completion poller) hands it to the inbound
 * handler. One inbox per node keeps every source's messages in order.
 *
 * <p>{@link #failLink} simulates a broken link, with the settling the channel contract requires: it waits until the
 * link's accepted messages are delivered, then refuses every later send over it.
 */
public final class LoopbackNodeChannel implements NodeChannel {

    private static final long POLL_MILLIS = 100;
    private static final long SETTLE_MILLIS = 10_000;

    private final LoopbackFabric fabric;
    private final String endpointId = UUID.randomUUID().toString();
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();

    private volatile String localNodeId;
    private volatile InboundHandler inboundHandler;
    private volatile Consumer<String> failureHandler = nodeId -> { };
    private volatile Thread poller;
    private volatile boolean closed;

    /**
     * A channel attached to a fabric; it delivers nothing until started.
     *
     * @param fabric the fabric that connects it to the other channels of this JVM
     */
    public LoopbackNodeChannel(LoopbackFabric fabric) {
        this.fabric = fabric;
    }

    @Override
    public String describe() {
        return "in-JVM loopback fabric " + fabric.id() + ", 1 delivery thread, no pool";
    }

    @Override
    public synchronized void start(String nodeId) {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        localNodeId = nodeId;
        Thread thread = new Thread(this::deliverLoop, "rdmabus-loopback-poller-" + nodeId.substring(0, Math.min(8, nodeId.length())));
        thread.setDaemon(true);
        poller = thread;
        fabric.attach(endpointId, this);
        thread.start();
    }

    @Override
    public String localAdvertisement() {
        return "loopback:" + fabric.id() + ":" + endpointId;
    }

    @Override
    public void peerAdvertised(String nodeId, String advertisement) {
        String prefix = "loopback:" + fabric.id() + ":";
        if (advertisement == null || !advertisement.startsWith(prefix)) {
            return;
        }
        LoopbackNodeChannel peer = fabric.endpoint(advertisement.substring(prefix.length()));
        if (peer != null) {
            links.putIfAbsent(nodeId, new Link(peer));
        }
    }

    @Override
    public void advertisementLookup(java.util.function.Function<String, java.util.concurrent.CompletionStage<String>> lookup) {
        // Loopback peers find each other through the shared in-JVM fabric; no cluster lookup is needed.
    }

    @Override
    public void peerLeft(String nodeId) {
        links.remove(nodeId);
    }

    @Override
    public boolean reaches(String nodeId) {
        Link link = links.get(nodeId);
        return link != null && !link.failed && !link.peer.closed && !closed;
    }

    @Override
    public boolean send(String nodeId, Buffer message) {
        Link link = links.get(nodeId);
        if (link == null) {
            return false;
        }
        synchronized (link) {
            if (link.failed || closed || link.peer.closed) {
                return false;
            }
            link.accepted.incrementAndGet();
            // Counted before delivery can start, so that a test that saw the delivery also sees the count.
            sent.incrementAndGet();
            link.peer.inbox.add(new Delivery(localNodeId, message, link));
        }
        return true;
    }

    @Override
    public void onInbound(InboundHandler handler) {
        inboundHandler = handler;
    }

    @Override
    public void onPeerFailure(Consumer<String> handler) {
        failureHandler = handler;
    }

    @Override
    public void close() {
        closed = true;
        fabric.detach(endpointId);
        Thread thread = poller;
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Breaks this channel's link to a peer, settled as the contract requires: the messages it already accepted for
     * the peer are delivered first, then every later send to the peer is refused.
     *
     * @param nodeId the peer's node id
     * @param report whether to report the failure to the failure handler, or let the hook find out from a refusal
     * @throws IllegalStateException when the accepted messages are not delivered within 10 seconds
     */
    public void failLink(String nodeId, boolean report) {
        Link link = links.get(nodeId);
        if (link == null) {
            throw new IllegalArgumentException("no link to " + nodeId);
        }
        settleAndFail(link);
        if (report) {
            failureHandler.accept(nodeId);
        }
    }

    /**
     * Makes a failed link usable again. Real channels never do this for a node id; tests use it to show that the
     * hook does not return to the channel once a destination took TCP.
     *
     * @param nodeId the peer's node id
     */
    public void healLink(String nodeId) {
        Link link = links.get(nodeId);
        if (link != null) {
            link.failed = false;
        }
    }

    /**
     * Puts a raw frame in this channel's own inbox, as if a peer had sent it.
     *
     * @param sourceNodeId the claimed sender
     * @param frame        the frame
     */
    public void injectInbound(String sourceNodeId, Buffer frame) {
        inbox.add(new Delivery(sourceNodeId, frame, null));
    }

    /**
     * The inbound handler the hook registered (its inbound dispatcher), for tests that feed it directly.
     *
     * @return the handler, or {@code null} before the hook registered one
     */
    public InboundHandler inboundHandler() {
        return inboundHandler;
    }

    /**
     * The node id this channel was started under.
     *
     * @return the id, or {@code null} before {@link #start}
     */
    public String localNodeId() {
        return localNodeId;
    }

    /**
     * The delivery thread, for tests that check no user code runs on it.
     *
     * @return the thread, or {@code null} before {@link #start}
     */
    public Thread pollerThread() {
        return poller;
    }

    /**
     * Messages this channel accepted for its peers.
     *
     * @return the count
     */
    public long sent() {
        return sent.get();
    }

    /**
     * Messages this channel accepted for one peer.
     *
     * @param nodeId the peer's node id
     * @return the count, 0 when there is no link to the peer
     */
    public long sentTo(String nodeId) {
        Link link = links.get(nodeId);
        return link == null ? 0 : link.accepted.get();
    }

    /**
     * Messages this channel handed to its inbound handler.
     *
     * @return the count
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * Inbound-handler calls that threw (the delivery thread survives them).
     *
     * @return the count
     */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    private void settleAndFail(Link link) {
        synchronized (link) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
            while (link.delivered.get() < link.accepted.get() && !link.peer.closed) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("accepted messages were not delivered within " + SETTLE_MILLIS + " ms");
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while settling the link", e);
                }
            }
            link.failed = true;
        }
    }

    private void deliverLoop() {
        while (!closed) {
            Delivery delivery;
            try {
                delivery = inbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (delivery == null) {
                continue;
            }
            InboundHandler handler = inboundHandler;
            try {
                if (handler != null) {
                    handler.handle(delivery.source, delivery.message);
                }
            } catch (Throwable t) {
                handlerFailures.incrementAndGet();
            } finally {
                delivered.incrementAndGet();
                if (delivery.link != null) {
                    delivery.link.delivered.incrementAndGet();
                }
            }
        }
    }

    /** This side of the connection to one peer. */
    private static final class Link {
        final LoopbackNodeChannel peer;
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        volatile boolean failed;

        Link(LoopbackNodeChannel peer) {
            this.peer = peer;
        }
    }

    private static final class Delivery {
        final String source;
        final Buffer message;
        final Link link;

        Delivery(String source, Buffer message, Link link) {
            this.source = source;
            this.message = message;
            this.link = link;
        }
    }
}
