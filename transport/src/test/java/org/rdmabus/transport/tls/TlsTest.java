package org.rdmabus.transport.tls;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.TestCluster;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event bus with TLS: rdmabus stays off unless the application opts in, and when it does, a send that Vert.x
 * would fail because of a TLS misconfiguration still fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("removal")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsTest {

    private SelfSignedCertificate presented;
    private SelfSignedCertificate unrelated;

    @BeforeAll
    void certificates() {
        presented = SelfSignedCertificate.create("localhost");
        unrelated = SelfSignedCertificate.create("localhost");
    }

    @AfterAll
    void deleteCertificates() {
        presented.delete();
        unrelated.delete();
    }

    /**
     * Every node presents the same certificate; a node either trusts it or trusts an unrelated one (the event bus
     * trusts every certificate unless told otherwise).
     */
    private Consumer<EventBusOptions> tls(boolean trustsPeers) {
        return bus -> bus.setSsl(true)
            .setTrustAll(false)
            .setKeyCertOptions(presented.keyCertOptions())
            .setTrustOptions((trustsPeers ? presented : unrelated).trustOptions());
    }

    @Test
    void aTlsEventBusStaysOnTcpUnlessItOptsIn() {
        try (LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("tls-default")) {
            cluster.addNode(TestCluster.rdmabusOn(), tls(true));
            cluster.addNode(TestCluster.rdmabusOn(), tls(true));
            List<String> info = log.messages(Level.INFO);
            assertEquals(2, info.size(), info.toString());
            for (String line : info) {
                assertTrue(line.startsWith("rdmabus: staying on TCP: the event bus uses TLS and the channel does not encrypt"), line);
            }
            String address = "echo-" + UUID.randomUUID();
            Await.result(cluster.node(1).eventBus().consumer(address, message -> message.reply("echo:" + message.body())).completion());
            assertEquals("echo:tls", Await.result(cluster.node(0).eventBus().request(address, "tls")).body());
            assertNull(cluster.channel(0));
            assertFalse(RdmaEventBus.status(cluster.node(0)).isActive());
            assertEquals(1, cluster.tcpConnections(0));
        }
    }

    @Test
    void anOptedInTlsEventBusTakesTheChannelButKeepsTlsFailures() {
        RdmaEventBusOptions optIn = TestCluster.rdmabusOn().setAllowWithTls(true);
        try (TestCluster cluster = TestCluster.empty("tls-opt-in")) {
            cluster.addNode(optIn, tls(true));
            cluster.addNode(optIn, tls(true));
            cluster.addNode(optIn, tls(false));
            cluster.addNode(TestCluster.rdmabusOff(), tls(false));
            assertTrue(RdmaEventBus.status(cluster.node(0)).getDescription().contains("the TLS event bus opted in"));

            String address = "echo-" + UUID.randomUUID();
            AtomicInteger delivered = new AtomicInteger();
            Await.result(cluster.node(0).eventBus().consumer(address, message -> {
                delivered.incrementAndGet();
                message.reply("echo:" + message.body());
            }).completion());

            assertEquals("echo:trusted", Await.result(cluster.node(1).eventBus().request(address, "trusted")).body());
            assertEquals(1, cluster.channel(1).sentTo(cluster.nodeId(0)));
            assertEquals(1, cluster.channel(0).sentTo(cluster.nodeId(1)));
            assertEquals(0, cluster.tcpConnections(1));
            assertEquals(1, delivered.get());

            // Node 2 (rdmabus, opted in) and node 3 (no rdmabus) cannot verify node 0's certificate: both writes fail.
            Future<Void> withRdmabus = cluster.node(2).eventBus().sender(address).write("untrusted");
            Future<Void> withoutRdmabus = cluster.node(3).eventBus().sender(address).write("untrusted");
            Throwable rdmabusFailure = Await.failure(withRdmabus);
            Throwable vertxFailure = Await.failure(withoutRdmabus);
            assertEquals(vertxFailure.getClass(), rdmabusFailure.getClass(), rdmabusFailure + " vs " + vertxFailure);
            assertEquals(0, cluster.channel(2).sentTo(cluster.nodeId(0)));
            assertEquals(1, delivered.get());
        }
    }
}
