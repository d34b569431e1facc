package org.rdmabus.samples.impl.demo;

import java.util.List;
import org.rdmabus.samples.impl.node.NodeArguments;

/**
 * How the demo starts one node JVM: its role, its cluster, and its Hazelcast ports on loopback.
 *
 * @param role               what the node does.
 * @param clusterName        the Hazelcast cluster name, unique per demo run and phase so that runs never merge.
 * @param hazelcastPort      the port this node's Hazelcast member binds on 127.0.0.1.
 * @param memberPorts        the Hazelcast ports of every node of the phase, this one included.
 * @param maxLifetimeSeconds how long the node may live at most: a watchdog ends it after that, whatever happens.
 */
public record NodeSpec(NodeRole role, String clusterName, int hazelcastPort, List<Integer> memberPorts,
                       int maxLifetimeSeconds) {

    private static final String ROLE = "role";
    private static final String CLUSTER = "cluster";
    private static final String PORT = "port";
    private static final String MEMBERS = "members";
    private static final String MAX_LIFETIME = "max-lifetime";

    /**
     * @throws IllegalArgumentException if a value is out of range.
     */
    public NodeSpec {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("a node needs a cluster name");
        }
        NodeArguments.checkPort(hazelcastPort);
        memberPorts = List.copyOf(memberPorts);
        memberPorts.forEach(NodeArguments::checkPort);
        if (!memberPorts.contains(hazelcastPort)) {
            throw new IllegalArgumentException("the member ports " + memberPorts + " omit the node's own port "
                + hazelcastPort);
        }
        if (maxLifetimeSeconds < 1) {
            throw new IllegalArgumentException("max lifetime must be at least 1 s, not " + maxLifetimeSeconds);
        }
    }

    /** @return the node's command-line arguments, which {@link #fromArgs(String[])} reads back. */
    public List<String> toArgs() {
        return List.of(NodeArguments.arg(ROLE, role.argument()), NodeArguments.arg(CLUSTER, clusterName),
            NodeArguments.arg(PORT, hazelcastPort), NodeArguments.portsArg(MEMBERS, memberPorts),
            NodeArguments.arg(MAX_LIFETIME, maxLifetimeSeconds));
    }

    /**
     * @param args the node's command-line arguments, as {@link #toArgs()} writes them.
     * @return the spec.
     * @throws IllegalArgumentException if an argument is unknown, missing or malformed.
     */
    public static NodeSpec fromArgs(String[] args) {
        NodeArguments arguments = NodeArguments.parse(args);
        NodeSpec spec = new NodeSpec(NodeRole.fromArgument(arguments.string(ROLE)), arguments.string(CLUSTER),
            arguments.integer(PORT), arguments.ports(MEMBERS), arguments.integer(MAX_LIFETIME));
        arguments.rejectUnknown(List.of(ROLE, CLUSTER, PORT, MEMBERS, MAX_LIFETIME));
        return spec;
    }
}
