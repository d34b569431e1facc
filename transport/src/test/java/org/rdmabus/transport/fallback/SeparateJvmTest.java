package org.rdmabus.transport.fallback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.ChildJvmNode;
import org.rdmabus.transport.testing.TestCluster;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node in another JVM. Both JVMs run rdmabus, but over the in-JVM loopback fabric they cannot reach each other:
 * the advertisement names another fabric. Traffic between them must fall back to TCP in both directions, while the
 * cluster, the echo and the request work as usual.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeparateJvmTest {

    @Test
    void aNodeInAnotherJvmIsReachedOverTcpBothWays() throws IOException {
        String parentAddress = "parent-" + UUID.randomUUID();
        String childAddress = "child-" + UUID.randomUUID();
        try (TestCluster cluster = TestCluster.empty("separate-jvm")) {
            cluster.addNode(TestCluster.rdmabusOn(), bus -> { });
            Await.result(cluster.node(0).eventBus().consumer(parentAddress, message -> message.reply("parent:" + message.body())).completion());
            try (ChildJvmNode child = ChildJvmNode.start(cluster.name(), childAddress, parentAddress, true)) {
                String ready = child.nextLine(Duration.ofSeconds(60));
                assertTrue(ready.startsWith("READY "), ready);
                String childNodeId = ready.substring("READY ".length());

                assertEquals("REPLY parent:from-child", child.nextLine(Duration.ofSeconds(30)));
                assertEquals("child:from-parent", Await.result(cluster.node(0).eventBus().request(childAddress, "from-parent")).body());

                HookCounters counters = cluster.counters(0);
                assertEquals(0, cluster.channel(0).sentTo(childNodeId));
                assertTrue(counters.tcpSends() >= 1, counters.toString());
                assertTrue(cluster.tcpConnectionTargets(0).contains(childNodeId));
            }
        }
    }
}
