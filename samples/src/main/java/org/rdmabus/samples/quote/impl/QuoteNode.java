package org.rdmabus.samples.quote.impl;

import static org.rdmabus.samples.impl.node.Blocking.await;

import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.rdmabus.samples.impl.node.Blocking;
import org.rdmabus.samples.impl.node.LineProtocol;
import org.rdmabus.samples.impl.node.LoopbackCluster.ClusteredNode;
import org.rdmabus.samples.impl.node.LoopbackCluster;
import org.rdmabus.samples.impl.node.NodeEvents;
import org.rdmabus.samples.impl.node.NodeMain;
import org.rdmabus.samples.impl.node.NodeWatchdog;
import org.rdmabus.samples.impl.node.PathReport;
import org.rdmabus.samples.quote.GatewayVerticle;
import org.rdmabus.samples.quote.PricingVerticle;
import org.rdmabus.samples.quote.RiskVerticle;

/**
 * The main class of one quote-service node JVM. It joins the run's cluster, deploys its service's verticle, waits
 * until the service it calls is reachable, reports ready, then answers the launcher's commands (see
 * {@link QuoteProtocol}) until told to exit or until stdin closes, i.e. the launcher is gone.
 */
public final class QuoteNode {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private final QuoteNodeSpec spec;
    private final NodeEvents events;
    private final HopRecorder hops = new HopRecorder();

    private QuoteNode(QuoteNodeSpec spec, NodeEvents events) {
        this.spec = spec;
        this.events = events;
    }

    /**
     * @param args the node's arguments, see {@link QuoteNodeSpec#toArgs()}.
     */
    public static void main(String[] args) {
        NodeMain.run((events, commands) -> {
            QuoteNodeSpec spec = QuoteNodeSpec.fromArgs(args);
            NodeWatchdog.start(spec.maxLifetimeSeconds(), events);
            new QuoteNode(spec, events).run(commands);
        });
    }

    private void run(BufferedReader commands) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        step("joining the cluster");
        ClusteredNode node = await(LoopbackCluster.start(spec.clusterName(), spec.hazelcastPort(),
            spec.memberPorts()), START_LIMIT, "joining the cluster");
        try {
            VerticleBase service = service();
            step("deploying the " + spec.role().argument() + " service");
            await(node.vertx().deployVerticle(service), START_LIMIT, "deploying the " + spec.role().argument());
            Optional<String> downstream = spec.role().downstream();
            if (downstream.isPresent()) {
                step("waiting until " + downstream.get() + " is reachable");
                Blocking.awaitConsumer(node, downstream.get(), deadline);
            }
            JsonObject ready = new JsonObject().put(QuoteProtocol.ROLE, spec.role().argument())
                .put(LineProtocol.PID, ProcessHandle.current().pid()).put(LineProtocol.NODE_ID, node.nodeId());
            if (service instanceof GatewayVerticle gateway) {
                ready.put(QuoteProtocol.HTTP_PORT, gateway.actualPort());
            }
            events.emit(LineProtocol.READY, PathReport.of(node.vertx()).writeTo(ready));
            serve(commands);
        } finally {
            close(node);
        }
    }

    private void step(String step) {
        events.emit(LineProtocol.PROGRESS, new JsonObject().put(QuoteProtocol.STEP, step));
    }

    private VerticleBase service() {
        return switch (spec.role()) {
            case GATEWAY -> new GatewayVerticle(spec.httpPort(), hops::record);
            case PRICING -> new PricingVerticle();
            case RISK -> new RiskVerticle();
        };
    }

    private void serve(BufferedReader commands) {
        try {
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                try {
                    String command = String.valueOf(new JsonObject(line).getString(LineProtocol.COMMAND));
                    if (LineProtocol.EXIT.equals(command)) {
                        return;
                    } else if (QuoteProtocol.STATS.equals(command) && spec.role() == QuoteRole.GATEWAY) {
                        events.emit(QuoteProtocol.STATS, hops.interval().writeTo(new JsonObject()));
                    } else {
                        events.error(new IllegalArgumentException("unknown command for the " + spec.role().argument()
                            + ": " + line));
                    }
                } catch (DecodeException e) {
                    events.error(new IllegalArgumentException("not a JSON command: " + line, e));
                }
            }
        } catch (IOException e) {
            // A broken pipe means the same as the end of input: the launcher is gone.
        }
    }

    private void close(ClusteredNode node) {
        try {
            await(node.vertx().close(), CLOSE_LIMIT, "leaving the cluster");
        } catch (ExecutionException | TimeoutException e) {
            events.error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
