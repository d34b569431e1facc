package org.rdmabus.transport.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.transport.testing.TestTimes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vert.x's event-bus metrics read the same whether the messages travelled over TCP (rdmabus off) or over the soft
 * fabric's channel: the same {@link ParityScenario} runs on two fresh clusters, and every {@code EventBusMetrics}
 * call each node got, with its arguments, is compared step by step; then the same with vertx-micrometer-metrics,
 * comparing every {@code vertx.eventbus.*} meter of each node.
 *
 * <p>Only the event-bus metrics are compared: TCP client and server metrics ({@code vertx.net.*}) count the very
 * connections the channel replaces. Vert.x's TCP connection writes a ping every 20 s, which its metrics report as a
 * message written to {@code __vertx_ping}; the channel checks liveness below the event bus and writes none, so both
 * runs stretch the ping interval beyond the scenario, which then sees application traffic only.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class EventBusMetricsParityTest {

    private static final Duration QUIET = TestTimes.scaled(Duration.ofMillis(300));
    private static final Duration SETTLE = TestTimes.scaled(Duration.ofSeconds(20));
    /** The node ids of both runs: Vert.x orders a publish's destinations by node id, see {@link #localFirst()}. */
    private static final List<String> NODE_IDS = localFirst();

    @Test
    void everyEventBusMetricsCallMatchesTcpOverTheChannel() {
        List<List<RecordingEventBusMetrics.Step>> overTcp = recordedRun(TestCluster.rdmabusOff(), false);
        List<List<RecordingEventBusMetrics.Step>> overChannel = recordedRun(TestCluster.rdmabusOn().setProvider("soft"), true);
        for (int node = 0; node < 2; node++) {
            List<RecordingEventBusMetrics.Step> tcp = overTcp.get(node);
            List<RecordingEventBusMetrics.Step> channel = overChannel.get(node);
            assertEquals(tcp.size(), channel.size());
            for (int step = 0; step < tcp.size(); step++) {
                assertEquals(tcp.get(step), channel.get(step), "node " + node + ", step '" + tcp.get(step).name() + "'");
            }
        }
        assertTrue(overTcp.get(1).stream().anyMatch(step -> step.calls().contains("messageRead parity.send bytes=73")),
            "node 1 read the send, as long as Vert.x encodes it: " + overTcp.get(1));
        assertTrue(overTcp.get(0).stream().anyMatch(step -> step.calls().contains("messageSent parity.publish publish=true local=true remote=false")),
            "Vert.x served the local consumer of the publish first: " + overTcp.get(0));
    }

    @Test
    void micrometerEventBusMetersMatchTcpOverTheChannel() {
        List<Map<String, String>> overTcp = micrometerRun(TestCluster.rdmabusOff(), false);
        List<Map<String, String>> overChannel = micrometerRun(TestCluster.rdmabusOn().setProvider("soft"), true);
        for (int node = 0; node < 2; node++) {
            assertFalse(overTcp.get(node).isEmpty(), "node " + node + " has vertx.eventbus meters");
            assertEquals(overTcp.get(node), overChannel.get(node), "node " + node);
        }
        assertEquals("1.0", overTcp.get(0).get("vertx.eventbus.published{side=local} COUNT"),
            "Vert.x served the local consumer of the publish first: " + overTcp.get(0));
        assertTrue(overTcp.get(1).keySet().stream().anyMatch(meter -> meter.startsWith("vertx.eventbus.bytes.read")), overTcp.get(1).toString());
    }

    /** Runs the scenario with a recording metrics implementation on each node; returns each node's steps. */
    private static List<List<RecordingEventBusMetrics.Step>> recordedRun(RdmaEventBusOptions rdmabus, boolean overChannel) {
        List<RecordingEventBusMetrics> recorders = List.of(new RecordingEventBusMetrics(), new RecordingEventBusMetrics());
        run(rdmabus, overChannel, i -> recorders.get(i).factory(), VertxOptions::new, step -> {
            awaitQuiet(() -> recorders.get(0).callsSoFar() + recorders.get(1).callsSoFar());
            recorders.forEach(recorder -> recorder.endStep(step));
        });
        return recorders.stream().map(RecordingEventBusMetrics::steps).collect(Collectors.toList());
    }

    /** Runs the scenario with Vert.x's Micrometer metrics on each node; returns each node's event-bus meters. */
    private static List<Map<String, String>> micrometerRun(RdmaEventBusOptions rdmabus, boolean overChannel) {
        List<MeterRegistry> registries = List.of(new SimpleMeterRegistry(), new SimpleMeterRegistry());
        List<Map<String, String>> meters = new ArrayList<>();
        Supplier<VertxOptions> micrometer = () -> new VertxOptions()
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setRegistryName("parity-" + UUID.randomUUID()));
        run(rdmabus, overChannel, i -> new MicrometerMetricsFactory(registries.get(i)), micrometer, step -> {
            awaitQuiet(() -> (eventBusMeters(registries.get(0)).toString() + eventBusMeters(registries.get(1))).hashCode());
            if (step.equals("unregister")) {
                registries.forEach(registry -> meters.add(eventBusMeters(registry)));
            }
        });
        return meters;
    }

    /**
     * Two nodes, the scenario, and the proof of the path: over TCP no channel exists and node 0 opened a connection to
     * node 1; over the channel both carried messages and no event-bus TCP connection exists.
     */
    private static void run(RdmaEventBusOptions rdmabus, boolean overChannel, IntFunction<VertxMetricsFactory> metrics,
                            Supplier<VertxOptions> vertxOptions, Consumer<String> endStep) {
        try (TestCluster cluster = TestCluster.empty("metrics-parity")) {
            for (int i = 0; i < 2; i++) {
                VertxOptions options = vertxOptions.get();
                options.setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)
                    .setClusterPingInterval(TimeUnit.MINUTES.toMillis(10)));
                cluster.addNode(rdmabus, options, cluster.newClusterManager(NODE_IDS.get(i)), metrics.apply(i));
            }
            new ParityScenario(cluster.node(0), cluster.node(1)).run(endStep);
            if (overChannel) {
                for (int i = 0; i < 2; i++) {
                    assertTrue(RdmaEventBus.status(cluster.node(i)).isActive(), RdmaEventBus.status(cluster.node(i)).getDescription());
                    assertTrue(cluster.counters(i).channelSends() > 0, "node " + i + " sent over the channel");
                }
                assertEquals(0, cluster.tcpConnections(), "no event-bus TCP connection");
            } else {
                assertNull(cluster.counters(0), "rdmabus is off");
                assertTrue(cluster.tcpConnections(0) > 0, "node 0 reached node 1 over TCP");
            }
        }
    }

    /**
     * Two node ids that Vert.x's default node selector lists node 0 first for, when both have consumers of an address.
     * It keys its destinations by node id in a {@code HashMap}; ids in different buckets come out in bucket order,
     * whatever the order of the registrations. Both runs then see the same order, and it is the order in which a
     * publish reaches the local consumer before the message is encoded for the remote one: the case in which Vert.x
     * reports the local delivery as local.
     */
    private static List<String> localFirst() {
        while (true) {
            String local = UUID.randomUUID().toString();
            String remote = UUID.randomUUID().toString();
            if (bucket(local) < bucket(remote)) {
                return List.of(local, remote);
            }
        }
    }

    /** The bucket of a key in a {@code HashMap} of the default capacity. */
    private static int bucket(String key) {
        int hash = key.hashCode();
        return (hash ^ (hash >>> 16)) & 15;
    }

    /** Waits until a reading of the nodes' metrics has stopped changing for a while: late callbacks are in. */
    private static void awaitQuiet(IntSupplier reading) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int last = reading.getAsInt();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the metrics kept changing for " + SETTLE);
            }
            sleep(20);
            int now = reading.getAsInt();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /**
     * Every {@code vertx.eventbus.*} meter with its tags and measurements; reply addresses are random per request and
     * read {@code __vertx.reply.*}, their meters merged (counts and totals summed, maxima the greatest).
     */
    private static Map<String, String> eventBusMeters(MeterRegistry registry) {
        Map<String, double[]> sums = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            if (!id.getName().startsWith("vertx.eventbus.")) {
                continue;
            }
            String tags = id.getTags().stream().map(tag -> tag.getKey() + "=" + normalise(tag))
                .collect(Collectors.joining(",", "{", "}"));
            List<Measurement> measurements = new ArrayList<>();
            meter.measure().forEach(measurements::add);
            for (Measurement measurement : measurements) {
                double[] merged = sums.computeIfAbsent(id.getName() + tags + " " + measurement.getStatistic(), k -> new double[1]);
                merged[0] = measurement.getStatistic() == Statistic.MAX ? Math.max(merged[0], measurement.getValue())
                    : merged[0] + measurement.getValue();
            }
        }
        Map<String, String> values = new TreeMap<>();
        sums.forEach((key, merged) -> values.put(key, Double.toString(merged[0])));
        return values;
    }

    private static String normalise(Tag tag) {
        return tag.getValue().startsWith("__vertx.reply.") ? "__vertx.reply.*" : tag.getValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
