package org.rdmabus.transport.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.testing.SoftFabricDirectory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak across three JVMs (A, B, C) over the soft fabric: each node sends sequenced messages and requests
 * to the other two and publishes to all, at a steady rate, while C leaves and a new C joins a third of the way in.
 * Sequence numbers are checked end to end for every (sender incarnation, receiver incarnation, kind) pair:
 * <ul>
 *   <li>nothing is duplicated or reordered, anywhere;</li>
 *   <li>between the nodes that stayed, and from each C to them, every message reported written arrives and every
 *       publish arrives; every request is answered;</li>
 *   <li>to C, the only sends and publishes that arrive at neither incarnation were sent while C was away (between
 *       its leaving and the new C answering, with a second's margin), each incarnation got a gap-free run of them,
 *       and only requests sent then fail;</li>
 *   <li>every node's traffic took the channel: its hook handed the channel at least one message per message it
 *       sent, sent nothing over TCP, and Vert.x opened no TCP connection from it to any node;</li>
 *   <li>each JVM's live heap (after a forced full collection) stays under a ceiling and, after a warm-up, grows by at
 *       most {@link #LIVE_STEP_ALLOWANCE} (one-off steps, such as a peer joining) plus {@link #LIVE_SLOPE_BOUND} a
 *       minute, along the least-squares line through its samples; direct and mapped memory stay under ceilings.</li>
 * </ul>
 * Duration: {@code -Drdmabus.soak.seconds} (30 by default; the {@code soak} Maven profile runs 600).
 */
@Timeout(value = 3600, unit = TimeUnit.SECONDS)
class SoakTest {

    private static final long SECONDS = Long.getLong("rdmabus.soak.seconds", 30);
    private static final Duration START = Duration.ofSeconds(120);
    private static final long MARGIN_MILLIS = 1_000;
    private static final long DIRECT_CEILING = 32L << 20;
    private static final long MAPPED_CEILING = 128L << 20;
    /**
     * The live heap's ceiling per JVM (of {@code -Xmx192m}), far below the maximum, so that a leak fails here and not
     * as an out-of-memory error. Measured: see transport/RELIABILITY.md.
     */
    private static final long LIVE_CEILING = 64L << 20;
    /**
     * The live heap's growth per minute after warm-up, per JVM: the README's figure. The harness itself adds about
     * 0.15 MiB/min (each stream keeps one send time per message). Measured: see transport/RELIABILITY.md.
     */
    static final long LIVE_SLOPE_BOUND = 1L << 20;
    /**
     * What the live heap may grow after warm-up besides {@link #LIVE_SLOPE_BOUND}: state that appears once, such as
     * for the new C. Over the 30-second run this is most of the budget; over ten minutes the slope is.
     */
    static final long LIVE_STEP_ALLOWANCE = 2L << 20;

    @Test
    void mixedTrafficAcrossThreeJvmsWithARestartLosesNothingItCannotExplain() {
        String cluster = "soak-" + UUID.randomUUID();
        Map<String, TrafficProcess> nodes = new LinkedHashMap<>();
        List<TrafficProcess> all = new ArrayList<>();
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("soak")) {
            try {
                for (String name : List.of("A", "B", "C")) {
                    TrafficProcess node = TrafficProcess.start(cluster, name, 0, directory);
                    nodes.put(name, node);
                    all.add(node);
                }
                for (TrafficProcess node : all) {
                    node.awaitReady(START);
                }
                probeAll(nodes);

                long startMillis = System.currentTimeMillis();
                for (TrafficProcess node : nodes.values()) {
                    node.ask("RUN " + load(node.name(), SECONDS).encode(), "STARTED", Duration.ofSeconds(10));
                }
                sleepUntil(startMillis + SECONDS * 1000 / 3);

                // C leaves (after stopping its load) and a new C joins.
                long leftAt = System.currentTimeMillis();
                JsonObject oldC = nodes.get("C").askJson("LEAVE", "LEFT", Duration.ofSeconds(90));
                TrafficProcess newC = TrafficProcess.start(cluster, "C", 0, directory);
                all.add(newC);
                nodes.put("C", newC);
                newC.awaitReady(START);
                probeAll(nodes);
                long backAt = System.currentTimeMillis();
                long remaining = Math.max(5, SECONDS - (backAt - startMillis) / 1000);
                newC.ask("RUN " + load("C", remaining).encode(), "STARTED", Duration.ofSeconds(10));

                Map<String, JsonObject> sent = new LinkedHashMap<>();
                for (TrafficProcess node : nodes.values()) {
                    sent.put(node.name(), new JsonObject(node.await("DONE", Duration.ofSeconds(SECONDS + 180)).substring("DONE ".length())));
                }
                sent.put("oldC", oldC.getJsonObject("sent"));
                NodeKillTest.sleep(1_000);
                Map<String, JsonObject> stats = new LinkedHashMap<>();
                for (TrafficProcess node : nodes.values()) {
                    stats.put(node.name(), node.askJson("STATS", "STATS", Duration.ofSeconds(30)));
                }
                stats.put("oldC", oldC);
                long windowFrom = leftAt - MARGIN_MILLIS;
                long windowTo = backAt + MARGIN_MILLIS;
                Map<String, JsonObject> explained = new LinkedHashMap<>();
                for (String name : List.of("A", "B")) {
                    explained.put(name, nodes.get(name).askJson("EXPLAIN " + windowFrom + " " + windowTo, "EXPLAINED", Duration.ofSeconds(30)));
                }

                long checked = verify(sent, stats, explained, windowFrom, windowTo);
                checkPaths(sent, stats);
                StringBuilder memory = new StringBuilder();
                for (Map.Entry<String, JsonObject> node : stats.entrySet()) {
                    JsonObject report = node.getValue().getJsonObject("memory");
                    assertTrue(report.getInteger("liveSamples") > 0, node.getKey() + " live heap sampled after warm-up: " + report);
                    assertTrue(report.getLong("liveMax") < LIVE_CEILING, node.getKey() + " live heap: " + report);
                    double minutes = report.getLong("liveSpanMillis", 0L) / 60_000.0;
                    double growth = report.getDouble("liveSlope") * minutes;
                    assertTrue(growth <= LIVE_STEP_ALLOWANCE + LIVE_SLOPE_BOUND * minutes, String.format("%s live heap grew %+.2f MiB over %.1f min"
                        + " (%+.2f MiB/min); allowed %.2f MiB: %s", node.getKey(), growth / (1 << 20), minutes, report.getDouble("liveSlope") / (1 << 20),
                        (LIVE_STEP_ALLOWANCE + LIVE_SLOPE_BOUND * minutes) / (1 << 20), report));
                    assertTrue(report.getLong("directMax") < DIRECT_CEILING, node.getKey() + " direct memory: " + report);
                    assertTrue(report.getLong("mappedMax") < MAPPED_CEILING, node.getKey() + " mapped memory: " + report);
                    memory.append(String.format(" %s[live heap %d..%d MiB max %d MiB slope %+.2f MiB/min over %d s (%d samples), heap max %d MiB,"
                            + " direct max %d KiB slope %+.1f KiB/min, mapped max %d MiB slope %+.1f MiB/min; channel sends %d, tcp sends %d]",
                        node.getKey(), report.getLong("liveFirst", 0L) >> 20, report.getLong("liveLast", 0L) >> 20, report.getLong("liveMax") >> 20,
                        report.getDouble("liveSlope") / (1 << 20), report.getLong("liveSpanMillis", 0L) / 1000, report.getInteger("liveSamples"),
                        report.getLong("heapMax") >> 20, report.getLong("directMax") >> 10,
                        report.getDouble("directSlope") / 1024, report.getLong("mappedMax") >> 20, report.getDouble("mappedSlope") / (1 << 20),
                        node.getValue().getJsonObject("path").getLong("channelSends"), node.getValue().getJsonObject("path").getLong("tcpSends")));
                }
                System.out.printf("FIGURES soak: %d s, C away %d ms, %d sequenced messages checked,%s%n", SECONDS, backAt - leftAt, checked, memory);
            } finally {
                for (TrafficProcess node : all) {
                    node.close();
                }
            }
            assertEquals(List.of(), directory.files(), "every node removed its shared memory when it left");
        }
    }

    private static JsonObject load(String self, long seconds) {
        JsonArray peers = new JsonArray();
        for (String name : List.of("A", "B", "C")) {
            if (!name.equals(self)) {
                peers.add(name);
            }
        }
        return new JsonObject().put("peers", peers).put("sendRate", 150).put("requestRate", 50).put("publishRate", 30).put("window", 16)
            .put("timeoutMillis", 5_000).put("seconds", seconds);
    }

    private static void probeAll(Map<String, TrafficProcess> nodes) {
        for (TrafficProcess from : nodes.values()) {
            for (String to : nodes.keySet()) {
                if (!to.equals(from.name())) {
                    assertEquals("ok", from.ask("PROBE " + to + " 60", "PROBED", Duration.ofSeconds(70)), from.name() + " reaches " + to);
                }
            }
        }
    }

    /** @return how many sequence numbers were accounted for */
    private static long verify(Map<String, JsonObject> sent, Map<String, JsonObject> stats, Map<String, JsonObject> explained, long windowFrom, long windowTo) {
        long checked = 0;
        // Every stream everywhere: no duplicate, no reordering; between first and last nothing missing, except for
        // sends to a C (checked below).
        for (Map.Entry<String, JsonObject> receiver : stats.entrySet()) {
            JsonObject received = receiver.getValue().getJsonObject("received");
            for (String stream : received.fieldNames()) {
                JsonObject track = received.getJsonObject(stream);
                assertEquals(0, track.getLong("duplicates"), receiver.getKey() + " " + stream + ": " + track);
                assertEquals(0, track.getLong("reordered"), receiver.getKey() + " " + stream + ": " + track);
                checked += track.getLong("received");
            }
        }
        // From every sender incarnation to the receivers that stayed: everything written arrived, every publish
        // arrived, every request was answered.
        for (Map.Entry<String, JsonObject> sender : sent.entrySet()) {
            String incarnation = sender.getValue().getString("incarnation");
            for (String receiver : List.of("A", "B")) {
                if (incarnation.startsWith(receiver + "@")) {
                    continue;
                }
                JsonObject received = stats.get(receiver).getJsonObject("received");
                NodeKillTest.assertComplete(sender.getValue().getJsonObject("streams").getJsonObject(TrafficNode.sequenceAddress(receiver)),
                    received.getJsonObject(incarnation + "|send"), sender.getKey() + " to " + receiver);
                JsonObject publishes = sender.getValue().getJsonObject("streams").getJsonObject(TrafficNode.PUBLISH_ADDRESS);
                JsonObject publishesSeen = received.getJsonObject(incarnation + "|pub");
                assertEquals(publishes.getLong("sent"), publishesSeen == null ? 0 : publishesSeen.getLong("received"), sender.getKey() + " publishes at " + receiver);
                JsonObject requests = sender.getValue().getJsonObject("requests").getJsonObject(receiver);
                assertEquals(requests.getLong("sent"), requests.getLong("ok"), sender.getKey() + " requests to " + receiver + ": " + requests);
            }
        }
        // To C, sends and publishes: the old and the new C each got a gap-free run; what neither got was sent while C
        // was away. (The numbers were counted above already; these add nothing to the total.)
        for (String senderName : List.of("A", "B")) {
            JsonObject sender = sent.get(senderName);
            checkAcrossTheRestart(senderName, "sends", sender.getString("incarnation") + "|send",
                sender.getJsonObject("streams").getJsonObject(TrafficNode.sequenceAddress("C")).getLong("sent"), stats,
                explained.get(senderName).getJsonArray(TrafficNode.sequenceAddress("C")));
            checkAcrossTheRestart(senderName, "publishes", sender.getString("incarnation") + "|pub",
                sender.getJsonObject("streams").getJsonObject(TrafficNode.PUBLISH_ADDRESS).getLong("sent"), stats,
                explained.get(senderName).getJsonArray(TrafficNode.PUBLISH_ADDRESS));
            JsonObject requests = sender.getJsonObject("requests").getJsonObject("C");
            for (Object record : requests.getJsonArray("failures")) {
                long sentAt = ((JsonArray) record).getLong(0);
                assertTrue(sentAt >= windowFrom && sentAt <= windowTo, senderName + ": a request to C failed outside the time C was away: " + record);
            }
        }
        return checked;
    }

    /**
     * One sender's stream to C across C's restart: the old C got a gap-free run from the first, the new C a gap-free
     * run to the last, and what neither got was sent while C was away.
     */
    private static void checkAcrossTheRestart(String senderName, String what, String stream, long sent, Map<String, JsonObject> stats, JsonArray window) {
        JsonObject atOld = stats.get("oldC").getJsonObject("received").getJsonObject(stream);
        JsonObject atNew = stats.get("C").getJsonObject("received").getJsonObject(stream);
        assertTrue(atOld != null && atNew != null, senderName + "'s " + what + " reached both incarnations of C");
        assertEquals(0, atOld.getLong("first"), senderName + "'s " + what + " at the old C: " + atOld);
        assertEquals(0, atOld.getLong("missing"), senderName + "'s " + what + " at the old C: " + atOld);
        assertEquals(0, atNew.getLong("missing"), senderName + "'s " + what + " at the new C: " + atNew);
        assertEquals(sent - 1, atNew.getLong("last"), senderName + "'s " + what + ": the new C got everything up to the end: " + atNew);
        long gapFrom = atOld.getLong("last") + 1;
        long gapTo = atNew.getLong("first") - 1;
        if (gapFrom <= gapTo) {
            assertTrue(!window.isEmpty() && gapFrom >= window.getLong(0) && gapTo <= window.getLong(1),
                senderName + "'s " + what + " to C: " + gapFrom + ".." + gapTo + " lost outside the time C was away " + window);
        }
    }

    /**
     * Every node's traffic took the channel: its hook handed the channel at least as many messages as Vert.x reported
     * written and requests as were answered (a publish goes to the channel once per receiving node, and replies come
     * on top; a send to C while it was away found no handler and went nowhere), sent none over TCP, and Vert.x
     * opened no TCP connection from it.
     */
    private static void checkPaths(Map<String, JsonObject> sent, Map<String, JsonObject> stats) {
        for (Map.Entry<String, JsonObject> node : stats.entrySet()) {
            JsonObject path = node.getValue().getJsonObject("path");
            JsonObject report = sent.get(node.getKey());
            long messages = 0;
            for (String stream : report.getJsonObject("streams").fieldNames()) {
                messages += report.getJsonObject("streams").getJsonObject(stream).getLong("written");
            }
            for (String peer : report.getJsonObject("requests").fieldNames()) {
                messages += report.getJsonObject("requests").getJsonObject(peer).getLong("ok");
            }
            assertTrue(messages > 0, node.getKey() + " sent something: " + report);
            assertTrue(path.getLong("channelSends") >= messages, node.getKey() + " handed the channel " + path.getLong("channelSends")
                + " messages for " + messages + " written or answered: " + path);
            assertEquals(0, path.getLong("tcpSends"), node.getKey() + " sent nothing over TCP: " + path);
            assertEquals(0, path.getLong("switchesToTcp"), node.getKey() + " switched no destination to TCP: " + path);
            assertTrue(path.getJsonArray("tcpTargets").isEmpty(), node.getKey() + " opened no event-bus TCP connection: " + path);
        }
    }

    private static void sleepUntil(long wallMillis) {
        long left = wallMillis - System.currentTimeMillis();
        if (left > 0) {
            NodeKillTest.sleep(left);
        }
    }
}
