package org.rdmabus.transport.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;

/**
 * Hazelcast for tests: loopback only (TCP-IP join on 127.0.0.1, multicast and auto-detection off), no phone-home,
 * a small port range, and short join, heartbeat and merge delays so that clusters form and shut down fast.
 */
public final class HazelcastTestConfig {

    /** First Hazelcast member port; a cluster uses the ports from here on. */
    public static final int BASE_PORT = 15701;
    /** Ports tried per member; also the largest cluster size. */
    public static final int PORT_COUNT = 10;

    private HazelcastTestConfig() {
    }

    /**
     * A configuration for one member of a test cluster.
     *
     * @param clusterName unique per test cluster, so that clusters of other tests never merge with it
     * @return a new configuration
     */
    public static Config create(String clusterName) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "0");
        config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
        config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
        config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), "10");
        config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), "5");
        config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), "5");
        config.setProperty(ClusterProperty.PARTITION_COUNT.getName(), "31");
        config.setProperty(ClusterProperty.GRACEFUL_SHUTDOWN_MAX_WAIT.getName(), "5");
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty("hazelcast.logging.type", "jdk");

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
