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
 *   <li>to C, the only messages that arrive at neither incarnation were sent while C was away (between its leaving
 *       and the new C answering, with a second's margin), and only requests sent then fail;</li>
 *   <li>each JVM's heap, direct and mapped memory stay under ceilings; their slopes are reported.</li>
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
    private static final long HEAP_CEILING = 160L << 20;

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
                StringBuilder memory = new StringBuilder();
                for (Map.Entry<String, JsonObject> node : stats.entrySet()) {
                    JsonObject report = node.getValue().getJsonObject("memory");
                    assertTrue(report.getLong("heapMax") < HEAP_CEILING, node.getKey() + " heap: " + report);
                    assertTrue(report.getLong("directMax") < DIRECT_CEILING, node.getKey() + " direct memory: " + report);
                    assertTrue(report.getLong("mappedMax") < MAPPED_CEILING, node.getKey() + " mapped memory: " + report);
                    memory.append(String.format(" %s[heap max %d MiB slope %+.1f MiB/min (floor %+.1f), direct max %d KiB slope %+.1f KiB/min,"
                            + " mapped max %d MiB slope %+.1f MiB/min]",
                        node.getKey(), report.getLong("heapMax") >> 20, report.getDouble("heapSlope") / (1 << 20),
                        report.getDouble("heapFloorSlope") / (1 << 20), report.getLong("directMax") >> 10,
                        report.getDouble("directSlope") / 1024, report.getLong("mappedMax") >> 20, report.getDouble("mappedSlope") / (1 << 20)));
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
        // To C: the old and the new C each got a gap-free run; what neither got was sent while C was away.
        for (String senderName : List.of("A", "B")) {
            JsonObject sender = sent.get(senderName);
            String stream = sender.getString("incarnation") + "|send";
            JsonObject atOld = stats.get("oldC").getJsonObject("received").getJsonObject(stream);
            JsonObject atNew = stats.get("C").getJsonObject("received").getJsonObject(stream);
            assertTrue(atOld != null && atNew != null, senderName + " reached both incarnations of C");
            assertEquals(0, atOld.getLong("first"), senderName + " to the old C");
            assertEquals(0, atOld.getLong("missing"), senderName + " to the old C: " + atOld);
            assertEquals(0, atNew.getLong("missing"), senderName + " to the new C: " + atNew);
            long sentToC = sender.getJsonObject("streams").getJsonObject(TrafficNode.sequenceAddress("C")).getLong("sent");
            assertEquals(sentToC - 1, atNew.getLong("last"), senderName + ": the new C got everything up to the end");
            JsonArray window = explained.get(senderName).getJsonArray(TrafficNode.sequenceAddress("C"));
            long gapFrom = atOld.getLong("last") + 1;
            long gapTo = atNew.getLong("first") - 1;
            if (gapFrom <= gapTo) {
                assertTrue(!window.isEmpty() && gapFrom >= window.getLong(0) && gapTo <= window.getLong(1),
                    senderName + " to C: messages " + gapFrom + ".." + gapTo + " lost outside the time C was away " + window);
            }
            JsonObject requests = sender.getJsonObject("requests").getJsonObject("C");
            for (Object record : requests.getJsonArray("failures")) {
                long sentAt = ((JsonArray) record).getLong(0);
                assertTrue(sentAt >= windowFrom && sentAt <= windowTo, senderName + ": a request to C failed outside the time C was away: " + record);
            }
        }
        return checked;
    }

    private static void sleepUntil(long wallMillis) {
        long left = wallMillis - System.currentTimeMillis();
        if (left > 0) {
            NodeKillTest.sleep(left);
        }
    }
}
