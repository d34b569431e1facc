package org.rdmabus.transport.install;

import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.RdmaEventBusStatus;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.install.FailingChannelFactories.FailsToDescribe;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.HazelcastTestConfig;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.TestCluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Start-up failures reach the application exactly as in plain Vert.x: when a part of Vert.x's clustered start fails
 * (the cluster join, the HA manager, the event-bus server), the {@code buildClustered()} future fails with the same
 * exception type and message whether rdmabus runs or not, and a channel that had started is closed. A failure inside
 * rdmabus's own start never fails the application's: the node starts on TCP and a warning names the cause.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StartUpFailureTest {

    private static final Duration THREADS_END = Duration.ofSeconds(10);

    @TempDir
    Path serviceFiles;

    @Test
    void aFailedJoinFailsTheStartAsWithoutRdmabus() {
        assertSameFailure("join", config -> new HazelcastClusterManager(config) {
            @Override
            public void join(Completable<Void> promise) {
                promise.fail(new VertxException("the cluster refused this member (test)"));
            }
        }, new VertxOptions());
    }

    @Test
    void anHaManagerThatCannotStartFailsTheStartAsWithoutRdmabus() {
        assertSameFailure("ha", config -> new HazelcastClusterManager(config) {
            @Override
            public <K, V> Map<K, V> getSyncMap(String name) {
                throw new IllegalStateException("no synchronous map " + name + " (test)");
            }
        }, new VertxOptions().setHAEnabled(true));
    }

    /**
     * The event-bus port is taken: Vert.x's listen fails after the channel started, which must then be closed. Both
     * runs use the native transport: rdmabus moves event loops to it by default ({@code nativeTransport}), and a
     * bind failure's type is the transport's (Netty's {@code NativeIoException} on epoll, {@code BindException} on
     * NIO), not rdmabus's; the README lists this as a difference.
     */
    @Test
    void anEventBusPortInUseFailsTheStartAsWithoutRdmabusAndLeavesNoChannel() throws IOException {
        Set<Thread> pollersBefore = pollerThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             SoftFabricDirectory shm = SoftFabricDirectory.create("start-port-taken")) {
            assertSameFailure("port", HazelcastClusterManager::new, new VertxOptions().setPreferNativeTransport(true)
                .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(taken.getLocalPort())));
            assertEquals(List.of(), shm.files(), "shared-memory files of the channel that started before the failure");
            Await.until("the channel's poller threads end", THREADS_END, () -> {
                Set<Thread> left = pollerThreads();
                left.removeAll(pollersBefore);
                return left.isEmpty();
            });
        }
    }

    /**
     * rdmabus's own start throws after the event bus started (here: describing the channel for the start-up line):
     * the node starts, on TCP, with a warning naming the cause; what a peer sends it over the channel is still
     * delivered, and it answers over TCP.
     */
    @Test
    void aFailureInRdmabusOwnStartLeavesTheNodeOnTcpWithAWarning() {
        try (LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("start-rdmabus-fails")) {
            Vertx failing = ScopedChannelFactories.with(serviceFiles, List.of(FailsToDescribe.class),
                () -> cluster.addNode(new RdmaEventBusOptions().setProvider("failing-describe"), bus -> { }));
            Vertx peer = cluster.addNode(TestCluster.rdmabusOn(), bus -> { });

            String warning = "rdmabus: staying on TCP: starting failed: java.lang.IllegalStateException: "
                + FailingChannelFactories.DESCRIBE_FAILURE;
            assertEquals(List.of(warning), log.messages(Level.WARNING, "org.rdmabus.transport"));
            RdmaEventBusStatus status = RdmaEventBus.status(failing);
            assertFalse(status.isActive());
            assertEquals(warning, status.getDescription());

            String address = "echo-" + UUID.randomUUID();
            Await.result(failing.eventBus().<String>consumer(address, message -> message.reply("echo:" + message.body())).completion());
            assertEquals("echo:after-failure", Await.result(peer.eventBus().<String>request(address, "after-failure")).body());
            assertEquals(1, cluster.channel(1).sentTo(cluster.nodeId(0)), "the request took the peer's channel");
            assertEquals(1, cluster.counters(0).inboundDelivered(), "the failed node delivered it");
            assertEquals(Set.of(cluster.nodeId(1)), cluster.tcpConnectionTargets(0), "the answer took TCP");
            assertEquals(0, cluster.counters(0).channelSends());
        }
    }

    /**
     * Builds a node that fails to start, with rdmabus off and then on (over the soft fabric), and compares what the
     * application's future got.
     */
    private static void assertSameFailure(String label, Function<Config, ClusterManager> clusterManager, VertxOptions options) {
        Throwable off = startFailure(label + "-off", TestCluster.rdmabusOff(), clusterManager, new VertxOptions(options));
        Throwable on = startFailure(label + "-on", TestCluster.rdmabusOn().setProvider("soft"), clusterManager, new VertxOptions(options));
        assertEquals(off.getClass(), on.getClass(), "on: " + on + ", off: " + off);
        assertEquals(off.getMessage(), on.getMessage());
    }

    private static Throwable startFailure(String label, RdmaEventBusOptions rdmabus, Function<Config, ClusterManager> clusterManager,
                                          VertxOptions options) {
        try (TestCluster cluster = TestCluster.empty("start-failure-" + label)) {
            if (options.getEventBusOptions().getHost() == null) {
                options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
            }
            Throwable failure = Await.failure(cluster.build(rdmabus, options, clusterManager.apply(HazelcastTestConfig.create(cluster.name()))));
            assertNotNull(failure);
            return failure;
        }
    }

    private static Set<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(CompletionPoller.THREAD_NAME_PREFIX))
            .collect(Collectors.toSet());
    }
}
