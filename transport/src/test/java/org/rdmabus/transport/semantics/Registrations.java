package org.rdmabus.transport.semantics;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits until a node's cluster manager lists the consumers of an address. Registrations made in another JVM reach
 * this node's view asynchronously; sending before they arrived would test Hazelcast, not the event bus.
 */
final class Registrations {

    private Registrations() {
    }

    /**
     * Polls the node's view of an address until it holds enough registrations.
     *
     * @param vertx   the node whose view counts
     * @param address the address
     * @param count   how many registrations, cluster-wide, must be listed
     * @param timeout how long to wait
     * @return whether they were listed in time
     */
    static boolean await(Vertx vertx, String address, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Promise<List<RegistrationInfo>> listed = Promise.promise();
            ((VertxInternal) vertx).clusterManager().getRegistrations(address, listed);
            try {
                if (listed.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).size() >= count) {
                    return true;
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                // Asked again until the deadline.
            }
        }
        return false;
    }
}
