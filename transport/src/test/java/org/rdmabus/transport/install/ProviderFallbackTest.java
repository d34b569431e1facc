package org.rdmabus.transport.install;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.RdmaEventBusStatus;
import org.rdmabus.transport.impl.NodeChannelFactory;
import org.rdmabus.transport.impl.loopback.LoopbackNodeChannelFactory;
import org.rdmabus.transport.impl.poller.CompletionPoller;
import org.rdmabus.transport.install.FailingChannelFactories.FailsToCreate;
import org.rdmabus.transport.install.FailingChannelFactories.FailsToStart;
import org.rdmabus.transport.install.FailingChannelFactories.StartFailingChannel;
import org.rdmabus.transport.install.FailingChannelFactories.Unusable;
import org.rdmabus.transport.install.FailingChannelFactories.WorkingLoopback;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.TestCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider choice never strands a node: under {@code provider=auto} a provider whose probe passes but whose channel
 * cannot be created or started is closed and passed over for the next one, and only when none is left does the node
 * stay on TCP; an explicit provider is tried alone. The start-up line and {@link RdmaEventBus#status} say why each
 * better provider was passed over.
 *
 * <p>The failing providers ({@link FailingChannelFactories}) are the only ones service-loadable while a node is built,
 * with the loopback channel as the working fallback. The channel that fails to start holds a real soft-fabric pool,
 * so a channel the hook forgot to close shows as files left in this test's shared-memory directory and poller threads
 * left running.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProviderFallbackTest {

    private static final String NOT_STARTED = "its channel could not start: java.lang.IllegalStateException: "
        + FailingChannelFactories.START_FAILURE;
    private static final String NOT_CREATED = "its channel could not be created: java.lang.IllegalStateException: "
        + FailingChannelFactories.CREATE_FAILURE;
    private static final Duration THREADS_END = Duration.ofSeconds(10);

    @TempDir
    Path serviceFiles;

    @BeforeEach
    void forgetChannels() {
        FailingChannelFactories.forget();
    }

    @Test
    void autoTakesTheNextProviderWhenBetterOnesFailToProbeStartOrBeCreated() {
        List<Class<? extends NodeChannelFactory>> providers = List.of(Unusable.class, FailsToStart.class,
            FailsToCreate.class, WorkingLoopback.class);
        Set<Thread> pollersBefore = pollerThreads();
        try (SoftFabricDirectory shm = SoftFabricDirectory.create("provider-fallback");
             LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("provider-fallback")) {
            addNodes(cluster, 2, providers, new RdmaEventBusOptions());

            List<String> info = transportLines(log, Level.INFO);
            assertEquals(2, info.size(), info.toString());
            for (int i = 0; i < 2; i++) {
                String line = info.get(i);
                assertTrue(line.startsWith("rdmabus: event-bus traffic of node " + cluster.nodeId(i) + " takes the 'loopback' channel ("), line);
                assertTrue(line.endsWith("); not 'unusable': " + FailingChannelFactories.PROBE_FAILURE
                    + "; not 'failing-start': " + NOT_STARTED + "; not 'failing-create': " + NOT_CREATED), line);
                RdmaEventBusStatus status = RdmaEventBus.status(cluster.node(i));
                assertTrue(status.isActive(), status.getDescription());
                assertEquals(line, status.getDescription());
            }
            assertFailedChannelsReleased(2, shm, pollersBefore);

            assertEquals("echo:over-fallback", request(cluster, 0, 1, "over-fallback"));
            assertEquals(1, cluster.channel(0).sentTo(cluster.nodeId(1)), "the request took the loopback channel");
            assertEquals(1, cluster.channel(1).sentTo(cluster.nodeId(0)), "the reply took the loopback channel");
            assertEquals(0, cluster.tcpConnections(), "no node opened a TCP connection");
        }
    }

    @Test
    void autoStaysOnTcpWhenEveryProviderFailsAndSaysWhyForEach() {
        Set<Thread> pollersBefore = pollerThreads();
        try (SoftFabricDirectory shm = SoftFabricDirectory.create("provider-fallback-tcp");
             LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("provider-fallback-tcp")) {
            addNodes(cluster, 2, List.of(FailsToStart.class, FailsToCreate.class), new RdmaEventBusOptions());

            String expected = "rdmabus: staying on TCP: no channel provider is usable here (failing-start: " + NOT_STARTED
                + "; failing-create: " + NOT_CREATED + ")";
            assertEquals(List.of(expected, expected), transportLines(log, Level.WARNING), "every provider failed: a warning");
            assertEquals(List.of(), transportLines(log, Level.INFO));
            for (int i = 0; i < 2; i++) {
                RdmaEventBusStatus status = RdmaEventBus.status(cluster.node(i));
                assertFalse(status.isActive());
                assertEquals(expected, status.getDescription());
            }
            assertFailedChannelsReleased(2, shm, pollersBefore);

            assertEquals("echo:over-tcp", request(cluster, 0, 1, "over-tcp"));
            assertEquals(Set.of(cluster.nodeId(1)), cluster.tcpConnectionTargets(0));
            assertEquals(0, cluster.channelSends());
        }
    }

    @Test
    void anExplicitProviderThatFailsIsTheOnlyOneTriedAndTheNodeStaysOnTcp() {
        Set<Thread> pollersBefore = pollerThreads();
        try (SoftFabricDirectory shm = SoftFabricDirectory.create("provider-explicit");
             LogCapture log = new LogCapture(); TestCluster cluster = TestCluster.empty("provider-explicit")) {
            addNodes(cluster, 1, List.of(FailsToStart.class, LoopbackNodeChannelFactory.class),
                new RdmaEventBusOptions().setProvider("failing-start"));
            String line = "rdmabus: staying on TCP: provider 'failing-start' is not usable here: " + NOT_STARTED;
            assertEquals(List.of(line), transportLines(log, Level.WARNING), "the named provider failed: a warning");
            assertEquals(List.of(), transportLines(log, Level.INFO));
            assertEquals(line, RdmaEventBus.status(cluster.node(0)).getDescription());
            assertFalse(RdmaEventBus.status(cluster.node(0)).isActive());
            assertNull(cluster.channel(0), "the loopback provider was tried although the user named another");
            assertFailedChannelsReleased(1, shm, pollersBefore);

            cluster.addNode(TestCluster.rdmabusOff(), bus -> { });
            assertEquals("echo:explicit", request(cluster, 0, 1, "explicit"));
            assertEquals(Set.of(cluster.nodeId(1)), cluster.tcpConnectionTargets(0));
        }
    }

    private void addNodes(TestCluster cluster, int count, List<Class<? extends NodeChannelFactory>> providers,
                          RdmaEventBusOptions options) {
        for (int i = 0; i < count; i++) {
            ScopedChannelFactories.with(serviceFiles, providers, () -> cluster.addNode(options, bus -> { }));
        }
    }

    /** Every channel that failed to start was closed once, and nothing of its pool is left. */
    private static void assertFailedChannelsReleased(int expected, SoftFabricDirectory shm, Set<Thread> pollersBefore) {
        List<StartFailingChannel> failed = FailingChannelFactories.started();
        assertEquals(expected, failed.size(), "channels whose start failed");
        assertEquals(List.of(), shm.files(), "shared-memory files of the failed pools");
        Await.until("the failed pools' poller threads end", THREADS_END, () -> {
            Set<Thread> left = pollerThreads();
            left.removeAll(pollersBefore);
            return left.isEmpty();
        });
        for (StartFailingChannel channel : failed) {
            assertEquals(1, channel.closes(), "a channel that failed to start was not closed exactly once");
        }
    }

    /**
     * The transport's lines at a level. The pool that a failing channel started logs its own INFO line, from another
     * module, which the start-up line does not replace.
     */
    private static List<String> transportLines(LogCapture log, Level level) {
        return log.messages(level, "org.rdmabus.transport");
    }

    private static Set<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(CompletionPoller.THREAD_NAME_PREFIX))
            .collect(Collectors.toSet());
    }

    private static String request(TestCluster cluster, int from, int to, String body) {
        String address = "echo-" + UUID.randomUUID();
        Vertx receiver = cluster.node(to);
        Await.result(receiver.eventBus().<String>consumer(address, message -> message.reply("echo:" + message.body())).completion());
        return Await.result(cluster.node(from).eventBus().<String>request(address, body)).body();
    }
}
