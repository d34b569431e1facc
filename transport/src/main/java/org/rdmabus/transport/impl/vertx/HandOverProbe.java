package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Completable;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.tracing.TracingPolicy;

import java.util.UUID;

/**
 * The start-up check of the Vert.x internals that only exist once the event bus runs: the lambdas the clustered
 * event bus hands its node selector (for send and for publish) and the send context behind an outbound delivery
 * context. It sends one probe message and publishes another, to an address nobody consumes, and watches them pass
 * the interceptor and the selector; the selector never passes them on, so they go nowhere. Tracing is off for
 * them and their write promises are never completed, so neither tracers nor metrics see them.
 */
final class HandOverProbe {

    private final String address = "__rdmabus.probe." + UUID.randomUUID();
    private final DeliveryOptions options = new DeliveryOptions().setTracingPolicy(TracingPolicy.IGNORE);

    private volatile Message<?> intercepted;
    private volatile boolean optionsReadable;
    private volatile boolean sendReadable;
    private volatile boolean publishReadable;

    /**
     * Runs the probe. Call on the event bus's context, with the rdmabus interceptor installed and the node selector
     * reporting to {@link #observeSelection}.
     *
     * @param bus the clustered event bus
     * @return {@code null} when every internal behaves as expected, otherwise why not
     */
    String run(EventBus bus) {
        bus.send(address, "probe", options);
        Message<?> sent = intercepted;
        bus.publish(address, "probe", options);
        if (sent == null || intercepted == null || intercepted == sent) {
            return "the probe messages did not pass the rdmabus outbound interceptor synchronously";
        }
        if (!optionsReadable) {
            return "an outbound delivery context no longer exposes the send context and delivery options of its message";
        }
        if (!sendReadable) {
            return "the node-selector callback of a send no longer captures the message and its write promise";
        }
        if (!publishReadable) {
            return "the node-selector callback of a publish no longer captures the message and its write promise";
        }
        return null;
    }

    /** Called by the interceptor for every message while the probe runs. */
    void observe(DeliveryContext<?> context) {
        if (address.equals(context.message().address())) {
            intercepted = context.message();
            optionsReadable = VertxInternals.deliveryOptionsOf(context) == options;
        }
    }

    /**
     * Called by the node selector while the probe runs.
     *
     * @return {@code true} when the selection was the probe's (then it must go no further)
     */
    boolean observeSelection(String selected, Completable<?> callback, boolean publish) {
        if (!address.equals(selected)) {
            return false;
        }
        VertxInternals.HandOver handOver = VertxInternals.handOverOf(callback);
        boolean readable = handOver != null && handOver.message == intercepted;
        if (publish) {
            publishReadable = readable;
        } else {
            sendReadable = readable;
        }
        return true;
    }
}
