package org.rdmabus.transport.reliability;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.pool.PeerStats;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.vertx.BusHook;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of a node under load, in separate JVMs over the soft fabric. Node A (this JVM) sends requests to
 * B and K (child JVMs) and a sequenced stream to B, and B streams to A; K answers after 100 ms so that requests are
 * always in flight to it. Then K is killed. Proves:
 * <ul>
 *   <li>every request in flight to K when it died ends within 2 seconds, failed with a {@code ReplyException}
 *       (the channel reports the dead peer, the hook fails what waits on it); no request anywhere hangs;</li>
 *   <li>no request to K waits for its timeout: those sent after the kill, which take TCP once the channel reported K
 *       failed, fail within 2 seconds too, as {@code ReplyException}s naming the cause (K's event-bus port does not
 *       answer), or with no handlers once the cluster dropped K;</li>
 *   <li>the traffic between A and B loses, duplicates and reorders nothing, in both directions;</li>
 *   <li>K's shared-memory files are reclaimed;</li>
 *   <li>K restarted (a new JVM, a new node id) rejoins, and A's traffic to it takes the channel again: A's pool
 *       carried at least a frame to it and one back per request, and Vert.x opened no TCP connection to it.</li>
 * </ul>
 * A second test freezes a node ({@code kill -STOP}) instead: its cluster membership survives for seconds, so only
 * the channel's report can fail the requests waiting on it within the bound.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NodeKillTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final long DETECTION_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How a request to the killed node may end, other than answered: failed by rdmabus, or no handler left. */
    private static final Set<String> KILLED_NODE_FAILURES = Set.of("ERROR", "NO_HANDLERS");

    @Test
    void aKilledNodeFailsItsRequestsFastLosesNothingBetweenSurvivorsAndRejoins() {
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("kill");
                 TestCluster cluster = TestCluster.empty("kill")) {
            Vertx vertxA = cluster.addNode(new RdmaEventBusOptions().setProvider("soft"), bus -> { });
            TrafficNode a = new TrafficNode(vertxA, "A", 0);
            Await.result(a.start());
            try (TrafficProcess b = TrafficProcess.start(cluster.name(), "B", 0, directory);
                     TrafficProcess k = TrafficProcess.start(cluster.name(), "K", 100, directory)) {
                b.awaitReady(START);
                k.awaitReady(START);
                assertTrue(TrafficNodeMain.probe(vertxA, "B", 60), "A reaches B");
                assertTrue(TrafficNodeMain.probe(vertxA, "K", 60), "A reaches K");
                assertEquals("ok", b.ask("PROBE A 60", "PROBED", Duration.ofSeconds(70)), "B reaches A");
                HookCounters counters = cluster.counters(0);
                long channelBefore = counters.channelSends();

                b.ask("RUN " + new JsonObject().put("peers", new JsonArray().add("A")).put("sendRate", 300).put("seconds", 300).encode(), "STARTED", Duration.ofSeconds(10));
                LoadRunner load = new LoadRunner(a, new JsonObject().put("peers", new JsonArray().add("B").add("K")).put("sendRate", 300)
                    .put("requestRate", 300).put("window", 32).put("timeoutMillis", 5_000).put("seconds", 300).put("keepLog", true));
                Future<JsonObject> loadDone = load.run();
                sleep(2_000);
                assertTrue(counters.channelSends() - channelBefore > 500, "the load takes the channel: " + counters);
                assertFalse(cluster.tcpConnectionTargets(0).contains(k.nodeId()));

                long killedPid = k.pid();
                String killedId = k.nodeId();
                assertFalse(directory.filesOf(killedPid).isEmpty(), "K has its shared memory in the test directory");
                long killNanos = System.nanoTime();
                k.kill();

                Await.until("K's shared-memory files are reclaimed", Duration.ofSeconds(30), () -> directory.filesOf(killedPid).isEmpty());
                long reclaimedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
                Await.until("A's cluster view drops K", Duration.ofSeconds(60), () -> !((VertxInternal) vertxA).clusterManager().getNodes().contains(killedId));
                long droppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);

                try (TrafficProcess k2 = TrafficProcess.start(cluster.name(), "K", 0, directory)) {
                    k2.awaitReady(START);
                    assertTrue(TrafficNodeMain.probe(vertxA, "K", 60), "A reaches the restarted K");
                    long resumedNanos = System.nanoTime();
                    // The new K registers its echo asynchronously; wait for its traffic (bounded) rather than for a fixed time.
                    Await.until("100 requests to the restarted K succeed", Duration.ofSeconds(30), () -> {
                        List<LoadRunner.RequestRecord> log = load.log();
                        synchronized (log) {
                            return log.stream().filter(r -> r.peer().equals("K") && r.sentNanos() > resumedNanos && r.outcome().equals("OK")).count() >= 100;
                        }
                    });
                    long resumedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedNanos);

                    load.stop();
                    JsonObject reportA = Await.result(loadDone, Duration.ofSeconds(60));
                    b.send("STOP");
                    JsonObject reportB = new JsonObject(b.await("DONE", Duration.ofSeconds(60)).substring("DONE ".length()));
                    sleep(500);
                    JsonObject receivedAtB = b.askJson("STATS", "STATS", Duration.ofSeconds(30)).getJsonObject("received");
                    JsonObject receivedAtA = a.ledger().summary();

                    // 1. The requests in flight to K when it died ended within the bound, as ReplyExceptions.
                    List<LoadRunner.RequestRecord> toK = load.log().stream().filter(r -> r.peer().equals("K")).collect(Collectors.toList());
                    List<LoadRunner.RequestRecord> inFlight = toK.stream().filter(r -> r.sentNanos() < killNanos && r.doneNanos() > killNanos).collect(Collectors.toList());
                    assertFalse(inFlight.isEmpty(), "requests were in flight to K when it was killed");
                    long slowest = 0;
                    for (LoadRunner.RequestRecord request : inFlight) {
                        slowest = Math.max(slowest, request.doneNanos() - killNanos);
                        if (!request.outcome().equals("OK")) {
                            assertInstanceOf(ReplyException.class, request.failure());
                        }
                    }
                    long failedInFlight = inFlight.stream().filter(r -> !r.outcome().equals("OK")).count();
                    assertTrue(failedInFlight > 0, "in-flight requests to the dead node failed");
                    assertTrue(slowest <= DETECTION_BOUND_NANOS, "the last in-flight request to K ended " + TimeUnit.NANOSECONDS.toMillis(slowest) + " ms after the kill");
                    assertTrue(counters.requestsFailedOnPeerLoss() >= failedInFlight, counters.toString());

                    // 2. No request to K waited for its timeout: each failed one ended within the bound of the kill or of its sending,
                    // whichever came later, as a ReplyException naming why; requests sent after the kill failed fast too.
                    long sentAfterKill = 0;
                    long slowestAfterKill = 0;
                    for (LoadRunner.RequestRecord request : toK) {
                        if (request.outcome().equals("OK")) {
                            continue;
                        }
                        assertInstanceOf(ReplyException.class, request.failure(), "request " + request.number() + " to K");
                        assertTrue(KILLED_NODE_FAILURES.contains(request.outcome()), "request " + request.number() + " to K ended " + request.outcome()
                            + ": " + request.failure().getMessage());
                        long waited = request.doneNanos() - Math.max(request.sentNanos(), killNanos);
                        assertTrue(waited <= DETECTION_BOUND_NANOS, "request " + request.number() + " to K (" + request.outcome() + ", "
                            + request.failure().getMessage() + ") ended " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms after "
                            + (request.sentNanos() > killNanos ? "it was sent" : "the kill"));
                        if (request.sentNanos() > killNanos) {
                            sentAfterKill++;
                            slowestAfterKill = Math.max(slowestAfterKill, waited);
                        }
                    }
                    // Nothing hangs: every request ended (the load completed only then).
                    for (String peer : List.of("B", "K")) {
                        JsonObject requests = reportA.getJsonObject("requests").getJsonObject(peer);
                        assertEquals(requests.getLong("sent"), requests.getLong("ended"), peer + ": " + requests);
                        assertEquals(0, requests.getLong("badReplies"), peer + ": " + requests);
                    }

                    // 3. Between the survivors nothing was lost, duplicated or reordered, either way.
                    JsonObject requestsToB = reportA.getJsonObject("requests").getJsonObject("B");
                    assertEquals(requestsToB.getLong("sent"), requestsToB.getLong("ok"), "requests to B: " + requestsToB);
                    assertComplete(reportA.getJsonObject("streams").getJsonObject(TrafficNode.sequenceAddress("B")), receivedAtB.getJsonObject(a.incarnation() + "|send"), "A to B");
                    String incarnationB = reportB.getString("incarnation");
                    assertComplete(reportB.getJsonObject("streams").getJsonObject(TrafficNode.sequenceAddress("A")), receivedAtA.getJsonObject(incarnationB + "|send"), "B to A");

                    // 4. The restarted K is served over the channel again: its own requests and replies took A's pool, not TCP.
                    List<LoadRunner.RequestRecord> afterRestart = toK.stream().filter(r -> r.sentNanos() > resumedNanos).collect(Collectors.toList());
                    assertTrue(afterRestart.size() > 100, "requests to the restarted K: " + afterRestart.size());
                    assertTrue(afterRestart.stream().allMatch(r -> r.outcome().equals("OK")), "every request to the restarted K succeeded");
                    PeerStats toK2 = PoolChannelAccess.poolOf(HookRegistry.hookOf(vertxA).channel()).peerStats(k2.nodeId());
                    assertTrue(toK2 != null && toK2.framesSent() >= afterRestart.size() && toK2.framesReceived() >= afterRestart.size(),
                        "A's pool carried every request to the restarted K and every reply back: " + afterRestart.size() + " requests, "
                            + (toK2 == null ? "nothing exchanged" : toK2.framesSent() + " frames sent, " + toK2.framesReceived() + " received"));
                    assertFalse(cluster.tcpConnectionTargets(0).contains(k2.nodeId()), "traffic to the restarted K takes the channel, not TCP");

                    System.out.printf("FIGURES kill: inFlightAtKill=%d failedFast=%d slowestEndAfterKillMs=%d failedSentAfterKill=%d slowestOfThemMs=%d"
                            + " filesReclaimedAfterMs=%d clusterDroppedAfterMs=%d"
                            + " requestsToK=%d (%s) requestsToB=%d ok, streamA->B=%d streamB->A=%d, afterRestart=%d ok (100 within %d ms)%n",
                        inFlight.size(), failedInFlight, TimeUnit.NANOSECONDS.toMillis(slowest), sentAfterKill, TimeUnit.NANOSECONDS.toMillis(slowestAfterKill),
                        reclaimedMillis, droppedMillis,
                        toK.size(), reportA.getJsonObject("requests").getJsonObject("K").getJsonObject("failed").encode(), requestsToB.getLong("ok"),
                        receivedAtB.getJsonObject(a.incarnation() + "|send").getLong("received"), receivedAtA.getJsonObject(incarnationB + "|send").getLong("received"),
                        afterRestart.size(), resumedAfterMillis);
                    k2.close();
                }
                b.close();
            }
            BusHook hook = HookRegistry.hookOf(vertxA);
            Await.until("A has no request left waiting", Duration.ofSeconds(10), () -> hook.pendingRequests() == 0);
        }
    }

    @Test
    void aFrozenNodeIsReportedByTheChannelLongBeforeTheClusterNotices() throws Exception {
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("freeze");
                 TestCluster cluster = TestCluster.empty("freeze")) {
            Vertx vertxA = cluster.addNode(new RdmaEventBusOptions().setProvider("soft"), bus -> { });
            TrafficNode a = new TrafficNode(vertxA, "A", 0);
            Await.result(a.start());
            try (TrafficProcess f = TrafficProcess.start(cluster.name(), "F", 100, directory)) {
                f.awaitReady(START);
                assertTrue(TrafficNodeMain.probe(vertxA, "F", 60), "A reaches F");
                // A request timeout far above the bound: a request that ends within the bound was failed, not timed out.
                LoadRunner load = new LoadRunner(a, new JsonObject().put("peers", new JsonArray().add("F")).put("requestRate", 300).put("window", 32)
                    .put("timeoutMillis", 10_000).put("seconds", 300).put("keepLog", true));
                Future<JsonObject> loadDone = load.run();
                sleep(1_500);

                long frozenNanos = System.nanoTime();
                signal("STOP", f.pid());
                long sentBeforeFreeze = Await.result(load.snapshot()).getJsonObject("requests").getJsonObject("F").getLong("sent");
                try {
                    Await.until("every request sent to F before it froze ended", Duration.ofSeconds(15),
                        () -> load.log().stream().filter(r -> r.number() < sentBeforeFreeze).count() == sentBeforeFreeze);
                    assertTrue(((VertxInternal) vertxA).clusterManager().getNodes().contains(f.nodeId()), "the cluster still lists the frozen node");
                } finally {
                    f.kill();
                }
                load.stop();
                Await.result(loadDone, Duration.ofSeconds(60));

                List<LoadRunner.RequestRecord> inFlight = inFlightAt(load, frozenNanos);
                assertFalse(inFlight.isEmpty(), "requests were in flight to F when it froze");
                long slowest = 0;
                for (LoadRunner.RequestRecord request : inFlight) {
                    slowest = Math.max(slowest, request.doneNanos() - frozenNanos);
                    if (!request.outcome().equals("OK")) { // OK: F had answered just before it froze
                        assertEquals("ERROR", request.outcome(), "a request in flight to the frozen node");
                        assertTrue(request.failure().getMessage().contains("the channel to node " + f.nodeId() + " failed"), request.failure().getMessage());
                    }
                }
                long failedInFlight = inFlight.stream().filter(r -> !r.outcome().equals("OK")).count();
                assertTrue(failedInFlight > 0, "requests in flight to the frozen node failed");
                assertTrue(slowest <= DETECTION_BOUND_NANOS, "the last in-flight request to F ended " + TimeUnit.NANOSECONDS.toMillis(slowest) + " ms after it froze");
                System.out.printf("FIGURES freeze: inFlightAtFreeze=%d failedByChannelReport=%d slowestEndAfterFreezeMs=%d%n", inFlight.size(), failedInFlight,
                    TimeUnit.NANOSECONDS.toMillis(slowest));
            }
        }
    }

    private static List<LoadRunner.RequestRecord> inFlightAt(LoadRunner load, long instant) {
        return load.log().stream().filter(r -> r.sentNanos() < instant && r.doneNanos() > instant).collect(Collectors.toList());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    /** Every message reported written arrived, once, in order, and nothing else. */
    static void assertComplete(JsonObject sent, JsonObject received, String what) {
        assertTrue(received != null, what + ": nothing arrived");
        long written = sent.getLong("written");
        assertEquals(sent.getLong("sent"), written, what + ": every message was written: " + sent);
        assertEquals(written, received.getLong("received"), what + ": " + received);
        assertEquals(0, received.getLong("first"), what + ": " + received);
        assertEquals(written - 1, received.getLong("last"), what + ": " + received);
        assertEquals(0, received.getLong("missing"), what + ": " + received);
        assertEquals(0, received.getLong("duplicates"), what + ": " + received);
        assertEquals(0, received.getLong("reordered"), what + ": " + received);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
