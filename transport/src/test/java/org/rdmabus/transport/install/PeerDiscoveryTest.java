package org.rdmabus.transport.install;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that joins is learned without any traffic, although it publishes its advertisement only after it joined:
 * the other nodes' pools know its address (and warm the route) before the first message to it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerDiscoveryTest {

    @Test
    void aJoiningNodeIsInThePoolDirectoryBeforeAnyMessage() {
        try (TestCluster cluster = TestCluster.empty(getClass().getSimpleName())) {
            Vertx first = cluster.addNode(TestCluster.rdmabusOn().setProvider("soft"), bus -> { });
            QpPool pool = ((PoolNodeChannel) HookRegistry.hookOf(first).channel()).pool();
            long missesBefore = pool.directory().misses();
            cluster.addNode(TestCluster.rdmabusOn().setProvider("soft"), bus -> { });
            String joined = cluster.nodeId(1);
            Await.until("the first node learned the joined node's address", Duration.ofSeconds(20),
                () -> pool.directory().cached(joined) != null);
            assertEquals(missesBefore, pool.directory().misses(), "learned from membership, not by a look-up on a miss");
        }
    }
}
