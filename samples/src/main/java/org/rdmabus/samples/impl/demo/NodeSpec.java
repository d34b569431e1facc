package org.rdmabus.samples.impl.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        checkPort(hazelcastPort);
        memberPorts = List.copyOf(memberPorts);
        memberPorts.forEach(NodeSpec::checkPort);
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
        List<String> args = new ArrayList<>();
        args.add("--" + ROLE + "=" + role.argument());
        args.add("--" + CLUSTER + "=" + clusterName);
        args.add("--" + PORT + "=" + hazelcastPort);
        args.add("--" + MEMBERS + "=" + String.join(",", memberPorts.stream().map(String::valueOf).toList()));
        args.add("--" + MAX_LIFETIME + "=" + maxLifetimeSeconds);
        return args;
    }

    /**
     * @param args the node's command-line arguments, as {@link #toArgs()} writes them.
     * @return the spec.
     * @throws IllegalArgumentException if an argument is unknown, missing or malformed.
     */
    public static NodeSpec fromArgs(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            values.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        NodeSpec spec = new NodeSpec(NodeRole.fromArgument(required(values, ROLE)), required(values, CLUSTER),
            parseInt(values, PORT), parsePorts(required(values, MEMBERS)), parseInt(values, MAX_LIFETIME));
        values.keySet().removeAll(List.of(ROLE, CLUSTER, PORT, MEMBERS, MAX_LIFETIME));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown node arguments: " + values.keySet());
        }
        return spec;
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing node argument --" + name);
        }
        return value;
    }

    private static int parseInt(Map<String, String> values, String name) {
        String value = required(values, name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, not '" + value + "'", e);
        }
    }

    private static List<Integer> parsePorts(String list) {
        List<Integer> ports = new ArrayList<>();
        for (String port : list.split(",")) {
            try {
                ports.add(Integer.parseInt(port.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + MEMBERS + " must list ports, not '" + list + "'", e);
            }
        }
        return ports;
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
    }
}
