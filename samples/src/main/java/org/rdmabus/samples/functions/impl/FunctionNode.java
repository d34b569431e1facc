package org.rdmabus.samples.functions.impl;

import static org.rdmabus.samples.impl.node.Blocking.await;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.rdmabus.samples.functions.Checkout;
import org.rdmabus.samples.functions.ClassicEndpoints;
import org.rdmabus.samples.impl.node.Blocking;
import org.rdmabus.samples.impl.node.LineProtocol;
import org.rdmabus.samples.impl.node.LoopbackCluster.ClusteredNode;
import org.rdmabus.samples.impl.node.LoopbackCluster;
import org.rdmabus.samples.impl.node.NodeArguments;
import org.rdmabus.samples.impl.node.NodeEvents;
import org.rdmabus.samples.impl.node.NodeMain;
import org.rdmabus.samples.impl.node.NodeWatchdog;
import org.rdmabus.samples.impl.node.PathReport;

/**
 * The main class of one function-runtime node JVM. It joins both clusters (one carried by rdmabus, one with rdmabus
 * disabled); a service node deploys its service on both and starts its classic responder; the runtime waits until
 * both services are reachable on both. Each reports ready, then answers the launcher's commands (see
 * {@link FunctionProtocol}) until told to exit or until stdin closes.
 */
public final class FunctionNode {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);
    private static final int PROGRESS_EVERY_ROUNDS = 10;

    private final FunctionNodeSpec spec;
    private final NodeEvents events;
    private volatile ClusteredNode rdmabus;
    private volatile ClusteredNode tcp;
    private ClassicResponder responder;

    private FunctionNode(FunctionNodeSpec spec, NodeEvents events) {
        this.spec = spec;
        this.events = events;
    }

    /**
     * @param args the node's arguments, see {@link FunctionNodeSpec#toArgs()}.
     */
    public static void main(String[] args) {
        NodeMain.run((events, commands) -> {
            FunctionNodeSpec spec = FunctionNodeSpec.fromArgs(args);
            NodeWatchdog.start(spec.maxLifetimeSeconds(), events);
            new FunctionNode(spec, events).run(commands);
        });
    }

    private void run(BufferedReader commands) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        try {
            step("joining the clusters");
            joinClusters();
            JsonObject ready = new JsonObject().put(FunctionProtocol.ROLE, spec.role().argument())
                .put(LineProtocol.PID, ProcessHandle.current().pid()).put(LineProtocol.NODE_ID, rdmabus.nodeId())
                .put(FunctionProtocol.RDMABUS, PathReport.of(rdmabus.vertx()).writeTo(new JsonObject()))
                .put(FunctionProtocol.TCP, PathReport.of(tcp.vertx()).writeTo(new JsonObject()));
            if (spec.role().isService()) {
                step("deploying the " + spec.role().argument() + " service");
                await(Future.all(rdmabus.vertx().deployVerticle(spec.role().serviceVerticle().orElseThrow()),
                    tcp.vertx().deployVerticle(spec.role().serviceVerticle().orElseThrow())), START_LIMIT,
                    "deploying the " + spec.role().argument() + " service");
                step("starting the classic responder");
                responder = ClassicResponder.start(spec.role().argument(), spec.role().model().orElseThrow());
                ready.put(FunctionProtocol.CLASSIC_PORT, responder.endpoint().getPort());
            } else {
                step("waiting until catalog and tax are reachable");
                for (ClusteredNode node : List.of(rdmabus, tcp)) {
                    Blocking.awaitConsumer(node, Checkout.CATALOG_ADDRESS, deadline);
                    Blocking.awaitConsumer(node, Checkout.TAX_ADDRESS, deadline);
                }
            }
            events.emit(LineProtocol.READY, ready);
            serve(commands);
        } finally {
            close();
        }
    }

    /**
     * Joins both clusters at once. The TCP one is built with rdmabus switched off by the system property, which
     * overrides every other setting and which the transport reads while the instance is built; it is put back
     * straight after, before the rdmabus-carried instance is built.
     */
    private void joinClusters() throws ExecutionException, TimeoutException, InterruptedException {
        Future<ClusteredNode> tcpNode;
        String enabled = System.getProperty(PathReport.ENABLED_PROPERTY);
        System.setProperty(PathReport.ENABLED_PROPERTY, "false");
        try {
            tcpNode = LoopbackCluster.start(spec.tcpCluster(), spec.tcpPort(), spec.tcpMembers());
        } finally {
            if (enabled == null) {
                System.clearProperty(PathReport.ENABLED_PROPERTY);
            } else {
                System.setProperty(PathReport.ENABLED_PROPERTY, enabled);
            }
        }
        Future<ClusteredNode> rdmabusNode =
            LoopbackCluster.start(spec.rdmabusCluster(), spec.rdmabusPort(), spec.rdmabusMembers());
        // Kept as soon as each joins, so that close() leaves both clusters even if the other fails.
        tcpNode.onSuccess(node -> tcp = node);
        rdmabusNode.onSuccess(node -> rdmabus = node);
        await(Future.all(tcpNode, rdmabusNode), START_LIMIT, "joining the clusters");
        tcp = tcpNode.result();
        rdmabus = rdmabusNode.result();
    }

    private void step(String step) {
        events.emit(LineProtocol.PROGRESS, new JsonObject().put(FunctionProtocol.STEP, step));
    }

    private void serve(BufferedReader commands) {
        try {
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                try {
                    JsonObject command = new JsonObject(line);
                    String name = String.valueOf(command.getString(LineProtocol.COMMAND));
                    if (LineProtocol.EXIT.equals(name)) {
                        return;
                    } else if (FunctionProtocol.RUN.equals(name) && spec.role() == FunctionRole.RUNTIME) {
                        measure(command);
                    } else {
                        events.error(new IllegalArgumentException("unknown command for the " + spec.role().argument()
                            + ": " + line));
                    }
                } catch (DecodeException e) {
                    events.error(new IllegalArgumentException("not a JSON command: " + line, e));
                } catch (IllegalArgumentException | ClassCastException | ClassicRdmaException e) {
                    events.error(e);
                }
            }
        } catch (IOException e) {
            // A broken pipe means the same as the end of input: the launcher is gone.
        }
    }

    private void measure(JsonObject command) {
        int invocations = required(command, FunctionProtocol.INVOCATIONS);
        int warmup = required(command, FunctionProtocol.WARMUP);
        Duration limit = Duration.ofMillis(required(command, FunctionProtocol.LIMIT_MILLIS));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ClassicEndpoints endpoints = new ClassicEndpoints(
            new InetSocketAddress(loopback, port(command, FunctionProtocol.CATALOG_PORT)),
            new InetSocketAddress(loopback, port(command, FunctionProtocol.TAX_PORT)));
        List<ColumnResult> columns;
        try (InvocationBench bench = new InvocationBench(rdmabus.vertx(), tcp.vertx(), endpoints)) {
            columns = bench.run(warmup, invocations, limit, rounds -> {
                if (rounds % PROGRESS_EVERY_ROUNDS == 0) {
                    events.emit(LineProtocol.PROGRESS, new JsonObject().put(FunctionProtocol.ROUNDS, rounds));
                }
            });
        }
        JsonArray encoded = new JsonArray(new ArrayList<>(columns.stream().map(ColumnResult::toJson).toList()));
        events.emit(FunctionProtocol.RESULT, new JsonObject().put(FunctionProtocol.COLUMNS, encoded));
    }

    private static int required(JsonObject command, String field) {
        Integer value = command.getInteger(field);
        if (value == null || value < 0) {
            throw new IllegalArgumentException("the run command needs a non-negative '" + field + "': "
                + command.encode());
        }
        return value;
    }

    private static int port(JsonObject command, String field) {
        int port = required(command, field);
        NodeArguments.checkPort(port);
        return port;
    }

    private void close() {
        if (responder != null) {
            responder.close();
        }
        for (ClusteredNode node : new ClusteredNode[] {rdmabus, tcp}) {
            if (node == null) {
                continue;
            }
            try {
                await(node.vertx().close(), CLOSE_LIMIT, "leaving the cluster");
            } catch (ExecutionException | TimeoutException e) {
                events.error(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
