package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.spi.metrics.EventBusMetrics;
import org.rdmabus.transport.impl.InboundHandler;

import java.lang.System.Logger.Level;

/**
 * Injects the messages a node channel delivers into this node's event bus, with the semantics of Vert.x's TCP
 * inbound connection. It runs on the channel's poller thread and never runs user code there: decoding reads only
 * Vert.x's header (the body is decoded by the consumer, on its context), and delivery is one hand-off to each
 * consumer's context. The only answers it sends (NO_HANDLERS, decoding errors) go out from one fixed event-loop
 * context, because a foreign thread would get a new context per call.
 *
 * <p>A frame is one message in Vert.x's wire encoding, with its 4-byte length prefix, which must match, and every
 * length inside it must fit the frame ({@link WireEnvelope}) before Vert.x reads it. A malformed frame, a ping, or a
 * frame that arrives before the event bus started is counted and dropped; nothing thrown here reaches the poller.
 */
final class InboundDispatcher implements InboundHandler {

    private static final System.Logger LOG = System.getLogger(InboundDispatcher.class.getName());
    private static final int LENGTH_PREFIX = 4;

    private final HookCounters counters;
    private volatile Target target;

    InboundDispatcher(HookCounters counters) {
        this.counters = counters;
    }

    /**
     * Starts delivering.
     *
     * @param bus          this node's clustered event bus
     * @param replyContext the event-loop context that sends NO_HANDLERS and error answers
     * @param metrics      the event bus's metrics, or {@code null}
     * @param pending        the requests this node sent over the channel, settled by the replies delivered here
     */
    void arm(EventBus bus, Context replyContext, EventBusMetrics<?> metrics, PendingRequests pending) {
        target = new Target(bus, replyContext, metrics, pending);
    }

    @Override
    public void handle(String sourceNodeId, Buffer frame) {
        Target current = target;
        if (current == null) {
            counters.inboundBeforeStart.increment();
            return;
        }
        Message<?> message;
        try {
            int length = frame.length();
            if (length <= LENGTH_PREFIX || frame.getInt(0) != length - LENGTH_PREFIX) {
                malformed(sourceNodeId, "its length prefix does not match its length " + length, null);
                return;
            }
            String inconsistency = WireEnvelope.check(frame);
            if (inconsistency != null) {
                // Checked before Vert.x reads it: Vert.x allocates whatever a length field asks for.
                malformed(sourceNodeId, inconsistency, null);
                return;
            }
            message = VertxInternals.decode(current.bus, frame.slice(LENGTH_PREFIX, length));
        } catch (RuntimeException e) {
            malformed(sourceNodeId, "Vert.x could not decode it", e);
            return;
        }
        current.pending.replied(sourceNodeId, message.address());
        try {
            deliver(current, message, frame.length() - LENGTH_PREFIX);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rdmabus: could not deliver a message from node " + sourceNodeId + " to " + message.address(), e);
        }
    }

    private void deliver(Target current, Message<?> message, int size) {
        if (VertxInternals.hasFailure(message)) {
            counters.inboundDecodingFailures.increment();
            current.replyContext.runOnContext(v -> VertxInternals.answerDecodingFailure(message));
            return;
        }
        if (VertxInternals.isPing(message)) {
            counters.inboundPings.increment();
            return;
        }
        if (current.metrics != null) {
            readMetric(current.metrics, message.address(), size);
        }
        ReplyException noHandlers = VertxInternals.deliverLocally(current.bus, message);
        if (noHandlers == null) {
            counters.inboundDelivered.increment();
        } else {
            counters.inboundNoHandlers.increment();
            if (message.replyAddress() != null) {
                current.replyContext.runOnContext(v -> message.reply(noHandlers));
            }
        }
    }

    /** A metrics implementation is user code: its failure is reported, and never costs the message. */
    private void readMetric(EventBusMetrics<?> metrics, String address, int size) {
        try {
            metrics.messageRead(address, size);
        } catch (RuntimeException e) {
            counters.inboundMetricsFailures.increment();
            LOG.log(Level.WARNING, "rdmabus: the event-bus metrics failed on a message read for " + address + "; delivering it anyway", e);
        }
    }

    private void malformed(String sourceNodeId, String why, RuntimeException cause) {
        counters.inboundMalformed.increment();
        LOG.log(Level.DEBUG, "rdmabus: dropped a malformed frame from node " + sourceNodeId + ": " + why, cause);
    }

    private static final class Target {
        final EventBus bus;
        final Context replyContext;
        final EventBusMetrics<?> metrics;
        final PendingRequests pending;

        Target(EventBus bus, Context replyContext, EventBusMetrics<?> metrics, PendingRequests pending) {
            this.bus = bus;
            this.replyContext = replyContext;
            this.metrics = metrics;
            this.pending = pending;
        }
    }
}
