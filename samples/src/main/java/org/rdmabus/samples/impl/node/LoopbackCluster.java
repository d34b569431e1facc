package org.rdmabus.samples.impl.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * Starts a clustered Vert.x node whose Hazelcast member and event bus live on 127.0.0.1 only.
 *
 * <p>Every member joins by TCP-IP on the exact ports the launcher reserved, with multicast and auto-detection off,
 * so no packet leaves loopback and concurrent runs (each with its own cluster name) never probe each other.
 */
public final class LoopbackCluster {

    /** The only interface the samples' nodes bind. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Few partitions: a sample's cluster holds a handful of entries, and fewer partitions join faster. */
    private static final String PARTITION_COUNT = "17";

    private LoopbackCluster() {
    }

    /**
     * @param clusterName the cluster name, unique per run (and per demo phase).
     * @param port        the port this member binds on {@link #LOOPBACK}.
     * @param memberPorts the ports of the members it may join.
     * @return the Hazelcast configuration.
     */
    public static Config hazelcastConfig(String clusterName, int port, List<Integer> memberPorts) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "none");
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.HEALTH_MONITORING_LEVEL.getName(), "OFF");
        config.setProperty(ClusterProperty.PARTITION_COUNT.getName(), PARTITION_COUNT);
        // The defaults wait seconds for more joiners and for migrations: a sample run cannot afford them.
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "0");
        config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
        config.setProperty(ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT.getName(), "5");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1)
            .setMembers(memberPorts.stream().map(member -> LOOPBACK + ":" + member).toList());

        // The structures vertx-hazelcast's own default configuration declares.
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return config;
    }

    /**
     * Starts a clustered Vert.x node.
     *
     * @param clusterName the cluster name.
     * @param port        the Hazelcast port on {@link #LOOPBACK}.
     * @param memberPorts the ports of the members it may join.
     * @return the node, once it has joined.
     */
    public static Future<ClusteredNode> start(String clusterName, int port, List<Integer> memberPorts) {
        HazelcastClusterManager clusterManager =
            new HazelcastClusterManager(hazelcastConfig(clusterName, port, memberPorts));
        VertxOptions options = new VertxOptions()
            .setEventLoopPoolSize(2)
            .setWorkerPoolSize(4)
            // The samples read no files: keep Vert.x from creating a file cache directory.
            .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                .setClassPathResolvingEnabled(false))
            .setEventBusOptions(new EventBusOptions().setHost(LOOPBACK).setPort(0).setClusterPublicHost(LOOPBACK));
        return Vertx.builder().with(options).withClusterManager(clusterManager).buildClustered()
            .map(vertx -> new ClusteredNode(vertx, clusterManager));
    }

    /**
     * A started node.
     *
     * @param vertx          its Vert.x instance.
     * @param clusterManager its cluster manager.
     */
    public record ClusteredNode(Vertx vertx, HazelcastClusterManager clusterManager) {

        /** @return the node's identifier in the cluster. */
        public String nodeId() {
            return clusterManager.getNodeId();
        }
    }
}
