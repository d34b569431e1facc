package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.NodeInfo;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Whether a node whose channel failed still listens on its event-bus TCP port: one TCP connection attempt to the
 * host and port the node published, closed as soon as it opens.
 *
 * <h2>Why</h2>
 * The channel reports a peer failed when the fabric gives up on it: its process died, or (on a real NIC) its link
 * broke. Its traffic then takes TCP. If the process is dead, Vert.x's connection attempt is refused and the write
 * fails, but a request waits out its timeout, because Vert.x fails a request early only for a {@code ReplyException}.
 * This check tells the two cases apart, so that the hook can fail such requests at once with the cause
 * ({@link PendingRequests#unreachableOverTcp}) and leave TCP to carry those to a node that lives.
 *
 * <p>A stopped (frozen) process's port still accepts connections, which the kernel completes: such a node counts as
 * reachable, and requests to it over TCP end at their own timeout.
 */
final class TcpReachability {

    /** A port that does not accept within this is taken for dead: Vert.x's own connection would hang as long. */
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

    /** What a check found. */
    @FunctionalInterface
    interface Verdict {

        /**
         * @param reachable whether the port accepted a connection
         * @param detail    the address tried and, when it failed, why
         */
        void found(boolean reachable, String detail);
    }

    private final BiConsumer<String, Consumer<NodeInfo>> nodeInfo;
    private final NetClient client;

    /**
     * @param vertx    the node's Vert.x, whose event loops run the attempts
     * @param nodeInfo where a node's published event-bus address is found ({@link PeerDirectory#learn}, which has it
     *                 at hand for a node this one has talked to, so a check costs no cluster look-up); gives
     *                 {@code null} for a node the cluster no longer lists
     */
    TcpReachability(Vertx vertx, BiConsumer<String, Consumer<NodeInfo>> nodeInfo) {
        this.nodeInfo = nodeInfo;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
    }

    /**
     * Tries the node's event-bus port once; never blocks.
     *
     * @param nodeId  the node
     * @param verdict told once, on an event loop
     */
    void check(String nodeId, Verdict verdict) {
        nodeInfo.accept(nodeId, info -> {
            if (info == null) {
                verdict.found(false, "the cluster no longer lists it");
                return;
            }
            String address = info.host() + ":" + info.port();
            client.connect(info.port(), info.host()).onComplete(connected -> {
                if (connected.succeeded()) {
                    connected.result().close();
                    verdict.found(true, address + " accepted a connection");
                } else {
                    verdict.found(false, address + ": " + connected.cause().getMessage());
                }
            });
        });
    }

    /** Closes the client; checks under way end with a failure. */
    void close() {
        client.close();
    }
}
