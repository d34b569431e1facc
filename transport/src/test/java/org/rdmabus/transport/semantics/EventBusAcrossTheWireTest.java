package org.rdmabus.transport.semantics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.ChildJvmProcess;
import org.rdmabus.transport.testing.HazelcastTestConfig;
import org.rdmabus.transport.testing.LogCapture;
import org.rdmabus.transport.testing.ProviderUnderTest;
import org.rdmabus.transport.testing.SoftFabricDirectory;
import org.rdmabus.transport.testing.TestCluster;
import org.rdmabus.transport.testing.TestTimes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The event bus over the rdma provider between two kernels on a virtual wire, and a node killed mid-request. Runs only
 * in the two-VM set-up ({@code native/src/test/vm/run-eventbus-wire-test.sh}), as "server" in VM A (192.0.2.1) and
 * "client" in VM B (192.0.2.2), chosen by {@code RXE_VM_WIRE_ROLE}; Hazelcast binds to the wire addresses and joins
 * over TCP (no multicast).
 *
 * <ul>
 *   <li>VM A: a <em>keeper</em> node in the test JVM, consuming a numbered stream, and a <em>responder</em> node in a
 *       child JVM ({@link SemanticsNodeMain}) that echoes requests on one address and holds them unanswered on
 *       another;</li>
 *   <li>VM B: a <em>requester</em> node that streams numbers to the keeper without pause, has requests answered by
 *       the responder, then leaves ten requests held there;</li>
 *   <li>VM A kills the responder ({@code kill -9}) once it holds all ten, and says so over the control socket once
 *       the process is gone (until its exit has closed its device, the kernel keeps its queue pairs and they
 *       acknowledge like a live node's; under emulation that exit takes a good part of a second). Every held request,
 *       and every new request to the responder's addresses, must fail with a {@link ReplyException} within 2 s of
 *       that notice, none by its 30 s timeout; the keeper, the survivor, must have received the whole stream once
 *       and in order.</li>
 * </ul>
 * Every node is checked to run the rdma channel (else the test fails with its start-up line), and the traffic
 * between the survivors is checked to have taken it: their channels carried it and neither opened an event-bus TCP
 * connection to the other. The two JVMs coordinate over a plain TCP socket on the wire, outside the event bus, so the
 * coordination itself never counts as event-bus traffic.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventBusAcrossTheWireTest {

    private static final String ROLE = System.getenv("RXE_VM_WIRE_ROLE");
    private static final String SERVER = "192.0.2.1";
    private static final String CLIENT = "192.0.2.2";
    private static final String CLUSTER = "rdmabus-wire-eventbus";
    private static final int CONTROL_PORT = 18517;
    private static final String ECHO = "wire.echo";
    private static final String HOLD = "wire.hold";
    private static final String NUMBERS = "wire.numbers";
    private static final int HELD = 10;
    /** How fast requests to a killed node must fail: the goal the soft fabric meets in NodeKillTest. */
    private static final long FAIL_FAST_MILLIS = 2_000;
    private static final long REQUEST_TIMEOUT_MILLIS = 30_000;
    private static final Duration START = TestTimes.scaled(Duration.ofSeconds(120));
    private static final Duration ANSWER = TestTimes.scaled(Duration.ofSeconds(30));

    @Test
    void aNodeKilledMidRequestFailsItsRequestsFastAndTheSurvivorLosesNothing() throws Exception {
        assumeTrue(ROLE != null, "runs only in the two-VM wire set-up (native/src/test/vm/run-eventbus-wire-test.sh)");
        if (ROLE.equals("server")) {
            server();
        } else {
            client();
        }
    }

    /** VM A: the keeper here, the responder in a child JVM; kills the responder when the client holds requests there. */
    private void server() throws Exception {
        Vertx keeper = startNode(SERVER, "the keeper (VM A)");
        ReceivedLog numbers = new ReceivedLog();
        Await.result(keeper.eventBus().<Integer>consumer(NUMBERS, message -> numbers.recordNumber(message.body())).completion());
        try (SoftFabricDirectory directory = SoftFabricDirectory.create("wire");
             ChildJvmProcess responder = ChildJvmProcess.start("responder", SemanticsNodeMain.class,
                 List.of(CLUSTER, "responder", "rdma", SERVER, SERVER + "," + CLIENT), SemanticsNodeMain.PROTOCOL, directory);
             ServerSocket listener = new ServerSocket()) {
            String responderId = responder.await("READY", START).split(" ")[1];
            JsonObject stats = responder.askJson("STATS", "STATS", ANSWER);
            ProviderUnderTest.assertTook("rdma", "the responder (VM A, child JVM)", stats.getString("fabric"), stats.getString("status"));
            responder.ask("CONSUME echo " + ECHO + " echo", "CONSUMING", ANSWER);
            responder.ask("CONSUME held " + HOLD + " silent", "CONSUMING", ANSWER);

            listener.bind(new InetSocketAddress(SERVER, CONTROL_PORT));
            listener.setSoTimeout((int) START.multipliedBy(2).toMillis());
            try (Socket socket = listener.accept(); BufferedReader in = reader(socket); PrintWriter out = writer(socket)) {
                String requesterId = expect(in, "HELLO").split(" ")[1];
                out.println("NODES " + nodeId(keeper) + " " + responderId);

                expect(in, "HOLDING");
                long deadline = System.nanoTime() + ANSWER.toNanos();
                while (held(responder) < HELD && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(HELD, held(responder), "the responder holds every request before it is killed");
                responder.kill();
                assertFalse(responder.isAlive(), "the responder survived kill -9");
                out.println("KILLED");

                long sent = Long.parseLong(expect(in, "DONE").split(" ")[1]);
                Await.until("the keeper received the " + sent + " numbers sent", ANSWER, () -> numbers.summary().getLong("count") >= sent);
                Thread.sleep(300); // a duplicate would arrive right behind
                JsonObject summary = numbers.summary();
                JsonObject path = pathFrom(keeper, requesterId);
                out.println("CHECKED " + summary.copy().put("path", path).encode());
                assertStreamWhole(sent, summary);
                assertTrue(path.getLong("channelInbound") >= sent, "the keeper's channel brought in " + path + ", fewer than " + sent);
                assertFalse(path.getBoolean("tcpToPeer"), "the keeper opened an event-bus TCP connection to the requester");
                assertEquals("BYE", expect(in, "BYE"));
            }
        } finally {
            Await.result(keeper.close(), ANSWER);
        }
    }

    /** VM B: the requester; checks what the requests to the killed node and the stream to the keeper went through. */
    private void client() throws Exception {
        Vertx requester = startNode(CLIENT, "the requester (VM B)");
        try (Socket socket = connect(); BufferedReader in = reader(socket); PrintWriter out = writer(socket)) {
            out.println("HELLO " + nodeId(requester));
            String[] nodes = expect(in, "NODES").split(" ");
            String keeperId = nodes[1];
            for (String address : List.of(ECHO, HOLD, NUMBERS)) {
                assertTrue(Registrations.await(requester, address, 1, ANSWER), "the requester lists a consumer of " + address);
            }
            HookCounters counters = HookRegistry.hookOf(requester).counters();
            long channelSendsBefore = counters.channelSends();

            for (int i = 0; i < 20; i++) {
                Message<Object> reply = Await.result(requester.eventBus().request(ECHO, "hello " + i), ANSWER);
                assertEquals("hello " + i, reply.body());
                assertEquals("responder", reply.headers().get("echoed-by"));
            }
            AtomicInteger streamed = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            long streaming = requester.setPeriodic(5, id -> {
                if (!stop.get()) {
                    requester.eventBus().send(NUMBERS, streamed.getAndIncrement());
                }
            });

            List<Future<Message<Object>>> held = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                held.add(requester.eventBus().request(HOLD, "held " + i, new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MILLIS)));
            }
            out.println("HOLDING " + HELD);
            expect(in, "KILLED");
            long noticed = System.nanoTime();
            for (Future<Message<Object>> request : held) {
                assertFailsFast(request, noticed, "a request the responder held when it was killed");
            }
            // Requests sent after the kill: to the dead node while it is still listed, or NO_HANDLERS once it is not.
            for (String address : List.of(ECHO, HOLD)) {
                long sent = System.nanoTime();
                assertFailsFast(requester.eventBus().request(address, "after the kill", new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MILLIS)),
                    sent, "a request to " + address + " after the kill");
            }
            Thread.sleep(3_000); // the stream to the keeper goes on across the kill and after it
            stop.set(true);
            Thread.sleep(200); // a tick that passed the check has sent its number by now
            requester.cancelTimer(streaming);
            long sent = streamed.get();
            out.println("DONE " + sent);

            JsonObject checked = new JsonObject(expect(in, "CHECKED").substring("CHECKED ".length()));
            assertStreamWhole(sent, checked);
            assertTrue(counters.channelSends() - channelSendsBefore >= 20 + HELD + sent,
                "the requester's channel carried " + (counters.channelSends() - channelSendsBefore) + " messages, expected at least " + (20 + HELD + sent));
            assertFalse(TestCluster.tcpConnectionTargets(requester).contains(keeperId), "the requester opened an event-bus TCP connection to the keeper");
            out.println("BYE");
        } finally {
            Await.result(requester.close(), ANSWER);
        }
    }

    private static void assertFailsFast(Future<Message<Object>> request, long since, String what) {
        Throwable failure = Await.failure(request);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        ReplyException reply = assertInstanceOf(ReplyException.class, failure, what + " failed with " + failure);
        assertNotEquals(ReplyFailure.TIMEOUT, reply.failureType(), what + " waited for its timeout: " + reply);
        assertTrue(millis < FAIL_FAST_MILLIS, what + " failed after " + millis + " ms, not within " + FAIL_FAST_MILLIS + " ms: " + reply);
    }

    private static void assertStreamWhole(long sent, JsonObject summary) {
        assertEquals(sent, summary.getLong("count"), "numbers received: " + summary);
        assertEquals(sent, (long) summary.getInteger("distinct"), "lost or duplicated: " + summary);
        assertEquals(0L, summary.getLong("duplicates"), summary.encode());
        assertEquals(0L, summary.getLong("outOfOrder"), summary.encode());
    }

    /** The path of the keeper's traffic from the requester: what its channel brought in, and any TCP connection. */
    private static JsonObject pathFrom(Vertx keeper, String requesterId) {
        HookCounters counters = HookRegistry.hookOf(keeper).counters();
        return new JsonObject().put("channelInbound", counters.inboundDelivered())
            .put("tcpToPeer", TestCluster.tcpConnectionTargets(keeper).contains(requesterId));
    }

    private static int held(ChildJvmProcess responder) {
        return responder.askJson("SEEN held", "SEEN", ANSWER).getLong("count").intValue();
    }

    /** A clustered node on the wire over the rdma provider; fails with its start-up line when it is not on that channel. */
    private static Vertx startNode(String host, String who) {
        RdmaEventBus.configure(TestCluster.rdmabusOn().setProvider("rdma"));
        try (LogCapture startUp = new LogCapture()) {
            Vertx node = Await.result(Vertx.builder()
                .with(TestTimes.stretchBlockedThreadLimits(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(host).setPort(0))))
                .withClusterManager(new HazelcastClusterManager(HazelcastTestConfig.create(CLUSTER, host, List.of(SERVER, CLIENT))))
                .buildClustered(), START);
            ProviderUnderTest.assertTakes("rdma", who, node, startUp);
            return node;
        } finally {
            RdmaEventBus.configure(null);
        }
    }

    private static String nodeId(Vertx node) {
        return ((VertxInternal) node).clusterManager().getNodeId();
    }

    /** The server may still be starting its nodes: retry until it listens. */
    private static Socket connect() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.multipliedBy(2).toNanos();
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(SERVER, CONTROL_PORT), 1_000);
                socket.setSoTimeout((int) START.multipliedBy(2).toMillis());
                return socket;
            } catch (IOException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static String expect(BufferedReader in, String word) throws IOException {
        String line = in.readLine();
        assertTrue(line != null && (line.equals(word) || line.startsWith(word + " ")), "expected " + word + " from the other VM, got " + line);
        return line;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static PrintWriter writer(Socket socket) throws IOException {
        return new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }
}
