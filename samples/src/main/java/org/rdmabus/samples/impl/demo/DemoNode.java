package org.rdmabus.samples.impl.demo;

import static org.rdmabus.samples.impl.node.Blocking.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.node.Blocking;
import org.rdmabus.samples.impl.node.FreePorts;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.impl.node.LoopbackCluster.ClusteredNode;
import org.rdmabus.samples.impl.node.LoopbackCluster;
import org.rdmabus.samples.impl.node.NodeEvents;
import org.rdmabus.samples.impl.node.NodeMain;
import org.rdmabus.samples.impl.node.NodeWatchdog;
import org.rdmabus.samples.impl.node.PathReport;

/**
 * The main class of one demo node JVM. It joins the phase's cluster, then runs the demo's commands from stdin and
 * reports on stdout (see {@link NodeProtocol}) until told to exit or until stdin closes, i.e. the demo is gone: then
 * it stops whatever it is doing and leaves.
 */
public final class DemoNode {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Added to a command's own limit when waiting for it, so that the command reports its own time-out first. */
    private static final Duration LIMIT_MARGIN = Duration.ofSeconds(10);
    private static final int PROGRESS_STEPS = 10;

    private final NodeSpec spec;
    private final NodeEvents events;
    private final List<ClusteredNode> freshNodes = new ArrayList<>();
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    private final Thread commandThread = Thread.currentThread();
    private final AtomicBoolean closing = new AtomicBoolean();
    private ClusteredNode node;
    private RoundTrips roundTrips;

    private DemoNode(NodeSpec spec, NodeEvents events) {
        this.spec = spec;
        this.events = events;
    }

    /**
     * @param args the node's arguments, see {@link NodeSpec#toArgs()}.
     */
    public static void main(String[] args) {
        NodeMain.run((events, commands) -> {
            NodeSpec spec = NodeSpec.fromArgs(args);
            NodeWatchdog.start(spec.maxLifetimeSeconds(), events);
            DemoNode node = new DemoNode(spec, events);
            node.readCommands(commands);
            node.run();
        });
    }

    /** Reads stdin on its own thread, so that the demo's end interrupts even a running load. */
    private void readCommands(BufferedReader input) {
        Thread reader = new Thread(() -> {
            try {
                for (String line = input.readLine(); line != null; line = input.readLine()) {
                    commands.add(line);
                }
            } catch (IOException e) {
                // A broken pipe means the same as the end of input: the demo is gone.
            }
            if (!closing.get()) {
                commandThread.interrupt();
            }
        }, "rdmabus-demo-commands");
        reader.setDaemon(true);
        reader.start();
    }

    private void run() throws Exception {
        long begin = System.nanoTime();
        node = await(LoopbackCluster.start(spec.clusterName(), spec.hazelcastPort(), spec.memberPorts()),
            START_LIMIT, "joining the cluster");
        try {
            if (spec.role() == NodeRole.RESPONDER) {
                await(node.vertx().eventBus().<Buffer>consumer(NodeProtocol.ECHO_ADDRESS, DemoNode::echo)
                    .completion(), START_LIMIT, "registering the echo consumer");
            }
            roundTrips = new RoundTrips(node.vertx().getOrCreateContext(), node.vertx().eventBus(), REQUEST_TIMEOUT);
            events.emit(NodeProtocol.READY, PathReport.of(node.vertx()).writeTo(new JsonObject()
                .put(NodeProtocol.ROLE, spec.role().argument())
                .put(NodeProtocol.PID, ProcessHandle.current().pid())
                .put(NodeProtocol.NODE_ID, node.nodeId())
                .put(NodeProtocol.START_MILLIS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin))));
            serve();
        } finally {
            close();
        }
    }

    private void serve() {
        while (true) {
            try {
                JsonObject command = new JsonObject(commands.take());
                if (NodeProtocol.EXIT.equals(command.getString(NodeProtocol.COMMAND))) {
                    return;
                }
                handle(command);
            } catch (DecodeException | IllegalArgumentException | ExecutionException | TimeoutException e) {
                events.error(e);
            } catch (InterruptedException e) {
                // The demo is gone (stdin closed): stop the command and leave.
                return;
            }
        }
    }

    private void handle(JsonObject command) throws ExecutionException, TimeoutException, InterruptedException {
        String name = String.valueOf(command.getString(NodeProtocol.COMMAND));
        switch (name) {
            case NodeProtocol.ROUND_TRIPS -> roundTrips(command);
            case NodeProtocol.THROUGHPUT -> throughput(command);
            case NodeProtocol.FIRST_CONTACT -> firstContact(command);
            case NodeProtocol.FRESH_NODE -> freshNode(command);
            default -> throw new IllegalArgumentException("unknown command '" + name + "' for a "
                + spec.role().argument());
        }
    }

    private void roundTrips(JsonObject command) throws ExecutionException, TimeoutException, InterruptedException {
        requireRole(NodeRole.REQUESTER, command);
        String phase = requiredString(command, NodeProtocol.PHASE);
        long count = requiredLong(command, NodeProtocol.COUNT);
        Duration limit = Duration.ofMillis(requiredLong(command, NodeProtocol.LIMIT_MILLIS));
        Histogram histogram = command.getBoolean(NodeProtocol.RECORD, false) ? HistogramCodec.newHistogram() : null;
        LoadOutcome outcome = await(roundTrips.sequential(NodeProtocol.ECHO_ADDRESS, body(command), count, limit,
            histogram, progress(phase, count)), limit.plus(LIMIT_MARGIN), phase);
        JsonObject result = outcome.writeTo(new JsonObject().put(NodeProtocol.PHASE, phase));
        if (histogram != null) {
            result.put(NodeProtocol.HISTOGRAM, HistogramCodec.encode(histogram));
        }
        events.emit(NodeProtocol.RESULT, PathReport.of(node.vertx()).writeTo(result));
    }

    private void throughput(JsonObject command) throws ExecutionException, TimeoutException, InterruptedException {
        requireRole(NodeRole.REQUESTER, command);
        long count = requiredLong(command, NodeProtocol.COUNT);
        int inflight = (int) requiredLong(command, NodeProtocol.INFLIGHT);
        if (inflight < 1) {
            throw new IllegalArgumentException("inflight must be at least 1, not " + inflight);
        }
        Duration limit = Duration.ofMillis(requiredLong(command, NodeProtocol.LIMIT_MILLIS));
        LoadOutcome outcome = await(roundTrips.pipelined(NodeProtocol.ECHO_ADDRESS, body(command), count, inflight,
            limit, null, progress(NodeProtocol.THROUGHPUT, count)), limit.plus(LIMIT_MARGIN), NodeProtocol.THROUGHPUT);
        events.emit(NodeProtocol.RESULT, PathReport.of(node.vertx())
            .writeTo(outcome.writeTo(new JsonObject().put(NodeProtocol.PHASE, NodeProtocol.THROUGHPUT))));
    }

    /**
     * Times the first and the second request to a node this JVM never sent anything to. Before the first, it waits
     * (through the cluster manager only) until the node's consumer is visible, so that the time is the contact, not
     * the announcement's propagation; for TCP it includes opening the event-bus connection to that node.
     */
    private void firstContact(JsonObject command) throws ExecutionException, TimeoutException, InterruptedException {
        requireRole(NodeRole.REQUESTER, command);
        String address = requiredString(command, NodeProtocol.ADDRESS);
        Duration limit = Duration.ofMillis(requiredLong(command, NodeProtocol.LIMIT_MILLIS));
        long deadline = System.nanoTime() + limit.toNanos();
        Blocking.awaitConsumer(node, address, deadline);
        Buffer body = body(command);
        long first = await(roundTrips.single(address, body), REQUEST_TIMEOUT.plus(LIMIT_MARGIN), "first request");
        long second = await(roundTrips.single(address, body), REQUEST_TIMEOUT.plus(LIMIT_MARGIN), "second request");
        events.emit(NodeProtocol.RESULT, PathReport.of(node.vertx()).writeTo(new JsonObject()
            .put(NodeProtocol.PHASE, NodeProtocol.FIRST_CONTACT).put(NodeProtocol.ADDRESS, address)
            .put(NodeProtocol.FIRST_NANOS, first).put(NodeProtocol.SECOND_NANOS, second)));
    }

    /**
     * Starts another clustered node in this (warm) JVM with a consumer on a fresh address: a node that the requester
     * never contacted, whose code paths are already compiled, so the first request to it measures reaching a new
     * node rather than class loading.
     */
    private void freshNode(JsonObject command) throws ExecutionException, TimeoutException, InterruptedException {
        requireRole(NodeRole.RESPONDER, command);
        String address = requiredString(command, NodeProtocol.ADDRESS);
        Duration limit = Duration.ofMillis(requiredLong(command, NodeProtocol.LIMIT_MILLIS));
        long deadline = System.nanoTime() + limit.toNanos();
        int port = FreePorts.find(1).get(0);
        List<Integer> members = new ArrayList<>(spec.memberPorts());
        members.add(port);
        ClusteredNode fresh = await(LoopbackCluster.start(spec.clusterName(), port, members), limit, "a fresh node");
        freshNodes.add(fresh);
        await(fresh.vertx().eventBus().<Buffer>consumer(address, DemoNode::echo).completion(), limit,
            "registering " + address);
        // Partition migrations after a join would disturb the measurement that follows.
        while (!fresh.clusterManager().getHazelcastInstance().getPartitionService().isClusterSafe()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("the cluster did not settle after the fresh node joined");
            }
            Thread.sleep(20);
        }
        events.emit(NodeProtocol.FRESH_READY,
            new JsonObject().put(NodeProtocol.ADDRESS, address).put(NodeProtocol.NODE_ID, fresh.nodeId()));
    }

    private static void echo(Message<Buffer> request) {
        request.reply(request.body());
    }

    private LongConsumer progress(String phase, long total) {
        long step = Math.max(1, total / PROGRESS_STEPS);
        return done -> {
            if (done % step == 0 || done == total) {
                events.emit(NodeProtocol.PROGRESS, new JsonObject().put(NodeProtocol.PHASE, phase)
                    .put(NodeProtocol.DONE, done).put(NodeProtocol.TOTAL, total));
            }
        };
    }

    private void close() {
        closing.set(true);
        // An interrupt that announced the end of input must not cut the orderly close short.
        Thread.interrupted();
        List<Future<Void>> closed = new ArrayList<>();
        freshNodes.forEach(fresh -> closed.add(fresh.vertx().close()));
        if (node != null) {
            closed.add(node.vertx().close());
        }
        try {
            await(Future.join(closed), CLOSE_LIMIT, "leaving the cluster");
        } catch (ExecutionException | TimeoutException e) {
            events.error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireRole(NodeRole role, JsonObject command) {
        if (spec.role() != role) {
            throw new IllegalArgumentException("only a " + role.argument() + " runs " + command.encode());
        }
    }

    private static Buffer body(JsonObject command) {
        int payload = (int) requiredLong(command, NodeProtocol.PAYLOAD);
        if (payload < 0) {
            throw new IllegalArgumentException("payload must not be negative: " + payload);
        }
        byte[] bytes = new byte[payload];
        for (int i = 0; i < payload; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return Buffer.buffer(bytes);
    }

    private static String requiredString(JsonObject command, String field) {
        String value = command.getString(field);
        if (value == null) {
            throw new IllegalArgumentException("command without '" + field + "': " + command.encode());
        }
        return value;
    }

    private static long requiredLong(JsonObject command, String field) {
        Long value = command.getLong(field);
        if (value == null) {
            throw new IllegalArgumentException("command without '" + field + "': " + command.encode());
        }
        return value;
    }
}
