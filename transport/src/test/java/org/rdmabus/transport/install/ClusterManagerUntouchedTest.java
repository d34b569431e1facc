package org.rdmabus.transport.install;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.impl.VertxImpl;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.transport.testing.TestTimes;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's cluster manager stays the application's: Vert.x holds the very instance the application passed,
 * its node-listener slot is left to Vert.x's HA manager or to the application, and the application's cluster node
 * metadata is published as it set it, with the channel's advertisement beside it. The traffic still takes the
 * channel.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterManagerUntouchedTest {

    private static final Duration EVENTS = TestTimes.scaled(Duration.ofSeconds(30));

    @Test
    void vertxHoldsTheApplicationsClusterManagerAndPublishesItsMetadata() {
        try (TestCluster cluster = TestCluster.empty(getClass().getSimpleName())) {
            HazelcastClusterManager first = cluster.newClusterManager();
            EventBusOptions applicationBus = bus().setClusterNodeMetadata(new JsonObject().put("app", "first"));
            VertxOptions application = new VertxOptions().setEventBusOptions(applicationBus);
            Vertx node0 = cluster.addNode(TestCluster.rdmabusOn(), application, first);
            HazelcastClusterManager second = cluster.newClusterManager();
            Vertx node1 = cluster.addNode(TestCluster.rdmabusOn(), new VertxOptions().setEventBusOptions(bus()), second);

            assertSame(first, ((VertxInternal) node0).clusterManager());
            assertSame(second, ((VertxInternal) node1).clusterManager());
            assertTrue(((HazelcastClusterManager) ((VertxInternal) node0).clusterManager()).getHazelcastInstance().getLifecycleService().isRunning());
            assertTrue(RdmaEventBus.status(node0).isActive(), RdmaEventBus.status(node0).getDescription());

            NodeInfo published = Await.result(Future.<NodeInfo>future(promise -> second.getNodeInfo(cluster.nodeId(0), promise)));
            assertEquals("first", published.metadata().getString("app"), "the application's metadata is published");
            assertTrue(published.metadata().getString("rdmabus", "").startsWith("loopback:"), published.metadata().encode());
            assertEquals(new JsonObject().put("app", "first"), applicationBus.getClusterNodeMetadata(),
                "the application's options object is not changed");
            assertSame(applicationBus, application.getEventBusOptions());

            String address = "echo-" + UUID.randomUUID();
            Await.result(node1.eventBus().<String>consumer(address, message -> message.reply("echo:" + message.body())).completion());
            assertEquals("echo:untouched", Await.result(node0.eventBus().<String>request(address, "untouched")).body());
            assertEquals(1, cluster.channel(0).sentTo(cluster.nodeId(1)), "the request took the channel");
            assertEquals(1, cluster.channel(1).sentTo(cluster.nodeId(0)), "the reply took the channel");
            assertEquals(0, cluster.tcpConnections(), "no event-bus TCP connection");
        }
    }

    /**
     * An application may take its cluster manager's node-listener slot itself (HA off): it gets every event, and
     * rdmabus still learns that a node joined and left, without the slot.
     */
    @Test
    void anApplicationsNodeListenerGetsTheEventsAndRdmabusStillLearnsMembership() {
        try (TestCluster cluster = TestCluster.empty(getClass().getSimpleName() + "-listener")) {
            HazelcastClusterManager first = cluster.newClusterManager();
            Vertx node0 = cluster.addNode(TestCluster.rdmabusOn(), new VertxOptions().setEventBusOptions(bus()), first);
            Recording application = new Recording();
            first.nodeListener(application);
            Recording rdmabus = new Recording();
            BusHook hook = HookRegistry.hookOf(node0);
            hook.addPeerListener(new BusHook.PeerListener() {
                @Override
                public void joined(String nodeId) {
                    rdmabus.nodeAdded(nodeId);
                }

                @Override
                public void left(String nodeId) {
                    rdmabus.nodeLeft(nodeId);
                }
            });

            Vertx joiner = Await.result(cluster.build(TestCluster.rdmabusOn(), bus -> bus.setHost("127.0.0.1").setPort(0)), EVENTS);
            String joinerId = ((VertxInternal) joiner).clusterManager().getNodeId();
            String address = "echo-" + UUID.randomUUID();
            Await.result(joiner.eventBus().<String>consumer(address, message -> message.reply("echo:" + message.body())).completion());
            assertEquals("echo:joined", Await.result(node0.eventBus().<String>request(address, "joined")).body());
            assertEquals(1, hook.counters().channelSends(), "the request took the channel");
            assertEquals(0, cluster.tcpConnections(0), "no event-bus TCP connection");
            Await.result(joiner.close(), EVENTS);

            Await.until("the application's listener saw the node join and leave", EVENTS,
                () -> application.events().equals(List.of("added " + joinerId, "left " + joinerId)));
            Await.until("rdmabus saw the node join and leave", EVENTS,
                () -> rdmabus.events().equals(List.of("added " + joinerId, "left " + joinerId)));
            assertSame(first, ((VertxInternal) node0).clusterManager());
        }
    }

    /**
     * With HA enabled, Vert.x's HA manager takes the node-listener slot: when a node dies, it still hears of it and
     * fails the node's HA verticle over to a surviving node.
     */
    @Test
    void theHaManagerStillHearsOfADeadNodeAndFailsItsVerticleOver() {
        HaVerticle.STARTED_ON.clear();
        try (TestCluster cluster = TestCluster.empty(getClass().getSimpleName() + "-ha")) {
            HazelcastClusterManager survivorManager = cluster.newClusterManager();
            Vertx survivor = cluster.addNode(TestCluster.rdmabusOn(), ha(), survivorManager);
            Vertx dying = Await.result(cluster.build(TestCluster.rdmabusOn(), ha(), cluster.newClusterManager()), EVENTS);
            String dyingId = ((VertxInternal) dying).clusterManager().getNodeId();
            try {
                assertSame(survivorManager, ((VertxInternal) survivor).clusterManager());
                Await.result(dying.deployVerticle(HaVerticle.class.getName(), new DeploymentOptions().setHa(true)), EVENTS);
                assertEquals(List.of(dying), List.copyOf(HaVerticle.STARTED_ON));

                String address = "echo-" + UUID.randomUUID();
                Await.result(dying.eventBus().<String>consumer(address, message -> message.reply("echo:" + message.body())).completion());
                assertEquals("echo:ha", Await.result(survivor.eventBus().<String>request(address, "ha")).body());
                assertEquals(1, HookRegistry.hookOf(survivor).counters().channelSends(), "the request took the channel");
                assertEquals(0, cluster.tcpConnections(0), "no event-bus TCP connection");

                List<String> failedOver = new CopyOnWriteArrayList<>();
                ((VertxImpl) survivor).failoverCompleteHandler((nodeId, haInfo, succeeded) -> failedOver.add(nodeId));
                // Leaves the cluster as a crash would: its HA information stays, so the survivor must fail it over.
                ((VertxImpl) dying).haManager().simulateKill();

                Await.until("the survivor's HA manager failed the dead node over", EVENTS, () -> failedOver.contains(dyingId));
                Await.until("the HA verticle restarted on the survivor", EVENTS, () -> HaVerticle.STARTED_ON.contains(survivor));
                assertFalse(HaVerticle.STARTED_ON.stream().filter(survivor::equals).count() > 1);
            } finally {
                Await.result(dying.close(), EVENTS);
            }
        }
    }

    /** The HA verticle: it records which instance started it. */
    public static final class HaVerticle extends VerticleBase {
        static final Queue<Vertx> STARTED_ON = new ConcurrentLinkedQueue<>();

        @Override
        public Future<?> start() {
            STARTED_ON.add(vertx);
            return Future.succeededFuture();
        }
    }

    private static VertxOptions ha() {
        return new VertxOptions().setHAEnabled(true).setQuorumSize(1).setEventBusOptions(bus());
    }

    private static EventBusOptions bus() {
        return new EventBusOptions().setHost("127.0.0.1").setPort(0);
    }

    /** Node events, in the order they came. */
    private static final class Recording implements NodeListener {
        private final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void nodeAdded(String nodeId) {
            events.add("added " + nodeId);
        }

        @Override
        public void nodeLeft(String nodeId) {
            events.add("left " + nodeId);
        }

        List<String> events() {
            return List.copyOf(events);
        }
    }
}
