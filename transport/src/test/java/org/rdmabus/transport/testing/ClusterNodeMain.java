package org.rdmabus.transport.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.rdmabus.transport.RdmaEventBus;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * One cluster node in a JVM of its own, for tests that need separate processes ({@link ChildJvmNode} starts it).
 * It joins the test cluster, answers requests on an echo address, sends one request to an address of the parent,
 * reports on stdout, and leaves when its stdin closes.
 *
 * <p>Arguments: cluster name, the echo address to serve, the parent's address to call, and {@code on} or
 * {@code off} for rdmabus. Protocol lines on stdout: {@code READY <node id>}, then {@code REPLY <body>} or
 * {@code FAILED <cause>}.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {
    }

    /**
     * Runs the node until stdin closes.
     *
     * @param args cluster name, echo address, parent address, {@code on} or {@code off}
     * @throws IOException when stdin fails
     */
    public static void main(String[] args) throws IOException {
        String clusterName = args[0];
        String echoAddress = args[1];
        String parentAddress = args[2];
        RdmaEventBus.configure("on".equals(args[3]) ? TestCluster.rdmabusOn() : TestCluster.rdmabusOff());
        Vertx vertx = Await.result(Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
            .withClusterManager(new HazelcastClusterManager(HazelcastTestConfig.create(clusterName)))
            .buildClustered(), Duration.ofSeconds(60));
        Await.result(vertx.eventBus().consumer(echoAddress, message -> message.reply("child:" + message.body())).completion());
        System.out.println("READY " + ((VertxInternal) vertx).clusterManager().getNodeId());
        vertx.eventBus().request(parentAddress, "from-child").map(Message::body).onComplete(reply -> {
            System.out.println(reply.succeeded() ? "REPLY " + reply.result() : "FAILED " + reply.cause());
        });
        InputStream stdin = System.in;
        while (stdin.read() != -1) {
            // Runs until the parent closes our stdin (or dies).
        }
        Await.result(vertx.close(), Duration.ofSeconds(30));
        System.exit(0);
    }
}
