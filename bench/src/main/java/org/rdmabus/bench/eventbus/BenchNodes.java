package org.rdmabus.bench.eventbus;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;

/**
 * Builds the clustered Vert.x nodes of the benchmark exactly as an application would, over Hazelcast on loopback:
 * TCP-IP join on 127.0.0.1 only, no multicast, no phone-home.
 */
final class BenchNodes {
    /** First Hazelcast member port the benchmark's members try. */
    private static final int BASE_PORT = 17701;
    private static final int PORT_COUNT = 20;
    /** Bounds a node's start; the first clustered node of a JVM under emulation takes minutes. */
    private static final long START_SECONDS = 600;

    private BenchNodes() {
    }

    /**
     * @param mode        how its event bus travels; not {@link Mode#IN_JVM}.
     * @param clusterName the Hazelcast cluster, unique per run.
     * @param provider    the rdmabus provider for {@link Mode#RDMABUS} ({@code auto}, {@code soft}, {@code rdma}),
     *                    or {@code null} for rdmabus's default.
     * @return the started node.
     * @throws Exception if it does not start in time.
     */
    static Vertx start(Mode mode, String clusterName, String provider) throws Exception {
        VertxOptions options = quiet(new VertxOptions())
            .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0))
            .setPreferNativeTransport(mode == Mode.TCP_EPOLL);
        // Defaults for rdmabus (system properties rdmabus.* still win); disabled for the TCP baselines. rdmabus asks
        // Vert.x for the native transport by itself, as it would in an application.
        RdmaEventBusOptions rdmabus = new RdmaEventBusOptions().setEnabled(mode == Mode.RDMABUS);
        if (provider != null) {
            rdmabus.setProvider(provider);
        }
        RdmaEventBus.configure(rdmabus);
        try {
            return Vertx.builder().with(options)
                .withClusterManager(new HazelcastClusterManager(hazelcast(clusterName)))
                .buildClustered()
                .toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        } finally {
            RdmaEventBus.configure(null);
        }
    }

    /**
     * The node of {@link Mode#IN_JVM}: not clustered, on the native transport when it is available, like the
     * fastest TCP baseline.
     *
     * @return the started instance.
     */
    static Vertx startInJvm() {
        return Vertx.builder().with(quiet(new VertxOptions()).setPreferNativeTransport(true)).build();
    }

    /**
     * Stretches Vert.x's blocked-thread limits: under the VM's emulation start-up blocks event loops for seconds, and
     * every warning prints a stack trace, which the emulation makes expensive enough to disturb the measurement.
     */
    private static VertxOptions quiet(VertxOptions options) {
        return options.setMaxEventLoopExecuteTime(30).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
            .setMaxWorkerExecuteTime(300).setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
    }

    /**
     * Closes a node, bounded.
     *
     * @param vertx the node, or {@code null}.
     */
    static void close(Vertx vertx) {
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("closing a node failed: " + e);
        }
    }

    /**
     * The Vert.x event loops, Hazelcast and rdmabus threads alive in this JVM: after a mode closed its nodes there should be none,
     * since a poller that kept spinning would take the CPU from every mode measured after it on a two-core machine.
     *
     * @return their names, sorted.
     */
    static List<String> threadsAlive() {
        // Worker threads are left out: Vert.x lets idle ones end by themselves, and they take no CPU meanwhile.
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter(name -> name.startsWith("rdmabus-") || name.startsWith("vert.x-eventloop") || name.startsWith("hz."))
            .sorted().toList();
    }

    private static Config hazelcast(String clusterName) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "0");
        config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT.getName(), "5");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(BASE_PORT).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
        for (int port = BASE_PORT; port < BASE_PORT + PORT_COUNT; port++) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + port);
        }
        return config;
    }
}
