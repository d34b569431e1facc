package org.rdmabus.samples.impl.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Starts node JVMs: the current {@code java}, the class path the demo runs from, {@link DemoNode} as main class.
 */
final class NodeLauncher {

    private static final List<String> JVM_OPTIONS = List.of(
        "-Xms64m", "-Xmx256m",
        // One collector thread: the machine's cores are for the event loops.
        "-XX:+UseSerialGC",
        "-Djava.net.preferIPv4Stack=true",
        "-Dhazelcast.logging.type=none",
        // What Hazelcast asks for on Java 17 to use its fast paths (and otherwise warns about).
        "--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        // What Agrona 2.x, under the rdmabus transport, needs to reach its Unsafe.
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final String java;
    private final String classPath;
    private final Map<String, String> forwardedProperties;

    /**
     * @param java                the {@code java} executable.
     * @param classPath           the class path holding {@link DemoNode} and its dependencies.
     * @param forwardedProperties system properties every node gets, e.g. the user's {@code rdmabus.*} settings.
     */
    NodeLauncher(String java, String classPath, Map<String, String> forwardedProperties) {
        this.java = java;
        this.classPath = classPath;
        this.forwardedProperties = new TreeMap<>(forwardedProperties);
        this.forwardedProperties.remove(PathReport.ENABLED_PROPERTY);
    }

    /**
     * @return a launcher for this JVM's {@code java} and class path (absolute, so nodes do not depend on the working
     *     directory), forwarding this JVM's {@code rdmabus.*} properties except {@code rdmabus.enabled}.
     */
    static NodeLauncher ofCurrentJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator,
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .toList());
        Map<String, String> forwarded = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("rdmabus."))
            .forEach(name -> forwarded.put(name, System.getProperty(name)));
        return new NodeLauncher(java, classPath, forwarded);
    }

    /**
     * @param spec      the node.
     * @param transport the phase it belongs to, which sets {@code rdmabus.enabled}.
     * @return the node's command line.
     */
    List<String> command(NodeSpec spec, Transport transport) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_OPTIONS);
        forwardedProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-D" + PathReport.ENABLED_PROPERTY + "=" + transport.rdmabusEnabled());
        command.add("-cp");
        command.add(classPath);
        command.add(DemoNode.class.getName());
        command.addAll(spec.toArgs());
        return command;
    }

    /**
     * @param name      how the demo names the node.
     * @param spec      the node.
     * @param transport the phase it belongs to.
     * @param guard     what stops it when the demo ends.
     * @return the started node.
     * @throws DemoException if the JVM cannot be started.
     */
    NodeProcess start(String name, NodeSpec spec, Transport transport, ChildProcessGuard guard) {
        try {
            return NodeProcess.attach(name, guard.start(new ProcessBuilder(command(spec, transport))));
        } catch (IOException e) {
            throw new DemoException("cannot start the node JVM '" + name + "': " + e.getMessage(), e);
        }
    }
}
