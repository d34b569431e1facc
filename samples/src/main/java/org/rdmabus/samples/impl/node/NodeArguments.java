package org.rdmabus.samples.impl.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node JVM's command-line arguments, all of the form {@code --name=value}: what a launcher writes with
 * {@link #arg(String, Object)} and the node reads back with typed, checked getters.
 */
public final class NodeArguments {

    private final Map<String, String> values;

    private NodeArguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param args the node's arguments.
     * @return them, by name.
     * @throws IllegalArgumentException if one is not of the form {@code --name=value}.
     */
    public static NodeArguments parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            values.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return new NodeArguments(values);
    }

    /**
     * @param name  the argument's name.
     * @param value its value.
     * @return {@code --name=value}.
     */
    public static String arg(String name, Object value) {
        return "--" + name + "=" + value;
    }

    /**
     * @param name  the argument's name.
     * @param ports TCP ports.
     * @return {@code --name=p1,p2,...}, which {@link #ports(String)} reads back.
     */
    public static String portsArg(String name, List<Integer> ports) {
        return arg(name, String.join(",", ports.stream().map(String::valueOf).toList()));
    }

    /**
     * @param name the argument's name.
     * @return its value.
     * @throws IllegalArgumentException if it is missing.
     */
    public String string(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing node argument --" + name);
        }
        return value;
    }

    /**
     * @param name the argument's name.
     * @return its value.
     * @throws IllegalArgumentException if it is missing or not an integer.
     */
    public int integer(String name) {
        String value = string(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, not '" + value + "'", e);
        }
    }

    /**
     * @param name the argument's name.
     * @return the ports it lists, comma-separated.
     * @throws IllegalArgumentException if it is missing or lists something else.
     */
    public List<Integer> ports(String name) {
        String list = string(name);
        List<Integer> ports = new ArrayList<>();
        for (String port : list.split(",")) {
            try {
                ports.add(Integer.parseInt(port.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must list ports, not '" + list + "'", e);
            }
        }
        return ports;
    }

    /**
     * @param known every argument name the node takes.
     * @throws IllegalArgumentException if there are others, naming them.
     */
    public void rejectUnknown(Collection<String> known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown node arguments: " + unknown);
        }
    }

    /**
     * @param port a number meant as a TCP port.
     * @throws IllegalArgumentException if it is not one.
     */
    public static void checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
    }
}
