package org.rdmabus.transport.install;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.testing.TestCluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rdmabus moves a clustered instance's event loops to the native transport (epoll here), because each message the
 * channel delivers wakes an event loop; an instance can opt out, and one without rdmabus keeps Vert.x's choice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NativeTransportTest {

    @Test
    void rdmabusInstancesRunOnTheNativeTransportUnlessTheyOptOut() {
        try (TestCluster cluster = TestCluster.empty(getClass().getSimpleName())) {
            Vertx withRdmabus = cluster.addNode(TestCluster.rdmabusOn(), bus -> { });
            Vertx optedOut = cluster.addNode(TestCluster.rdmabusOn().setNativeTransport(false), bus -> { });
            Vertx without = cluster.addNode(TestCluster.rdmabusOff(), bus -> { });
            assertTrue(withRdmabus.isNativeTransportEnabled(), "rdmabus prefers the native transport");
            assertFalse(optedOut.isNativeTransportEnabled(), "nativeTransport=false keeps NIO");
            assertFalse(without.isNativeTransportEnabled(), "without rdmabus Vert.x keeps its default");
        }
    }
}
