package org.rdmabus.transport.semantics;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.HazelcastTestConfig;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.ProviderUnderTest;
import org.rdmabus.transport.testing.TestBodies;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.transport.testing.TestTimes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node of {@link SeparateJvmSemanticsContract} in a JVM of its own: consumers with a fixed behaviour that record
 * what they receive, and requests and publishes of its own, driven by commands on stdin, answered on stdout.
 *
 * <p>Arguments: cluster name, node name, and the channel provider rdmabus runs over ({@code soft}, {@code rdma},
 * {@code auto}), {@code off} (Vert.x's TCP) or {@code defaults} (nothing configured: what a user who only adds the jar
 * gets, with the JVM's {@code rdmabus.*} system properties applied); optionally the address Hazelcast and the event bus
 * bind to and the comma-separated addresses of every host with members (default 127.0.0.1 for both), for clusters
 * across hosts.
 * Commands, one per line, each answered by one line starting with the word in brackets:
 * <ul>
 *   <li>{@code CONSUME <tag> <address> <behaviour>}: registers a consumer whose log is named {@code tag}
 *       [{@code CONSUMING <tag>}]. Behaviours: {@code echo} (replies with the body and the headers, plus
 *       {@code echoed-by}), {@code ping} (replies {@code pong:<name>} and records the answer to that reply),
 *       {@code fail} ({@code fail(42, "boom from <name>")}), {@code silent} (never replies), {@code numbers}
 *       (checks a stream {@code 0, 1, 2, ...} of integers);</li>
 *   <li>{@code SEEN <tag>}: what that consumer received [{@code SEEN <json>}];</li>
 *   <li>{@code AWAIT <address> <count>}: waits until this node lists that many registrations [{@code AWAITED ok|missing}];</li>
 *   <li>{@code REQUEST <timeout millis> <address> <body>}: a request [{@code REPLIED <json>}: {@code ok}, then
 *       {@code body}, or {@code type}, {@code code}, {@code message}; and {@code millis}];</li>
 *   <li>{@code PUBLISH <address> <body>} [{@code PUBLISHED}];</li>
 *   <li>{@code STATS}: the Java feature release and the JVM's arguments, whether rdmabus runs, its start-up line,
 *       the fabric its channel runs on, its counters, and the nodes this node holds TCP connections to
 *       [{@code STATS <json>}].</li>
 * </ul>
 * At start it prints {@code READY <node id>}. It leaves the cluster and exits when stdin closes.
 */
public final class SemanticsNodeMain {

    /** The first words of the lines that answer commands. */
    public static final Set<String> PROTOCOL = Set.of("READY", "CONSUMING", "SEEN", "AWAITED", "REPLIED", "PUBLISHED", "STATS", "UNKNOWN");

    private static final Object OUT = new Object();

    private final Vertx vertx;
    private final String name;
    private final String startUpLine;
    private final Map<String, ReceivedLog> logs = new ConcurrentHashMap<>();

    private SemanticsNodeMain(Vertx vertx, String name, String startUpLine) {
        this.vertx = vertx;
        this.name = name;
        this.startUpLine = startUpLine;
    }

    /**
     * Runs the node until stdin closes.
     *
     * @param args cluster name, node name, a provider name, {@code off} or {@code defaults}; optionally the bind address and the
     *             member hosts
     * @throws Exception when reading stdin fails
     */
    public static void main(String[] args) throws Exception {
        if (!"defaults".equals(args[2])) {
            RdmaEventBus.configure("off".equals(args[2]) ? TestCluster.rdmabusOff() : TestCluster.rdmabusOn().setProvider(args[2]));
        }
        String host = args.length > 3 ? args[3] : "127.0.0.1";
        List<String> memberHosts = args.length > 4 ? List.of(args[4].split(",")) : List.of(host);
        Vertx vertx;
        String startUpLine;
        try (LogCapture startUp = new LogCapture()) {
            vertx = Await.result(Vertx.builder()
                .with(TestTimes.stretchBlockedThreadLimits(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(host).setPort(0))))
                .withClusterManager(new HazelcastClusterManager(HazelcastTestConfig.create(args[0], host, memberHosts)))
                .buildClustered(), TestTimes.scaled(Duration.ofSeconds(90)));
            startUpLine = ProviderUnderTest.startUpLine(vertx, startUp);
        }
        TestBodies.register(vertx.eventBus());
        SemanticsNodeMain node = new SemanticsNodeMain(vertx, args[1], startUpLine);
        print("READY " + ((VertxInternal) vertx).clusterManager().getNodeId());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            print(node.answer(line));
        }
        Await.result(vertx.close(), Duration.ofSeconds(30));
        System.exit(0);
    }

    private String answer(String line) {
        String[] words = line.split(" ", 4);
        return switch (words[0]) {
            case "CONSUME" -> consume(words[1], words[2], words[3]);
            case "SEEN" -> "SEEN " + logs.getOrDefault(words[1], new ReceivedLog()).summary().encode();
            case "AWAIT" -> "AWAITED " + (Registrations.await(vertx, words[1], Integer.parseInt(words[2]), TestTimes.scaled(Duration.ofSeconds(20))) ? "ok" : "missing");
            case "REQUEST" -> "REPLIED " + request(words[2], words[3], Long.parseLong(words[1])).encode();
            case "PUBLISH" -> {
                vertx.eventBus().publish(words[1], words[2]);
                yield "PUBLISHED";
            }
            case "STATS" -> "STATS " + stats().encode();
            default -> "UNKNOWN " + line;
        };
    }

    private String consume(String tag, String address, String behaviour) {
        ReceivedLog log = new ReceivedLog();
        Handler<Message<Object>> handler = switch (behaviour) {
            case "echo" -> message -> {
                log.record(message);
                if (message.replyAddress() != null) {
                    DeliveryOptions options = new DeliveryOptions().setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(message.headers())).addHeader("echoed-by", name);
                    message.reply(message.body(), options);
                }
            };
            case "ping" -> message -> {
                log.record(message);
                message.replyAndRequest("pong:" + name).onComplete(answer ->
                    log.recordReplyToReply(answer.succeeded() ? String.valueOf(answer.result().body()) : "failed: " + answer.cause()));
            };
            case "fail" -> message -> {
                log.record(message);
                message.fail(42, "boom from " + name);
            };
            case "silent" -> log::record;
            case "numbers" -> message -> log.recordNumber((Integer) message.body());
            default -> null;
        };
        if (handler == null) {
            return "UNKNOWN behaviour " + behaviour;
        }
        logs.put(tag, log);
        Await.result(vertx.eventBus().consumer(address, handler).completion());
        return "CONSUMING " + tag;
    }

    private JsonObject request(String address, String body, long timeoutMillis) {
        long start = System.nanoTime();
        Future<Message<Object>> reply = vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(timeoutMillis));
        JsonObject outcome = new JsonObject();
        try {
            Await.result(reply, Duration.ofMillis(timeoutMillis).plusSeconds(10));
        } catch (AssertionError ended) {
            // The outcome is read from the future below.
        }
        if (!reply.isComplete()) {
            outcome.put("ok", false).put("type", "NEVER_ENDED");
        } else if (reply.succeeded()) {
            outcome.put("ok", true).put("body", String.valueOf(reply.result().body())).put("echoedBy", reply.result().headers().get("echoed-by"));
        } else if (reply.cause() instanceof ReplyException failure) {
            outcome.put("ok", false).put("type", failure.failureType().name()).put("code", failure.failureCode()).put("message", failure.getMessage());
        } else {
            outcome.put("ok", false).put("type", String.valueOf(reply.cause()));
        }
        return outcome.put("millis", (System.nanoTime() - start) / 1_000_000);
    }

    private JsonObject stats() {
        JsonObject stats = new JsonObject().put("java", Runtime.version().feature())
            .put("jvmArguments", new JsonArray(ManagementFactory.getRuntimeMXBean().getInputArguments()))
            .put("rdmabus", RdmaEventBus.status(vertx).isActive())
            .put("status", startUpLine).put("fabric", ProviderUnderTest.fabricOf(vertx))
            .put("tcpTargets", new JsonArray(TestCluster.tcpConnectionTargets(vertx).stream().sorted().toList()));
        BusHook hook = HookRegistry.hookOf(vertx);
        if (hook != null) {
            HookCounters counters = hook.counters();
            stats.put("inboundDelivered", counters.inboundDelivered()).put("inboundDecodingFailures", counters.inboundDecodingFailures())
                .put("channelSends", counters.channelSends())
                .put("tcpSends", counters.tcpSends()).put("switchesToTcp", counters.switchesToTcp());
        }
        return stats;
    }

    private static void print(String line) {
        synchronized (OUT) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
