package org.rdmabus.verbs.conformance;

import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.QueuePair;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A sender reaching one receiver, what a two-sided conformance test posts through: a DC initiator bound to one
 * target address, or an RC queue pair connected to its peer. The receiving end (a DC target or the peer RC queue
 * pair) is in this JVM, and then known here, or in a {@link ConformancePeer}.
 */
final class Sender {
    private final Transport transport;
    private final QueuePair queuePair;
    private final Post post;
    private final DcTarget target;
    private final ReliableQueuePair peer;

    @FunctionalInterface
    private interface Post {
        boolean post(WorkRequest request);
    }

    private Sender(Transport transport, QueuePair queuePair, Post post, DcTarget target, ReliableQueuePair peer) {
        this.transport = transport;
        this.queuePair = queuePair;
        this.post = post;
        this.target = target;
        this.peer = peer;
    }

    /**
     * @param initiator the DC initiator.
     * @param address   the address every request goes to.
     * @param target    the target at {@code address} if it is in this JVM, else {@code null}.
     * @return a sender over DC.
     */
    static Sender dc(DcInitiator initiator, TargetAddress address, DcTarget target) {
        return new Sender(Transport.DC, initiator, request -> initiator.post(address, request), target, null);
    }

    /**
     * @param queuePair a connected RC queue pair.
     * @param peer      the queue pair it is connected to if that is in this JVM, else {@code null}.
     * @return a sender over RC.
     */
    static Sender rc(ReliableQueuePair queuePair, ReliableQueuePair peer) {
        return new Sender(Transport.RC, queuePair, queuePair::post, null, peer);
    }

    /** @return the transport that carries the requests. */
    Transport transport() {
        return transport;
    }

    /** @return the sending queue pair: its state, reset, space and close. */
    QueuePair queuePair() {
        return queuePair;
    }

    /**
     * Posts a request to the receiver.
     *
     * @param request what to do; may be reused at once.
     * @return {@code false} if the send queue is full.
     */
    boolean post(WorkRequest request) {
        return post.post(request);
    }

    /** @return the receiving DC target, for a DC sender whose target is in this JVM. */
    DcTarget target() {
        if (target == null) {
            throw new IllegalStateException("no DC target in this JVM: " + this);
        }
        return target;
    }

    /** @return the receiving RC queue pair, for an RC sender whose peer is in this JVM. */
    ReliableQueuePair peer() {
        if (peer == null) {
            throw new IllegalStateException("no peer queue pair in this JVM: " + this);
        }
        return peer;
    }

    /** Closes the receiving end in this JVM (the DC target or the peer RC queue pair), leaving the sender open. */
    void closeReceiver() {
        if (transport == Transport.DC) {
            target().close();
        } else {
            peer().close();
        }
    }

    @Override
    public String toString() {
        return transport + " " + queuePair;
    }
}
