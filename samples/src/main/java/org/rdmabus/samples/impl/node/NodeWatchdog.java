package org.rdmabus.samples.impl.node;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a node JVM that lives longer than its limit, whatever it is doing: the last line of defence against a node
 * that neither its launcher nor the end of its stdin could stop.
 */
public final class NodeWatchdog {

    /** The exit code of a node the watchdog ended. */
    public static final int EXIT_CODE = 3;

    private NodeWatchdog() {
    }

    /**
     * Starts the watchdog on a daemon thread, unless the node has no limit.
     *
     * @param maxLifetimeSeconds how long the node may live; 0 or less for no limit.
     * @param events             where the node reports why it ends.
     */
    public static void start(int maxLifetimeSeconds, NodeEvents events) {
        if (maxLifetimeSeconds <= 0) {
            return;
        }
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxLifetimeSeconds));
            } catch (InterruptedException e) {
                return;
            }
            events.error(new TimeoutException("the node lived longer than its limit of " + maxLifetimeSeconds
                + " s and ends itself"));
            System.exit(EXIT_CODE);
        }, "rdmabus-node-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
