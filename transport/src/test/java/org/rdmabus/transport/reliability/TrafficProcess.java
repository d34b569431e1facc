package org.rdmabus.transport.reliability;

import io.vertx.core.json.JsonObject;
import org.rdmabus.transport.testing.ChildJvmProcess;
import org.rdmabus.transport.testing.SoftFabricDirectory;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A {@link TrafficNodeMain} in a child JVM ({@link ChildJvmProcess}: this JVM's class path, the JVM flags rdmabus
 * needs, a bounded heap and direct memory, and the test's soft-fabric directory). {@link #close()} ends it (forcibly
 * if it does not leave in time), so a failing test never leaves it behind; {@link #kill()} is {@code kill -9}.
 */
final class TrafficProcess implements AutoCloseable {

    private static final Set<String> PROTOCOL = Set.of("READY", "STARTED", "DONE", "PROBED", "EXPLAINED", "STATS", "LEFT", "UNKNOWN");

    private final ChildJvmProcess process;
    private volatile String nodeId;

    private TrafficProcess(ChildJvmProcess process) {
        this.process = process;
    }

    /**
     * Starts a child node; {@link #awaitReady} waits for it to join.
     *
     * @param clusterName     the Hazelcast cluster to join
     * @param name            the node's name
     * @param echoDelayMillis how long its echo waits before answering
     * @param directory       the soft fabric's directory
     * @param extraJvmOptions more JVM options, e.g. system properties
     * @return the running child
     */
    static TrafficProcess start(String clusterName, String name, long echoDelayMillis, SoftFabricDirectory directory, String... extraJvmOptions) {
        return new TrafficProcess(ChildJvmProcess.start(name, TrafficNodeMain.class, List.of(clusterName, name, Long.toString(echoDelayMillis)),
            PROTOCOL, directory, extraJvmOptions));
    }

    /** @return the node's name */
    String name() {
        return process.name();
    }

    /** @return the child's process id */
    long pid() {
        return process.pid();
    }

    /** @return the node's cluster id, once {@link #awaitReady} returned */
    String nodeId() {
        return nodeId;
    }

    /** @return whether the process still runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the node has joined the cluster and serves.
     *
     * @param timeout how long to wait
     * @return this
     */
    TrafficProcess awaitReady(Duration timeout) {
        String ready = await("READY", timeout);
        nodeId = ready.split(" ")[1];
        return this;
    }

    /**
     * Sends one command.
     *
     * @param line the command
     */
    void send(String line) {
        process.send(line);
    }

    /**
     * Sends a command and waits for its answer.
     *
     * @param line    the command
     * @param answer  the first word of the answer
     * @param timeout how long to wait
     * @return the answer after its first word
     */
    String ask(String line, String answer, Duration timeout) {
        return process.ask(line, answer, timeout);
    }

    /**
     * Sends a command whose answer is JSON and parses it.
     *
     * @param line    the command
     * @param answer  the first word of the answer
     * @param timeout how long to wait
     * @return the answer
     */
    JsonObject askJson(String line, String answer, Duration timeout) {
        return process.askJson(line, answer, timeout);
    }

    /**
     * Waits for the next protocol line that starts with a word; earlier lines of other kinds are dropped.
     *
     * @param word    the first word
     * @param timeout how long to wait
     * @return the whole line
     */
    String await(String word, Duration timeout) {
        return process.await(word, timeout);
    }

    /** {@code kill -9}: the process gets no chance to clean up. */
    void kill() {
        process.kill();
    }

    /** Asks the node to leave and exit (closes its stdin); kills it after 20 seconds. */
    @Override
    public void close() {
        process.close();
    }
}
