package org.rdmabus.samples.impl.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that builds the command line of a node JVM a sample starts: this JVM's {@code java} and class path,
 * the flags Hazelcast asks for, and the user's {@code rdmabus.*} settings. The rdmabus transport itself needs no JVM
 * flag.
 */
public final class ChildJvm {

    private static final List<String> JVM_OPTIONS = List.of(
        "-Xms64m", "-Xmx256m",
        // One collector thread: the machine's cores are for the event loops.
        "-XX:+UseSerialGC",
        "-Djava.net.preferIPv4Stack=true",
        "-Dhazelcast.logging.type=none",
        // What Hazelcast asks for on Java 17 to use its fast paths (and otherwise warns about).
        "--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final String java;
    private final String classPath;
    private final Map<String, String> forwardedProperties;

    /**
     * @param java                the {@code java} executable.
     * @param classPath           the class path holding the node's main class and its dependencies.
     * @param forwardedProperties system properties every node gets, e.g. the user's {@code rdmabus.*} settings.
     */
    public ChildJvm(String java, String classPath, Map<String, String> forwardedProperties) {
        this.java = java;
        this.classPath = classPath;
        this.forwardedProperties = new TreeMap<>(forwardedProperties);
    }

    /**
     * @return a launcher for this JVM's {@code java} and class path (absolute, so nodes do not depend on the working
     *     directory), forwarding this JVM's {@code rdmabus.*} properties.
     */
    public static ChildJvm ofCurrentJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator,
            Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .toList());
        Map<String, String> forwarded = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("rdmabus."))
            .forEach(name -> forwarded.put(name, System.getProperty(name)));
        return new ChildJvm(java, classPath, forwarded);
    }

    /**
     * @param mainClass  the node's main class.
     * @param properties system properties for this node; they override forwarded ones of the same name.
     * @param args       the node's arguments.
     * @return the node's command line.
     */
    public List<String> command(Class<?> mainClass, Map<String, String> properties, List<String> args) {
        Map<String, String> all = new TreeMap<>(forwardedProperties);
        all.putAll(properties);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(JVM_OPTIONS);
        all.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /**
     * Starts a node JVM under the guard, which stops it when the sample ends.
     *
     * @param name       how the launcher names the node.
     * @param guard      what stops it when the sample ends.
     * @param mainClass  the node's main class.
     * @param properties system properties for this node, see {@link #command}.
     * @param args       the node's arguments.
     * @return the started node.
     * @throws SampleException if the JVM cannot be started, or the sample is stopping.
     */
    public NodeProcess start(String name, ChildProcessGuard guard, Class<?> mainClass, Map<String, String> properties,
                             List<String> args) {
        try {
            return NodeProcess.attach(name, guard.start(new ProcessBuilder(command(mainClass, properties, args))));
        } catch (IOException e) {
            throw new SampleException("cannot start the node JVM '" + name + "': " + e.getMessage(), e);
        }
    }
}
