package org.rdmabus.samples.functions;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.rdmabus.samples.functions.impl.ClassicClient;

/**
 * A checkout function instance that makes its two calls the classic RDMA way, without a pool: it opens the NIC,
 * registers memory, creates a reliable queue pair per service, exchanges addresses with each service over TCP and
 * connects, and only then calls; undeploying it closes all of that. Every step is timed into the result's
 * {@link CheckoutResult#controlPath() control path}.
 *
 * <p>The verbs calls block, so the instance runs them on a worker thread of its context, as a classic client would on
 * a thread of its own.
 */
public final class ClassicCheckoutFunction extends VerticleBase {

    private final CheckoutRequest request;
    private final ClassicEndpoints endpoints;
    private final Promise<CheckoutResult> result;
    private volatile ClassicClient client;

    /**
     * @param request   what to check out.
     * @param endpoints where the services exchange queue-pair addresses.
     * @param result    completed with the answer, or failed with the first failure.
     */
    public ClassicCheckoutFunction(CheckoutRequest request, ClassicEndpoints endpoints,
                                   Promise<CheckoutResult> result) {
        this.request = Objects.requireNonNull(request, "request");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.result = Objects.requireNonNull(result, "result");
    }

    /** @return once the instance has its answer, or has failed and closed what it opened. */
    @Override
    public Future<?> start() {
        return vertx.executeBlocking(this::run).onFailure(result::tryFail);
    }

    /** @return once the instance's queue pairs, memory and NIC are closed. */
    @Override
    public Future<?> stop() {
        ClassicClient opened = client;
        client = null;
        if (opened == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            opened.close();
            return null;
        });
    }

    private Void run() {
        long started = System.nanoTime();
        Map<ControlStep, Long> steps = new EnumMap<>(ControlStep.class);
        ClassicClient opened = ClassicClient.open(endpoints, steps);
        try {
            long calls = System.nanoTime();
            long total = opened.checkout(request);
            long finished = System.nanoTime();
            client = opened;
            result.tryComplete(new CheckoutResult(total, started, calls, finished, steps));
            return null;
        } catch (RuntimeException e) {
            // A failed start is not undeployed: close here what stop() would have.
            opened.close();
            throw e;
        }
    }
}
