package org.rdmabus.samples.functions.impl;

import java.util.List;
import org.rdmabus.samples.impl.node.NodeArguments;

/**
 * How the launcher starts one function-runtime node JVM. Each node joins two clusters on loopback: one whose event
 * bus rdmabus carries, one with rdmabus disabled, so that all three columns are measured in the same JVMs at the same
 * time.
 *
 * @param role               what the node runs.
 * @param clusterName        the run's cluster name; the two clusters add {@code -rdmabus} and {@code -tcp}.
 * @param rdmabusPort        this node's Hazelcast port in the rdmabus cluster.
 * @param rdmabusMembers     the Hazelcast ports of the rdmabus cluster, this node's included.
 * @param tcpPort            this node's Hazelcast port in the TCP cluster.
 * @param tcpMembers         the Hazelcast ports of the TCP cluster, this node's included.
 * @param maxLifetimeSeconds how long the node may live at most, 0 for no limit.
 */
public record FunctionNodeSpec(FunctionRole role, String clusterName, int rdmabusPort, List<Integer> rdmabusMembers,
                               int tcpPort, List<Integer> tcpMembers, int maxLifetimeSeconds) {

    private static final String ROLE = "role";
    private static final String CLUSTER = "cluster";
    private static final String RDMABUS_PORT = "rdmabus-port";
    private static final String RDMABUS_MEMBERS = "rdmabus-members";
    private static final String TCP_PORT = "tcp-port";
    private static final String TCP_MEMBERS = "tcp-members";
    private static final String MAX_LIFETIME = "max-lifetime";

    /**
     * @throws IllegalArgumentException if a value is out of range.
     */
    public FunctionNodeSpec {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("a node needs a cluster name");
        }
        rdmabusMembers = members(rdmabusPort, rdmabusMembers);
        tcpMembers = members(tcpPort, tcpMembers);
        if (maxLifetimeSeconds < 0) {
            throw new IllegalArgumentException("max lifetime cannot be negative: " + maxLifetimeSeconds);
        }
    }

    /** @return the name of the cluster rdmabus carries. */
    public String rdmabusCluster() {
        return clusterName + "-rdmabus";
    }

    /** @return the name of the cluster with rdmabus disabled. */
    public String tcpCluster() {
        return clusterName + "-tcp";
    }

    /** @return the node's command-line arguments, which {@link #fromArgs(String[])} reads back. */
    public List<String> toArgs() {
        return List.of(NodeArguments.arg(ROLE, role.argument()), NodeArguments.arg(CLUSTER, clusterName),
            NodeArguments.arg(RDMABUS_PORT, rdmabusPort), NodeArguments.portsArg(RDMABUS_MEMBERS, rdmabusMembers),
            NodeArguments.arg(TCP_PORT, tcpPort), NodeArguments.portsArg(TCP_MEMBERS, tcpMembers),
            NodeArguments.arg(MAX_LIFETIME, maxLifetimeSeconds));
    }

    /**
     * @param args the node's command-line arguments, as {@link #toArgs()} writes them.
     * @return the spec.
     * @throws IllegalArgumentException if an argument is unknown, missing or malformed.
     */
    public static FunctionNodeSpec fromArgs(String[] args) {
        NodeArguments arguments = NodeArguments.parse(args);
        arguments.rejectUnknown(List.of(ROLE, CLUSTER, RDMABUS_PORT, RDMABUS_MEMBERS, TCP_PORT, TCP_MEMBERS,
            MAX_LIFETIME));
        return new FunctionNodeSpec(FunctionRole.fromArgument(arguments.string(ROLE)), arguments.string(CLUSTER),
            arguments.integer(RDMABUS_PORT), arguments.ports(RDMABUS_MEMBERS), arguments.integer(TCP_PORT),
            arguments.ports(TCP_MEMBERS), arguments.integer(MAX_LIFETIME));
    }

    private static List<Integer> members(int port, List<Integer> members) {
        NodeArguments.checkPort(port);
        List<Integer> copy = List.copyOf(members);
        copy.forEach(NodeArguments::checkPort);
        if (!copy.contains(port)) {
            throw new IllegalArgumentException("the member ports " + copy + " omit the node's own port " + port);
        }
        return copy;
    }
}
