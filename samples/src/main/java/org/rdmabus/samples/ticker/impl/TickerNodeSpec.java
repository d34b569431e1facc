package org.rdmabus.samples.ticker.impl;

import java.util.List;
import org.rdmabus.samples.impl.node.NodeArguments;

/**
 * How the launcher starts one ticker node JVM.
 *
 * @param role               what the node does.
 * @param name               how the launcher names it, e.g. {@code fast-2}.
 * @param clusterName        the run's cluster name.
 * @param hazelcastPort      this node's Hazelcast port on 127.0.0.1.
 * @param memberPorts        the Hazelcast ports of every node, this one's included.
 * @param buffer             a subscriber's consumer buffer (maxBufferedMessages); 0 for the publisher.
 * @param slowWorkMicros     how long the slow subscriber works on each tick, in microseconds; 0 for the others.
 * @param maxLifetimeSeconds how long the node may live at most, 0 for no limit.
 */
public record TickerNodeSpec(TickerRole role, String name, String clusterName, int hazelcastPort,
                             List<Integer> memberPorts, int buffer, long slowWorkMicros, int maxLifetimeSeconds) {

    private static final String ROLE = "role";
    private static final String NAME = "name";
    private static final String CLUSTER = "cluster";
    private static final String PORT = "port";
    private static final String MEMBERS = "members";
    private static final String BUFFER = "buffer";
    private static final String SLOW_WORK = "slow-work-micros";
    private static final String MAX_LIFETIME = "max-lifetime";

    /**
     * @throws IllegalArgumentException if a value is out of range or does not fit the role.
     */
    public TickerNodeSpec {
        if (name == null || name.isBlank() || clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("a node needs a name and a cluster name");
        }
        NodeArguments.checkPort(hazelcastPort);
        memberPorts = List.copyOf(memberPorts);
        memberPorts.forEach(NodeArguments::checkPort);
        if (!memberPorts.contains(hazelcastPort)) {
            throw new IllegalArgumentException("the member ports " + memberPorts + " omit the node's own port "
                + hazelcastPort);
        }
        if (role.subscribes() != (buffer > 0)) {
            throw new IllegalArgumentException("a subscriber needs a positive buffer and the publisher none, not "
                + buffer + " for a " + role.argument());
        }
        if ((role == TickerRole.SLOW) != (slowWorkMicros > 0)) {
            throw new IllegalArgumentException("only the slow subscriber works on its ticks, not " + slowWorkMicros
                + " us for a " + role.argument());
        }
        if (maxLifetimeSeconds < 0) {
            throw new IllegalArgumentException("max lifetime cannot be negative: " + maxLifetimeSeconds);
        }
    }

    /** @return the node's command-line arguments, which {@link #fromArgs(String[])} reads back. */
    public List<String> toArgs() {
        return List.of(NodeArguments.arg(ROLE, role.argument()), NodeArguments.arg(NAME, name),
            NodeArguments.arg(CLUSTER, clusterName), NodeArguments.arg(PORT, hazelcastPort),
            NodeArguments.portsArg(MEMBERS, memberPorts), NodeArguments.arg(BUFFER, buffer),
            NodeArguments.arg(SLOW_WORK, slowWorkMicros), NodeArguments.arg(MAX_LIFETIME, maxLifetimeSeconds));
    }

    /**
     * @param args the node's command-line arguments, as {@link #toArgs()} writes them.
     * @return the spec.
     * @throws IllegalArgumentException if an argument is unknown, missing or malformed.
     */
    public static TickerNodeSpec fromArgs(String[] args) {
        NodeArguments arguments = NodeArguments.parse(args);
        arguments.rejectUnknown(List.of(ROLE, NAME, CLUSTER, PORT, MEMBERS, BUFFER, SLOW_WORK, MAX_LIFETIME));
        return new TickerNodeSpec(TickerRole.fromArgument(arguments.string(ROLE)), arguments.string(NAME),
            arguments.string(CLUSTER), arguments.integer(PORT), arguments.ports(MEMBERS), arguments.integer(BUFFER),
            arguments.integer(SLOW_WORK), arguments.integer(MAX_LIFETIME));
    }
}
