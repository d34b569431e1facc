package org.rdmabus.samples.impl.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;

/**
 * The common start and end of every sample's node JVM: standard output becomes the line protocol to the launcher
 * (whatever a library prints goes to standard error instead), commands arrive on standard input, any failure is
 * reported as an event, and the exit status says whether the node ended cleanly.
 */
public final class NodeMain {

    /** What one kind of node does between start and exit. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param events   the protocol to the launcher.
         * @param commands the launcher's commands, one per line.
         * @throws Exception reported to the launcher; the node then exits with status 1.
         */
        void run(NodeEvents events, BufferedReader commands) throws Exception;
    }

    private NodeMain() {
    }

    /**
     * Runs a node and exits the JVM: status 0 when the body returned, 1 when it threw.
     *
     * @param body the node.
     */
    public static void run(Body body) {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        NodeEvents events = new NodeEvents(protocol);
        int status;
        try {
            body.run(events, new BufferedReader(new InputStreamReader(System.in, UTF_8)));
            status = 0;
        } catch (Throwable failure) {
            events.error(failure);
            status = 1;
        }
        System.exit(status);
    }
}
