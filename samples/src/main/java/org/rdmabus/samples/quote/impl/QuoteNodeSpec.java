package org.rdmabus.samples.quote.impl;

import java.util.ArrayList;
import java.util.List;
import org.rdmabus.samples.impl.node.NodeArguments;

/**
 * How the launcher starts one quote-service node JVM: its role, its cluster, its Hazelcast ports on loopback, and
 * for the gateway its HTTP port.
 *
 * @param role               which service the node runs.
 * @param clusterName        the Hazelcast cluster name, unique per run so that runs never merge.
 * @param hazelcastPort      the port this node's Hazelcast member binds on 127.0.0.1.
 * @param memberPorts        the Hazelcast ports of the three nodes, this one included.
 * @param httpPort           the gateway's HTTP port on 127.0.0.1, 0 for a free one; ignored by the other roles,
 *                           which get 0.
 * @param maxLifetimeSeconds how long the node may live at most, 0 for no limit: a watchdog ends it after that,
 *                           whatever happens. Without a limit the node still leaves when its stdin closes.
 */
public record QuoteNodeSpec(QuoteRole role, String clusterName, int hazelcastPort, List<Integer> memberPorts,
                            int httpPort, int maxLifetimeSeconds) {

    private static final String ROLE = "role";
    private static final String CLUSTER = "cluster";
    private static final String PORT = "port";
    private static final String MEMBERS = "members";
    private static final String HTTP_PORT = "http-port";
    private static final String MAX_LIFETIME = "max-lifetime";

    /**
     * @throws IllegalArgumentException if a value is out of range.
     */
    public QuoteNodeSpec {
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
        if (role != QuoteRole.GATEWAY && httpPort != 0) {
            throw new IllegalArgumentException("only the gateway has an HTTP port, not the " + role.argument());
        }
        if (httpPort != 0) {
            NodeArguments.checkPort(httpPort);
        }
        if (maxLifetimeSeconds < 0) {
            throw new IllegalArgumentException("max lifetime cannot be negative: " + maxLifetimeSeconds);
        }
    }

    /** @return the node's command-line arguments, which {@link #fromArgs(String[])} reads back. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(NodeArguments.arg(ROLE, role.argument()),
            NodeArguments.arg(CLUSTER, clusterName), NodeArguments.arg(PORT, hazelcastPort),
            NodeArguments.portsArg(MEMBERS, memberPorts), NodeArguments.arg(MAX_LIFETIME, maxLifetimeSeconds)));
        if (role == QuoteRole.GATEWAY) {
            args.add(NodeArguments.arg(HTTP_PORT, httpPort));
        }
        return args;
    }

    /**
     * @param args the node's command-line arguments, as {@link #toArgs()} writes them.
     * @return the spec.
     * @throws IllegalArgumentException if an argument is unknown, missing or malformed.
     */
    public static QuoteNodeSpec fromArgs(String[] args) {
        NodeArguments arguments = NodeArguments.parse(args);
        QuoteRole role = QuoteRole.fromArgument(arguments.string(ROLE));
        List<String> known = new ArrayList<>(List.of(ROLE, CLUSTER, PORT, MEMBERS, MAX_LIFETIME));
        if (role == QuoteRole.GATEWAY) {
            known.add(HTTP_PORT);
        }
        arguments.rejectUnknown(known);
        return new QuoteNodeSpec(role, arguments.string(CLUSTER), arguments.integer(PORT), arguments.ports(MEMBERS),
            role == QuoteRole.GATEWAY ? arguments.integer(HTTP_PORT) : 0, arguments.integer(MAX_LIFETIME));
    }
}
