package org.rdmabus.bench.eventbus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.impl.clustered.ClusteredEventBus;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.NodeChannel;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;

/**
 * What carried a node's event-bus traffic, read from the node itself after the measurement, so that a run that fell
 * back to TCP or landed on another fabric cannot pass for the mode it was meant to measure. The facts travel as JSON
 * between the two JVMs; {@link #check} compares both nodes' facts with what the mode requires.
 */
final class TrafficPath {
    private TrafficPath() {
    }

    /**
     * @param vertx a node.
     * @return its Vert.x transport, rdmabus status, channel fabric and counters, and outbound event-bus TCP connections.
     */
    static JsonObject facts(Vertx vertx) {
        JsonObject facts = new JsonObject()
            .put("transport", transportName(vertx))
            .put("active", RdmaEventBus.status(vertx).isActive())
            .put("status", RdmaEventBus.status(vertx).getDescription())
            .put("tcpTargets", new JsonArray(tcpTargets(vertx)));
        BusHook hook = HookRegistry.hookOf(vertx);
        if (hook != null) {
            HookCounters counters = hook.counters();
            facts.put("channelSends", counters.channelSends())
                .put("channelDelivered", counters.inboundDelivered())
                .put("tcpSends", counters.tcpSends())
                .put("switchesToTcp", counters.switchesToTcp());
            NodeChannel channel = hook.channel();
            if (channel instanceof PoolNodeChannel pool && pool.pool() != null) {
                // The provider of the address the pool advertises: the fabric peers actually reach this node on.
                facts.put("fabric", pool.pool().advertisedAddress().provider())
                    .put("service", String.valueOf(pool.pool().transportService()));
            }
        }
        return facts;
    }

    /**
     * @param mode       the mode measured.
     * @param provider   the provider the rdmabus mode must run on, or {@code null}/{@code auto} for any fabric.
     * @param requester  the requester's facts.
     * @param responder  the responder's facts.
     * @param responderId the responder's node id.
     * @param requests   requests the requester sent during the measurement.
     * @return what the requirements found wrong, empty when the traffic took the mode's path.
     */
    static List<String> check(Mode mode, String provider, JsonObject requester, JsonObject responder,
                              String responderId, long requests) {
        List<String> problems = new ArrayList<>();
        String wantedTransport = mode.nativeTransport() ? "epoll" : "nio";
        expect(problems, wantedTransport.equals(requester.getString("transport")), "requester's Vert.x transport is "
            + requester.getString("transport") + ", not " + wantedTransport);
        if (mode == Mode.IN_JVM) {
            return problems;
        }
        expect(problems, wantedTransport.equals(responder.getString("transport")), "responder's Vert.x transport is "
            + responder.getString("transport") + ", not " + wantedTransport);
        if (mode != Mode.RDMABUS) {
            expect(problems, !requester.getBoolean("active") && !responder.getBoolean("active"), "rdmabus is active");
            expect(problems, requester.getJsonArray("tcpTargets").contains(responderId),
                "the requester holds no event-bus TCP connection to the responder");
            return problems;
        }
        for (String side : new String[] {"requester", "responder"}) {
            JsonObject facts = side.equals("requester") ? requester : responder;
            String fabric = facts.getString("fabric");
            if (!facts.getBoolean("active") || fabric == null) {
                problems.add(side + " runs no rdmabus pool channel: " + facts.getString("status"));
                continue;
            }
            boolean any = provider == null || provider.toLowerCase(Locale.ROOT).equals("auto");
            expect(problems, any || fabric.equals(provider), side + "'s channel runs on '" + fabric
                + "', not '" + provider + "': " + facts.getString("status"));
            expect(problems, facts.getJsonArray("tcpTargets").isEmpty(), side + " opened event-bus TCP connections to "
                + facts.getJsonArray("tcpTargets"));
            expect(problems, facts.getLong("tcpSends", 0L) == 0 && facts.getLong("switchesToTcp", 0L) == 0,
                side + " sent " + facts.getLong("tcpSends") + " messages over TCP (" + facts.getLong("switchesToTcp")
                    + " switches)");
            // Requests out and replies back: each side's channel sent and delivered at least one per request.
            expect(problems, facts.getLong("channelSends", 0L) >= requests
                && facts.getLong("channelDelivered", 0L) >= requests, side + "'s channel sent "
                + facts.getLong("channelSends") + " and delivered " + facts.getLong("channelDelivered")
                + " messages, fewer than the " + requests + " requests");
        }
        return problems;
    }

    /**
     * @param mode      the mode.
     * @param requester the requester's facts.
     * @param responder the responder's facts, or {@code null}.
     * @return one line saying what carried the traffic.
     */
    static String describe(Mode mode, JsonObject requester, JsonObject responder) {
        StringBuilder line = new StringBuilder("Vert.x on ").append(requester.getString("transport"));
        if (mode == Mode.RDMABUS && requester.getString("fabric") == null) {
            line.append(", no rdmabus channel");
        } else if (mode == Mode.RDMABUS) {
            line.append(", channel fabric '").append(requester.getString("fabric")).append("' (")
                .append(requester.getString("service")).append(")");
        }
        if (responder != null) {
            line.append("; requester: ").append(counters(requester)).append("; responder: ").append(counters(responder));
        }
        return line.toString();
    }

    private static String counters(JsonObject facts) {
        String tcp = facts.getJsonArray("tcpTargets").size() + " event-bus TCP connection(s)";
        if (!facts.containsKey("channelSends")) {
            return tcp;
        }
        return facts.getLong("channelSends") + " channel sends, " + facts.getLong("channelDelivered")
            + " delivered from the channel, " + facts.getLong("tcpSends") + " TCP sends, " + tcp;
    }

    private static void expect(List<String> problems, boolean holds, String problem) {
        if (!holds) {
            problems.add(problem);
        }
    }

    /** @return {@code epoll}, {@code nio}, {@code io_uring} or {@code kqueue}: the transport's class, shortened. */
    private static String transportName(Vertx vertx) {
        String name = ((VertxInternal) vertx).transport().getClass().getSimpleName();
        return switch (name) {
            case "EpollTransport" -> "epoll";
            case "NioTransport" -> "nio";
            case "IoUringTransport" -> "io_uring";
            case "KQueueTransport" -> "kqueue";
            default -> name;
        };
    }

    /** The nodes Vert.x's clustered event bus holds TCP connections to, read from its private state. */
    private static List<String> tcpTargets(Vertx vertx) {
        if (!(vertx.eventBus() instanceof ClusteredEventBus bus)) {
            return List.of();
        }
        try {
            Field field = ClusteredEventBus.class.getDeclaredField("outboundConnections");
            field.setAccessible(true);
            return ((Map<?, ?>) field.get(bus)).keySet().stream().map(String::valueOf).sorted().toList();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read Vert.x's event-bus connections: " + e, e);
        }
    }
}
