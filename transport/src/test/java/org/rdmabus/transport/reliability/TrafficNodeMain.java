package org.rdmabus.transport.reliability;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.HazelcastTestConfig;
import org.rdmabus.transport.testing.TestCluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node of the reliability tests in a JVM of its own ({@link TrafficProcess} starts it): a {@link TrafficNode}
 * over rdmabus on the soft fabric, driven by commands on stdin, answering on stdout.
 *
 * <p>Arguments: cluster name, node name, echo delay in milliseconds. Commands, one per line, each answered by one
 * line starting with the word in brackets:
 * <ul>
 *   <li>{@code RUN <json>}: starts a {@link LoadRunner} [{@code STARTED}], and when it ends [{@code DONE <report>}];</li>
 *   <li>{@code STOP}: ends the load early (its {@code DONE} follows);</li>
 *   <li>{@code PROBE <name> <seconds>}: requests {@code rel.<name>.echo} until one succeeds [{@code PROBED ok|failed}];</li>
 *   <li>{@code EXPLAIN <from millis> <to millis>}: the numbers sent in a window [{@code EXPLAINED <json>}];</li>
 *   <li>{@code STATS}: what arrived, the memory samples and the path traffic took [{@code STATS <json>}];</li>
 *   <li>{@code LEAVE}: ends the load and waits for it, stops serving, reports what arrived and what it sent
 *       [{@code LEFT <stats json with "sent">}], leaves the cluster and exits.</li>
 * </ul>
 * At start it prints {@code READY <node id> <pid>}. It also exits when stdin closes.
 */
public final class TrafficNodeMain {

    private static final Object OUT = new Object();

    private TrafficNodeMain() {
    }

    /**
     * Runs the node.
     *
     * @param args cluster name, node name, echo delay in milliseconds
     * @throws Exception when reading stdin fails
     */
    public static void main(String[] args) throws Exception {
        RdmaEventBus.configure(new RdmaEventBusOptions().setProvider("soft"));
        Vertx vertx = Await.result(Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
            .withClusterManager(new HazelcastClusterManager(HazelcastTestConfig.create(args[0])))
            .buildClustered(), Duration.ofSeconds(90));
        TrafficNode node = new TrafficNode(vertx, args[1], Long.parseLong(args[2]));
        Await.result(node.start(), Duration.ofSeconds(60));
        MemorySampler memory = new MemorySampler();
        memory.sample(true);
        // The live heap (after a forced collection) every other second: enough points for a slope within a short run.
        AtomicLong ticks = new AtomicLong();
        vertx.setPeriodic(1000, id -> memory.sample(ticks.incrementAndGet() % 2 == 0));
        print("READY " + ((VertxInternal) vertx).clusterManager().getNodeId() + " " + ProcessHandle.current().pid());

        LoadRunner runner = null;
        Future<JsonObject> running = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ", 2);
            switch (words[0]) {
                case "RUN" -> {
                    runner = new LoadRunner(node, new JsonObject(words[1]));
                    running = runner.run();
                    running.onComplete(report -> print("DONE " + (report.succeeded() ? report.result().encode() : new JsonObject().put("error", String.valueOf(report.cause())).encode())));
                    print("STARTED");
                }
                case "STOP" -> {
                    if (runner != null) {
                        runner.stop();
                    }
                }
                case "PROBE" -> {
                    String[] probe = words[1].split(" ");
                    print("PROBED " + (probe(vertx, probe[0], Long.parseLong(probe[1])) ? "ok" : "failed"));
                }
                case "EXPLAIN" -> {
                    String[] window = words[1].split(" ");
                    JsonObject explained = runner == null ? new JsonObject() : Await.result(runner.explain(Long.parseLong(window[0]), Long.parseLong(window[1])));
                    print("EXPLAINED " + explained.encode());
                }
                case "STATS" -> print("STATS " + node.stats().put("memory", MemorySampler.report(memory.samples())).put("path", path(vertx)).encode());
                case "LEAVE" -> {
                    JsonObject sent = new JsonObject();
                    if (runner != null) {
                        runner.stop();
                        sent = Await.result(running, Duration.ofSeconds(60));
                    }
                    Await.result(node.stopServing());
                    print("LEFT " + node.stats().put("memory", MemorySampler.report(memory.samples())).put("path", path(vertx)).put("sent", sent).encode());
                    Await.result(vertx.close(), Duration.ofSeconds(30));
                    System.exit(0);
                }
                default -> print("UNKNOWN " + line);
            }
        }
        Await.result(vertx.close(), Duration.ofSeconds(30));
        System.exit(0);
    }

    /**
     * Which path this node's event-bus traffic took: the hook's counts of messages handed to the channel and sent
     * over TCP, and the nodes to which Vert.x opened a TCP connection.
     */
    private static JsonObject path(Vertx vertx) {
        HookCounters counters = HookRegistry.hookOf(vertx).counters();
        return new JsonObject().put("channelSends", counters.channelSends()).put("tcpSends", counters.tcpSends())
            .put("switchesToTcp", counters.switchesToTcp()).put("tcpTargets", new JsonArray(new ArrayList<>(TestCluster.tcpConnectionTargets(vertx))));
    }

    /** Requests a node's echo until it answers; registrations reach the other nodes asynchronously. */
    static boolean probe(Vertx vertx, String name, long seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < deadline) {
            Future<?> reply = vertx.eventBus().request(TrafficNode.echoAddress(name), "probe", new DeliveryOptions().setSendTimeout(2_000));
            try {
                Await.result(reply, Duration.ofSeconds(5));
                return true;
            } catch (AssertionError notYet) {
                sleep(100);
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void print(String line) {
        synchronized (OUT) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
