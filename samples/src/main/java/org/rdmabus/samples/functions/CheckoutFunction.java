package org.rdmabus.samples.functions;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.Map;
import java.util.Objects;

/**
 * A checkout function instance that calls its two services over the clustered event bus: plain Vert.x code. The
 * runtime deploys a fresh one per invocation and undeploys it afterwards. It opens nothing of its own: with the
 * rdmabus transport on the class path its calls take the JVM's warm, shared pool of DC queue pairs; without it (or
 * with {@code rdmabus.enabled=false}) they take Vert.x's TCP connections between the nodes.
 */
public final class CheckoutFunction extends VerticleBase {

    private final CheckoutRequest request;
    private final Promise<CheckoutResult> result;

    /**
     * @param request what to check out.
     * @param result  completed with the answer, or failed with the first call's failure.
     */
    public CheckoutFunction(CheckoutRequest request, Promise<CheckoutResult> result) {
        this.request = Objects.requireNonNull(request, "request");
        this.result = Objects.requireNonNull(result, "result");
    }

    /** @return at once: the calls complete the result promise, not the deployment. */
    @Override
    public Future<?> start() {
        long started = System.nanoTime();
        Checkout.totalCents(vertx.eventBus(), request).onComplete(total -> {
            if (total.succeeded()) {
                result.tryComplete(new CheckoutResult(total.result(), started, started, System.nanoTime(), Map.of()));
            } else {
                result.tryFail(total.cause());
            }
        });
        return Future.succeededFuture();
    }
}
