package org.rdmabus.transport.semantics;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaEventBusOptions;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.ChildJvmProcess;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.ProviderUnderTest;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.TestBodies;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.transport.testing.TestTimes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A representative subset of the clustered event-bus semantics with nodes in separate JVMs, with expectations that
 * do not depend on the transport: the same tests run with rdmabus on, over a channel provider that each subclass
 * names (the soft fabric, shared memory between the JVMs; the rdma provider, real verbs), and off (Vert.x's TCP).
 * Three nodes over Hazelcast on 127.0.0.1 share one cluster for the whole class: this JVM's node and two
 * {@link SemanticsNodeMain} children, started once with the same provider. Every test uses its own addresses.
 *
 * <p>Every test also proves the path its traffic took. With rdmabus on, every node, in every JVM, is first checked to
 * run the provider's channel (a node on TCP or on another fabric fails the class with its start-up line), the
 * children count what their channel delivered, and after each test no node holds an event-bus TCP connection or sent
 * a message over TCP; with it off, no node runs rdmabus and this node holds TCP connections to the children it
 * reached. A provider without a device here skips every test, visibly ({@link ProviderUnderTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
abstract class SeparateJvmSemanticsContract {

    private static final int CHILDREN = 2;
    private static final Duration START = TestTimes.scaled(Duration.ofSeconds(90));
    private static final Duration ANSWER = TestTimes.scaled(Duration.ofSeconds(30));
    private static final Duration PROPAGATION = TestTimes.scaled(Duration.ofSeconds(20));

    private SoftFabricDirectory directory;
    private TestCluster cluster;
    private final List<ChildJvmProcess> children = new ArrayList<>();
    private final List<String> childIds = new ArrayList<>();
    private final List<Long> deliveredBefore = new ArrayList<>();
    private long channelSendsBefore;
    private String skipped;

    /**
     * The channel provider every node of this class runs rdmabus over.
     *
     * @return {@code soft}, {@code rdma}, or {@code null} for rdmabus off (Vert.x's TCP)
     */
    abstract String provider();

    /** Whether rdmabus runs on the nodes of this class. */
    final boolean overChannel() {
        return provider() != null;
    }

    @BeforeAll
    void startNodes() {
        skipped = overChannel() ? ProviderUnderTest.skipReason(provider()) : null;
        if (skipped != null) {
            return; // every test reports the skip (a class-level skip would count as no tests at all)
        }
        directory = SoftFabricDirectory.create("sepjvm");
        cluster = TestCluster.empty(getClass().getSimpleName());
        RdmaEventBusOptions options = overChannel() ? TestCluster.rdmabusOn().setProvider(provider()) : TestCluster.rdmabusOff();
        try (LogCapture startUp = new LogCapture()) {
            cluster.addNode(options, bus -> { });
            if (overChannel()) {
                // Before any child starts: a node that is not on the provider's channel fails here, with its start-up line.
                ProviderUnderTest.assertTakes(provider(), "this JVM's node", node(), startUp);
            } else {
                assertFalse(RdmaEventBus.status(node()).isActive(), RdmaEventBus.status(node()).getDescription());
            }
        }
        TestBodies.register(bus());
        for (int i = 0; i < CHILDREN; i++) {
            String name = "c" + i;
            children.add(ChildJvmProcess.start(name, SemanticsNodeMain.class, List.of(cluster.name(), name, overChannel() ? provider() : "off"),
                SemanticsNodeMain.PROTOCOL, directory));
        }
        for (ChildJvmProcess child : children) {
            childIds.add(child.await("READY", START).split(" ")[1]);
        }
        if (overChannel()) {
            for (int i = 0; i < CHILDREN; i++) {
                JsonObject stats = stats(i);
                ProviderUnderTest.assertTook(provider(), "child " + i, stats.getString("fabric"), stats.getString("status"));
            }
        }
    }

    @AfterAll
    void stopNodes() {
        try {
            children.forEach(ChildJvmProcess::leave);
            children.forEach(ChildJvmProcess::close);
        } finally {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                if (directory != null) {
                    directory.close();
                }
            }
        }
    }

    @BeforeEach
    void countBefore() {
        assumeTrue(skipped == null, skipped);
        channelSendsBefore = cluster.channelSends();
        deliveredBefore.clear();
        for (int i = 0; i < CHILDREN; i++) {
            deliveredBefore.add(channelInbound(stats(i)));
        }
    }

    @AfterEach
    void checkThePathTaken() {
        if (skipped != null) {
            return;
        }
        HookCounters counters = cluster.counters(0);
        if (overChannel()) {
            assertEquals(Set.of(), cluster.tcpConnectionTargets(0), "this node opened event-bus TCP connections");
            assertEquals(0, counters.tcpSends(), counters.toString());
            assertEquals(0, counters.switchesToTcp(), counters.toString());
            assertEquals(0, counters.uncertainHandOvers(), counters.toString());
        } else {
            assertNull(counters, "rdmabus installed here although disabled");
        }
        for (int i = 0; i < CHILDREN; i++) {
            JsonObject stats = stats(i);
            assertEquals(overChannel(), stats.getBoolean("rdmabus"), "child " + i + ": " + stats);
            if (overChannel()) {
                assertEquals(new JsonArray(), stats.getJsonArray("tcpTargets"), "child " + i + " opened event-bus TCP connections: " + stats);
                assertEquals(0L, stats.getLong("tcpSends"), "child " + i + ": " + stats);
                assertEquals(0L, stats.getLong("switchesToTcp"), "child " + i + ": " + stats);
            } else {
                assertNull(stats.getLong("inboundDelivered"), "child " + i + " runs an rdmabus hook although disabled: " + stats);
            }
        }
    }

    /**
     * At least this many messages from this node reached a child over the expected path: with rdmabus on, this node's
     * channel accepted them and the child's channel handed them to its event bus; with it off, over a TCP connection.
     */
    void assertReachedOverThePath(int child, long atLeast) {
        if (overChannel()) {
            Await.until("this node's channel carried at least " + atLeast + " messages", TestTimes.scaled(Duration.ofSeconds(10)),
                () -> cluster.channelSends() - channelSendsBefore >= atLeast);
            long delivered = channelInbound(stats(child)) - deliveredBefore.get(child);
            assertTrue(delivered >= atLeast, "child " + child + "'s channel brought in " + delivered + ", expected at least " + atLeast);
        } else {
            assertEquals(0, cluster.channelSends() - channelSendsBefore);
            assertTrue(cluster.tcpConnectionTargets(0).contains(childIds.get(child)), "no TCP connection to child " + child);
        }
    }

    /** What a child's channel brought in for its event bus: delivered, or answered with an error when undecodable. */
    static long channelInbound(JsonObject stats) {
        return stats.getLong("inboundDelivered", 0L) + stats.getLong("inboundDecodingFailures", 0L);
    }

    Vertx node() {
        return cluster.node(0);
    }

    EventBus bus() {
        return node().eventBus();
    }

    static String address(String name) {
        return name + "-" + UUID.randomUUID();
    }

    /** Registers a consumer with a behaviour in a child and returns the tag of its log. */
    String consume(int child, String address, String behaviour) {
        String tag = "t" + UUID.randomUUID();
        assertEquals(tag, children.get(child).ask("CONSUME " + tag + " " + address + " " + behaviour, "CONSUMING", ANSWER));
        return tag;
    }

    JsonObject seen(int child, String tag) {
        return children.get(child).askJson("SEEN " + tag, "SEEN", ANSWER);
    }

    /** Polls a child's log until it counted at least so many messages; returns the log. */
    JsonObject awaitSeen(int child, String tag, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject log = seen(child, tag);
        while (log.getLong("count") < count && System.nanoTime() < deadline) {
            sleep(20);
            log = seen(child, tag);
        }
        assertTrue(log.getLong("count") >= count, "child " + child + " saw " + log.getLong("count") + " of " + count + " messages");
        return log;
    }

    JsonObject stats(int child) {
        return children.get(child).askJson("STATS", "STATS", ANSWER);
    }

    JsonObject requestFrom(int child, String address, String body, long timeoutMillis) {
        return children.get(child).askJson("REQUEST " + timeoutMillis + " " + address + " " + body, "REPLIED", Duration.ofMillis(timeoutMillis).plus(ANSWER));
    }

    void awaitRegistrations(String address, int count) {
        assertTrue(Registrations.await(node(), address, count, PROPAGATION), "this node lists " + count + " consumers of " + address);
    }

    static ReplyException replyFailure(Future<?> future) {
        return assertInstanceOf(ReplyException.class, Await.failure(future));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void sendReachesAConsumerInAnotherJvmWithBodyAndHeadersIntact() {
        String address = address("send");
        String tag = consume(0, address, "echo");
        awaitRegistrations(address, 1);
        bus().send(address, "hello över there", new DeliveryOptions().addHeader("a", "1").addHeader("a", "2").addHeader("b", "x y"));
        JsonObject log = awaitSeen(0, tag, 1, ANSWER);
        assertEquals(new JsonObject().put("class", String.class.getName()).put("value", "hello över there"), log.getJsonArray("bodies").getJsonObject(0));
        assertEquals(new JsonObject().put("a", new JsonArray().add("1").add("2")).put("b", new JsonArray().add("x y")), log.getJsonObject("headers"));
        assertReachedOverThePath(0, 1);
    }

    @Test
    void requestReplyAndReplyToAReplyAcrossJvms() {
        String echo = address("echo");
        consume(1, echo, "echo");
        awaitRegistrations(echo, 1);
        Message<Object> reply = Await.result(bus().request(echo, "question", new DeliveryOptions().addHeader("h", "v")));
        assertEquals("question", reply.body());
        assertEquals("c1", reply.headers().get("echoed-by"));
        assertEquals("v", reply.headers().get("h"));

        String ping = address("ping");
        String pingTag = consume(1, ping, "ping");
        awaitRegistrations(ping, 1);
        Message<Object> pong = Await.result(bus().request(ping, "ping"));
        assertEquals("pong:c1", pong.body());
        pong.reply("done");
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (seen(1, pingTag).getString("replyToReply") == null && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertEquals("done", seen(1, pingTag).getString("replyToReply"));

        // Between the two children: neither end in this JVM.
        assertEquals("ok", children.get(0).ask("AWAIT " + echo + " 1", "AWAITED", ANSWER));
        JsonObject betweenChildren = requestFrom(0, echo, "child-to-child", 10_000);
        assertEquals(true, betweenChildren.getBoolean("ok"), betweenChildren.encode());
        assertEquals("child-to-child", betweenChildren.getString("body"));
        assertEquals("c1", betweenChildren.getString("echoedBy"));
        assertReachedOverThePath(1, 3);
    }

    @Test
    void publishReachesEveryConsumerInEveryJvmExactlyOnce() {
        String address = address("publish");
        List<Object> here = new CopyOnWriteArrayList<>();
        Await.result(bus().consumer(address, message -> here.add(message.body())).completion());
        Map<Integer, List<String>> tags = Map.of(0, List.of(consume(0, address, "silent"), consume(0, address, "silent")), 1, List.of(consume(1, address, "silent")));
        awaitRegistrations(address, 4);
        bus().publish(address, "from-parent");
        assertEquals("ok", children.get(0).ask("AWAIT " + address + " 4", "AWAITED", ANSWER));
        assertEquals("", children.get(0).ask("PUBLISH " + address + " from-c0", "PUBLISHED", ANSWER));

        Set<String> expected = Set.of("from-parent", "from-c0");
        Await.until("both publishes here", ANSWER, () -> here.size() >= 2);
        tags.forEach((child, childTags) -> childTags.forEach(tag -> awaitSeen(child, tag, 2, ANSWER)));
        sleep(300); // a duplicate would arrive right behind
        assertEquals(2, here.size(), here.toString());
        assertEquals(expected, Set.copyOf(here));
        tags.forEach((child, childTags) -> childTags.forEach(tag -> {
            JsonObject log = seen(child, tag);
            assertEquals(2L, log.getLong("count"), "child " + child + ": " + log);
            assertEquals(expected, log.getJsonArray("bodies").stream().map(body -> ((JsonObject) body).getString("value")).collect(Collectors.toSet()));
        }));
        assertReachedOverThePath(0, 1);
        assertReachedOverThePath(1, 1);
    }

    @Test
    void aUserCodecAndJsonObjectCrossJvmsBothWays() {
        String address = address("codecs");
        String tag = consume(0, address, "echo");
        awaitRegistrations(address, 1);

        TestBodies.Pojo pojo = new TestBodies.Pojo("user ü", 5);
        Object pojoBack = Await.result(bus().request(address, pojo)).body();
        assertEquals(TestBodies.Pojo.class, pojoBack.getClass());
        assertEquals(pojo, pojoBack);
        assertEquals(new JsonObject().put("class", TestBodies.Pojo.class.getName()).put("value", pojo.toString()), seen(0, tag).getJsonArray("bodies").getJsonObject(0));

        JsonObject json = new JsonObject().put("k", "v").put("n", 1).put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").addNull()));
        Object jsonBack = Await.result(bus().request(address, json)).body();
        assertEquals(JsonObject.class, jsonBack.getClass());
        assertEquals(json, jsonBack);
        assertEquals(new JsonObject().put("class", JsonObject.class.getName()).put("value", json), seen(0, tag).getJsonArray("bodies").getJsonObject(1));
        assertReachedOverThePath(0, 2);
    }

    @Test
    void anUnregisteredCodecFailsTheSenderAndOneUnknownToTheChildFailsTheRequest() {
        String address = address("unknown-codec");
        String tag = consume(0, address, "echo");
        awaitRegistrations(address, 1);
        DeliveryOptions unregistered = new DeliveryOptions().setCodecName("never-registered-" + UUID.randomUUID());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> bus().request(address, "x", unregistered));
        assertTrue(refused.getMessage().startsWith("No message codec"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus().send(address, "x", unregistered));

        String codec = "only-in-the-parent-" + UUID.randomUUID();
        bus().registerCodec(new TestBodies.NamedStringCodec(codec));
        try {
            ReplyException failure = replyFailure(bus().request(address, "x", new DeliveryOptions().setCodecName(codec)));
            assertEquals(ReplyFailure.ERROR, failure.failureType());
            assertTrue(failure.getMessage().contains(codec), failure.getMessage());
        } finally {
            bus().unregisterCodec(codec);
        }
        assertEquals(0L, seen(0, tag).getLong("count"), "a message was delivered");
        assertReachedOverThePath(0, 1);
    }

    @Test
    void failInAChildReachesTheRequesterAsRecipientFailure() {
        String address = address("fail");
        consume(1, address, "fail");
        awaitRegistrations(address, 1);
        ReplyException failure = replyFailure(bus().request(address, "x"));
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, failure.failureType());
        assertEquals(42, failure.failureCode());
        assertEquals("boom from c1", failure.getMessage());

        // And from one child to the other.
        assertEquals("ok", children.get(0).ask("AWAIT " + address + " 1", "AWAITED", ANSWER));
        JsonObject betweenChildren = requestFrom(0, address, "x", 10_000);
        assertEquals(false, betweenChildren.getBoolean("ok"), betweenChildren.encode());
        assertEquals("RECIPIENT_FAILURE", betweenChildren.getString("type"));
        assertEquals(42, betweenChildren.getInteger("code"));
        assertEquals("boom from c1", betweenChildren.getString("message"));
        assertReachedOverThePath(1, 1);
    }

    @Test
    void noHandlersFailsFastInEveryJvmInsteadOfTimingOut() {
        String nobody = address("nobody");
        long start = System.nanoTime();
        ReplyException failure = replyFailure(bus().request(nobody, "x", new DeliveryOptions().setSendTimeout(30_000)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ReplyFailure.NO_HANDLERS, failure.failureType());
        assertTrue(millis < 10_000, "NO_HANDLERS took " + millis + " ms, like a timeout");

        JsonObject inChild = requestFrom(1, nobody, "x", 30_000);
        assertEquals("NO_HANDLERS", inChild.getString("type"), inChild.encode());
        assertTrue(inChild.getLong("millis") < 10_000, "NO_HANDLERS took " + inChild.getLong("millis") + " ms in the child, like a timeout");
    }

    @Test
    void aSilentConsumerInAChildLetsTheRequestTimeOut() {
        String address = address("silent");
        String tag = consume(1, address, "silent");
        awaitRegistrations(address, 1);
        long start = System.nanoTime();
        ReplyException failure = replyFailure(bus().request(address, "x", new DeliveryOptions().setSendTimeout(1_000)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(ReplyFailure.TIMEOUT, failure.failureType());
        assertTrue(millis >= 900, "the request ended after " + millis + " ms, before its timeout");
        assertEquals(1L, seen(1, tag).getLong("count"), "the silent consumer got the request");
        assertReachedOverThePath(1, 1);
    }

    @Test
    void tenThousandMessagesFromOneSenderReachAChildInOrder() {
        String address = address("numbers");
        String tag = consume(1, address, "numbers");
        awaitRegistrations(address, 1);
        int count = 10_000;
        Promise<Void> sent = Promise.promise();
        node().getOrCreateContext().runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                bus().send(address, i);
            }
            sent.complete();
        });
        Await.result(sent.future());
        awaitSeen(1, tag, count, TestTimes.scaled(Duration.ofSeconds(60)));
        sleep(200); // a duplicate would arrive right behind
        JsonObject log = seen(1, tag);
        assertEquals(count, log.getLong("count"), log.encode());
        assertEquals(count, log.getInteger("distinct"), "lost or duplicated: " + log.encode());
        assertEquals(0L, log.getLong("duplicates"), log.encode());
        assertEquals(-1L, log.getLong("firstOutOfOrder"), log.encode());
        assertEquals(0L, log.getLong("outOfOrder"), log.encode());
        assertEquals((long) count * (count - 1) / 2, log.getLong("sum"), log.encode());
        assertReachedOverThePath(1, count);
    }

    @Test
    void aOneMebibyteBodyCrossesJvmsIntactBothWays() {
        String address = address("big");
        String tag = consume(0, address, "echo");
        awaitRegistrations(address, 1);
        byte[] bytes = new byte[1 << 20];
        new Random(42).nextBytes(bytes);
        Buffer body = Buffer.buffer(bytes);
        long crc = ReceivedLog.crc(body);
        Buffer back = (Buffer) Await.result(bus().request(address, body, new DeliveryOptions().setSendTimeout(60_000)), Duration.ofSeconds(60)).body();
        JsonObject received = seen(0, tag).getJsonArray("bodies").getJsonObject(0);
        assertEquals(bytes.length, received.getInteger("length"), "the length the child received");
        assertEquals(crc, received.getLong("crc"), "the CRC-32 of what the child received");
        assertEquals(bytes.length, back.length());
        assertEquals(crc, ReceivedLog.crc(back), "the echoed body's CRC-32");
        assertReachedOverThePath(0, 1);
    }
}
