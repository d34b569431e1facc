package org.rdmabus.transport.install;

import com.hazelcast.config.ConfigXmlGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.vertx.VertxInternals;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.HazelcastTestConfig;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.TestCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Installation decisions: each clustered instance logs exactly one INFO line saying which path its traffic takes,
 * and when rdmabus cannot run (Vert.x internals differ, the requested provider is missing) the instance runs on
 * TCP, untouched, and works.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InstallationTest {

    @Test
    void mismatchedInternalsAndAMissingProviderLeaveNodesOnTcp() {
        try (LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("install")) {
            VertxInternals.simulateMismatchForTesting("method ClusteredMessage.encodeToWire");
            Vertx mismatched;
            try {
                mismatched = cluster.addNode(TestCluster.rdmabusOn(), bus -> { });
            } finally {
                VertxInternals.simulateMismatchForTesting(null);
            }
            Vertx noProvider = cluster.addNode(TestCluster.rdmabusOn().setProvider("no-such-fabric"), bus -> { });

            List<String> info = log.messages(Level.INFO);
            assertEquals(2, info.size(), info.toString());
            assertTrue(info.get(0).startsWith("rdmabus: staying on TCP: Vert.x internals differ"), info.get(0));
            assertTrue(info.get(0).contains("ClusteredMessage.encodeToWire"), info.get(0));
            assertTrue(info.get(1).startsWith("rdmabus: staying on TCP: provider 'no-such-fabric' is not on the class path (found: "), info.get(1));

            for (int i = 0; i < 2; i++) {
                assertFalse(RdmaEventBus.status(cluster.node(i)).isActive());
                assertNull(cluster.counters(i), "rdmabus installed on node " + i);
            }
            assertNull(cluster.channel(0));
            assertNull(cluster.channel(1));

            String address = "echo-" + UUID.randomUUID();
            Await.result(noProvider.eventBus().consumer(address, message -> message.reply("echo:" + message.body())).completion());
            assertEquals("echo:tcp", Await.result(mismatched.eventBus().request(address, "tcp")).body());
            assertEquals(1, cluster.tcpConnections(0));
        }
    }

    @Test
    void anActiveNodeLogsOneLineNamingTheProviderAndItsPool() {
        try (LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.start("install-active", 1, TestCluster.rdmabusOn())) {
            List<String> info = log.messages(Level.INFO);
            assertEquals(1, info.size(), info.toString());
            String line = info.get(0);
            assertTrue(line.startsWith("rdmabus: event-bus traffic of node " + cluster.nodeId(0) + " takes the 'loopback' channel ("), line);
            assertTrue(line.contains("1 delivery thread, no pool"), line);
            assertTrue(RdmaEventBus.status(cluster.node(0)).isActive());
            assertEquals(line, RdmaEventBus.status(cluster.node(0)).getDescription());
        }
    }

    @Test
    void aNodeWhoseStartUpProbeFailsSendsOverTcpButStillReceivesOverTheChannel() {
        try (LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("install-probe")) {
            cluster.addNode(TestCluster.rdmabusOn(), bus -> { });
            VertxInternals.simulateCallbackChangeForTesting(true);
            try {
                cluster.addNode(TestCluster.rdmabusOn(), bus -> { });
            } finally {
                VertxInternals.simulateCallbackChangeForTesting(false);
            }
            List<String> info = log.messages(Level.INFO);
            assertEquals(2, info.size(), info.toString());
            assertTrue(info.get(1).startsWith("rdmabus: staying on TCP: the node-selector callback of a send no longer captures"), info.get(1));
            assertTrue(info.get(1).endsWith("messages from peers that arrive over the channel are still delivered"), info.get(1));
            assertTrue(RdmaEventBus.status(cluster.node(0)).isActive());
            assertFalse(RdmaEventBus.status(cluster.node(1)).isActive());

            String address = "echo-" + UUID.randomUUID();
            Await.result(cluster.node(1).eventBus().consumer(address, message -> message.reply("echo:" + message.body())).completion());
            assertEquals("echo:mixed", Await.result(cluster.node(0).eventBus().request(address, "mixed")).body());
            // Node 0 reached node 1 over the channel; node 1 answered over TCP.
            assertEquals(1, cluster.channel(0).sentTo(cluster.nodeId(1)));
            assertEquals(1, cluster.counters(1).inboundDelivered());
            assertEquals(0, cluster.tcpConnections(0));
            assertEquals(1, cluster.tcpConnections(1));
        }
    }

    /**
     * {@code Vertx.clusteredVertx(options)} with a service-loaded cluster manager: Vert.x's cluster manager is itself a
     * service provider and may set itself on the builder only after rdmabus ran; rdmabus must still run, and leave
     * the cluster manager Vert.x loaded as it is.
     */
    @Test
    void aServiceLoadedClusterManagerGetsTheChannelToo() throws IOException {
        try (TestCluster cluster = TestCluster.empty("install-service-loaded")) {
            Path config = Files.createTempFile("rdmabus-hazelcast", ".xml");
            try {
                Files.writeString(config, new ConfigXmlGenerator(false).generate(HazelcastTestConfig.create(cluster.name())));
                System.setProperty("vertx.hazelcast.config", config.toString());
                RdmaEventBus.configure(TestCluster.rdmabusOn());
                Vertx serviceLoaded;
                try {
                    serviceLoaded = Await.result(Vertx.clusteredVertx(new VertxOptions()
                        .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0))), Duration.ofSeconds(60));
                } finally {
                    RdmaEventBus.configure(null);
                    System.clearProperty("vertx.hazelcast.config");
                }
                try {
                    assertTrue(RdmaEventBus.status(serviceLoaded).isActive(), RdmaEventBus.status(serviceLoaded).getDescription());
                    assertEquals(HazelcastClusterManager.class, ((VertxInternal) serviceLoaded).clusterManager().getClass());
                    cluster.addNode(TestCluster.rdmabusOn(), bus -> { });
                    String address = "echo-" + UUID.randomUUID();
                    Await.result(cluster.node(0).eventBus().consumer(address, message -> message.reply("echo:" + message.body())).completion());
                    assertEquals("echo:loaded", Await.result(serviceLoaded.eventBus().request(address, "loaded")).body());
                    assertEquals(1, cluster.channel(0).sentTo(((VertxInternal) serviceLoaded).clusterManager().getNodeId()));
                } finally {
                    Await.result(serviceLoaded.close());
                }
            } finally {
                Files.deleteIfExists(config);
            }
        }
    }
}
