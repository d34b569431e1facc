package org.rdmabus.samples.impl.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rdmabus.samples.impl.node.LoopbackCluster.ClusteredNode;

/**
 * Waits on a node JVM's main thread, never on an event loop, for what a node must have before it reports ready or
 * answers its launcher.
 */
public final class Blocking {

    private static final long POLL_MILLIS = 20;

    private Blocking() {
    }

    /**
     * @param future what to wait for.
     * @param limit  how long at most.
     * @param what   what it is, for the time-out's message.
     * @param <T>    its result's type.
     * @return its result.
     * @throws ExecutionException   if it failed.
     * @throws TimeoutException     if it took longer than the limit, naming {@code what}.
     * @throws InterruptedException if the thread was interrupted.
     */
    public static <T> T await(Future<T> future, Duration limit, String what)
        throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what + " took longer than " + limit.toSeconds() + " s");
        }
    }

    /**
     * Waits, through the cluster manager only, until some node of the cluster has a consumer on {@code address}, so
     * that a request sent afterwards finds it rather than failing for lack of handlers.
     *
     * @param node     the node that will send to the address.
     * @param address  the event-bus address.
     * @param deadline the {@link System#nanoTime()} by which a consumer must be visible.
     * @throws ExecutionException   if the cluster manager fails.
     * @throws TimeoutException     if no consumer became visible in time.
     * @throws InterruptedException if the thread was interrupted.
     */
    public static void awaitConsumer(ClusteredNode node, String address, long deadline)
        throws ExecutionException, TimeoutException, InterruptedException {
        while (true) {
            Promise<List<RegistrationInfo>> registrations = Promise.promise();
            node.clusterManager().getRegistrations(address, registrations);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!await(registrations.future(), left.plusSeconds(1), "looking up " + address).isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("no consumer of " + address + " became visible in time");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
