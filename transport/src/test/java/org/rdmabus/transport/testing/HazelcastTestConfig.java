package org.rdmabus.transport.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;

import java.util.List;

/**
 * Hazelcast for tests: loopback only (TCP-IP join on 127.0.0.1, multicast and auto-detection off; named hosts for the
 * two-VM test), no phone-home, a small port range, and short join, heartbeat and merge delays so that clusters form
 * and shut down fast.
 */
public final class HazelcastTestConfig {

    /** First Hazelcast member port; a cluster uses the ports from here on. */
    public static final int BASE_PORT = 15701;
    /** Ports tried per member; also the largest cluster size. */
    public static final int PORT_COUNT = 10;
    /**
     * Ports per host in a cluster across hosts (the two-VM test runs at most two members per VM). Every port listed is
     * asked for the master on each join attempt, and under emulation each attempt costs a thread and a connection:
     * with ten ports per host, a third member took eight minutes to join in one run, in those attempts.
     */
    private static final int PORTS_PER_HOST_ACROSS_HOSTS = 3;

    private static final String LOOPBACK = "127.0.0.1";

    private HazelcastTestConfig() {
    }

    /**
     * A configuration for one member of a test cluster.
     *
     * @param clusterName unique per test cluster, so that clusters of other tests never merge with it
     * @return a new configuration
     */
    public static Config create(String clusterName) {
        return create(clusterName, LOOPBACK, List.of(LOOPBACK));
    }

    /**
     * A configuration for one member of a test cluster whose members are on several hosts (the two-VM wire test):
     * bound to one address, joining over TCP to the members' port ranges on every host, never by multicast.
     *
     * @param clusterName unique per test cluster
     * @param host        the address this member binds to
     * @param memberHosts the addresses of every host that runs members, this one included
     * @return a new configuration
     */
    public static Config create(String clusterName, String host, List<String> memberHosts) {
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
        int ports = memberHosts.size() > 1 ? PORTS_PER_HOST_ACROSS_HOSTS : PORT_COUNT;
        network.setPort(BASE_PORT).setPortAutoIncrement(true).setPortCount(ports);
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
        for (String memberHost : memberHosts) {
            for (int port = BASE_PORT; port < BASE_PORT + ports; port++) {
                join.getTcpIpConfig().addMember(memberHost + ":" + port);
            }
        }
        return config;
    }
}
