package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Context;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.NodeListener;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells the hook which nodes joined and left the cluster, by comparing the cluster manager's member list with the one
 * it saw last. A cluster manager has a single node-listener slot, which belongs to Vert.x's HA manager (it takes it
 * when HA is enabled) or to the application; rdmabus leaves it alone.
 *
 * <p>The list is compared every {@value #PERIOD_MILLIS} ms, and at once when the cluster manager reports lost
 * registrations, which cluster managers do when a member leaves ({@link #membershipMayHaveChanged()}). Comparisons
 * run one at a time, on one event-loop context; listing the members reads the cluster manager's local view.
 */
final class MembershipWatch {

    private static final System.Logger LOG = System.getLogger(MembershipWatch.class.getName());
    /** How long a change can go unnoticed when the cluster manager reports no lost registrations. */
    static final long PERIOD_MILLIS = 100;

    private final ClusteredNode cluster;
    private final String localNodeId;
    private final Context context;
    private final NodeListener listener;
    private final Set<String> known = new HashSet<>();
    private volatile long timer = -1;
    private volatile boolean stopped;

    /**
     * @param cluster     the cluster manager, as Vert.x's node selector sees it
     * @param localNodeId this node, never reported
     * @param context     where comparisons and the listener run
     * @param listener    told of each node that joined or left since the last comparison
     */
    MembershipWatch(ClusteredNode cluster, String localNodeId, Context context, NodeListener listener) {
        this.cluster = cluster;
        this.localNodeId = localNodeId;
        this.context = context;
        this.listener = listener;
    }

    /** Reports the current members as joined, on the calling thread, then keeps comparing. */
    void start() {
        compare();
        context.runOnContext(v -> {
            if (!stopped) {
                timer = context.owner().setPeriodic(PERIOD_MILLIS, id -> compare());
            }
        });
    }

    /** The cluster manager hinted at a change (a member's registrations were lost): compare now. */
    void membershipMayHaveChanged() {
        if (!stopped) {
            context.runOnContext(v -> compare());
        }
    }

    /** Stops comparing; no listener call starts after this returns. */
    void stop() {
        stopped = true;
        long id = timer;
        if (id != -1) {
            context.owner().cancelTimer(id);
        }
    }

    private synchronized void compare() {
        if (stopped) {
            return;
        }
        List<String> members;
        try {
            members = cluster.getNodes();
        } catch (RuntimeException e) {
            // The cluster manager has left (Vert.x is closing) or cannot list its members now: nothing to learn.
            LOG.log(Level.DEBUG, "rdmabus: could not list the cluster members", e);
            return;
        }
        Set<String> current = new HashSet<>(members);
        current.remove(localNodeId);
        for (String nodeId : current) {
            if (known.add(nodeId)) {
                tell(nodeId, true);
            }
        }
        for (String nodeId : Set.copyOf(known)) {
            if (!current.contains(nodeId)) {
                known.remove(nodeId);
                tell(nodeId, false);
            }
        }
    }

    private void tell(String nodeId, boolean joined) {
        try {
            if (joined) {
                listener.nodeAdded(nodeId);
            } else {
                listener.nodeLeft(nodeId);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rdmabus: could not handle the " + (joined ? "arrival" : "departure") + " of node " + nodeId, e);
        }
    }
}
