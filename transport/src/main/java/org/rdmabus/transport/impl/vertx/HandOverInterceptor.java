package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;

/**
 * rdmabus' outbound interceptor. It always passes the message on with {@code next()}, so user interceptors see
 * every message, replies included, and Vert.x keeps its tracing and metrics. Its jobs:
 * <ul>
 *   <li>keep itself the <em>last</em> interceptor: Vert.x appends interceptors, and rdmabus installs its own before
 *       user code runs, so every user interceptor lands after it. At each message it moves itself to the end if
 *       needed, adding itself again before removing the earlier entry so that it is never absent from the chain;</li>
 *   <li>take replies off Vert.x's direct reply path ({@link OutboundRouter#prepareReply});</li>
 *   <li>during the start-up probe, check that a delivery context can be read.</li>
 * </ul>
 * Being last, it runs directly before Vert.x dispatches the message, so the reply-path change happens after every
 * user interceptor decided. Correctness does not depend on it, though: the node selector identifies each message
 * from its own callback, whatever the interceptors before it delayed, batched or reordered.
 */
final class HandOverInterceptor implements Handler<DeliveryContext<Object>> {

    private final BusHook hook;
    private final EventBus bus;

    HandOverInterceptor(BusHook hook, EventBus bus) {
        this.hook = hook;
        this.bus = bus;
    }

    void install() {
        bus.addOutboundInterceptor(this);
    }

    @Override
    public void handle(DeliveryContext<Object> context) {
        keepLast();
        hook.beforeDispatch(context);
        context.next();
    }

    private void keepLast() {
        Object[] interceptors = VertxInternals.outboundInterceptors(bus);
        if (interceptors.length > 0 && interceptors[interceptors.length - 1] != this) {
            // Add first, then drop the earlier entry (Vert.x removes the first match): the chain always holds us once.
            bus.addOutboundInterceptor(this);
            bus.removeOutboundInterceptor(this);
        }
    }
}
