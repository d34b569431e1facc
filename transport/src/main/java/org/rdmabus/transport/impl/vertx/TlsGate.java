package org.rdmabus.transport.impl.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.NodeInfo;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * For an event bus with TLS that opted in to the channel: before a destination takes the channel, a TLS handshake
 * with its event-bus server, made exactly as Vert.x's event-bus client would make it, must succeed. If it fails,
 * the destination stays on TCP, so every send that Vert.x would fail for a TLS misconfiguration still fails.
 *
 * <p>Its client closes as soon as the Vert.x instance starts closing, like the application's own clients: a
 * destination first used after that stays on TCP.
 */
final class TlsGate {

    private static final System.Logger LOG = System.getLogger(TlsGate.class.getName());

    private final NetClient client;

    TlsGate(Vertx vertx, EventBusOptions eventBusOptions) {
        // The options Vert.x's clustered event bus derives for its own client.
        NetClient created = vertx.createNetClient(new NetClientOptions(eventBusOptions.toJson()).setHostnameVerificationAlgorithm(""));
        client = created;
        ((VertxInternal) vertx).addCloseHook(completion -> created.close().onComplete(completion));
    }

    /**
     * Checks that a TLS connection to a peer's event-bus server can be made.
     *
     * @param nodeId the peer, for the log
     * @param info   the peer's node info
     * @param done   receives whether the handshake succeeded
     */
    void verify(String nodeId, NodeInfo info, Consumer<Boolean> done) {
        client.connect(info.port(), info.host()).onComplete(connected -> {
            if (connected.succeeded()) {
                connected.result().close();
                done.accept(true);
            } else {
                LOG.log(Level.WARNING, "rdmabus: TLS to the event bus of node {0} fails ({1}); its traffic stays on TCP", nodeId, connected.cause().toString());
                done.accept(false);
            }
        });
    }
}
