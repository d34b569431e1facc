package org.rdmabus.samples.impl.demo;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.demo.PhaseResult.FirstContact;
import org.rdmabus.samples.impl.node.ChildJvm;
import org.rdmabus.samples.impl.node.ChildProcessGuard;
import org.rdmabus.samples.impl.node.FreePorts;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.impl.node.NodeProcess;
import org.rdmabus.samples.impl.node.PathReport;
import org.rdmabus.samples.impl.node.SampleException;
import org.rdmabus.samples.impl.node.Units;

/**
 * Runs one phase: two fresh node JVMs in parallel, the warm-up, the measured round trips, the throughput load,
 * and the first request to each fresh node; then tells both nodes to exit.
 */
final class PhaseRunner {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration FRESH_NODE_LIMIT = Duration.ofSeconds(30);
    /** Added to a node command's own limit: the node reports its own time-out before the demo gives up on it. */
    private static final Duration MARGIN = Duration.ofSeconds(20);
    private static final Duration RETIRE_LIMIT = Duration.ofSeconds(20);
    private static final String FRESH_ADDRESS_PREFIX = "rdmabus.demo.fresh.";

    private final DemoSettings settings;
    private final String runId;
    private final ChildJvm jvm;
    private final ChildProcessGuard guard;
    private final Progress progress;
    /** The previous phase's nodes, told to exit: the next phase measures nothing until they are gone. */
    private final List<NodeProcess> retiring = new ArrayList<>();

    /**
     * @param settings what to run.
     * @param runId    unique per demo run: cluster names derive from it, so concurrent runs never merge.
     * @param jvm      builds the node JVMs' command lines.
     * @param guard    stops them, whatever happens.
     * @param progress where the phase reports its steps.
     */
    PhaseRunner(DemoSettings settings, String runId, ChildJvm jvm, ChildProcessGuard guard,
                Progress progress) {
        this.settings = settings;
        this.runId = runId;
        this.jvm = jvm;
        this.guard = guard;
        this.progress = progress;
    }

    /**
     * @param transport the phase.
     * @return what it measured. Its nodes have been told to exit, and may still be exiting.
     * @throws SampleException if a node fails, dies or is too slow.
     */
    PhaseResult run(Transport transport) {
        List<Integer> ports = FreePorts.find(2);
        String cluster = runId + "-" + transport.key();
        int lifetime = maxNodeLifetimeSeconds();
        long launched = System.nanoTime();
        NodeProcess requester = start(transport, new NodeSpec(NodeRole.REQUESTER, cluster, ports.get(0), ports,
            lifetime));
        NodeProcess responder = start(transport, new NodeSpec(NodeRole.RESPONDER, cluster, ports.get(1), ports,
            lifetime));

        progress.begin(transport, "starting 2 node JVMs (pids " + requester.pid() + ", " + responder.pid() + ")");
        JsonObject requesterReady = requester.await(NodeProtocol.READY, START_LIMIT, ignored -> { });
        progress.advance(1, 2);
        JsonObject responderReady = responder.await(NodeProtocol.READY, START_LIMIT, ignored -> { });
        progress.advance(2, 2);
        long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
        PathReport requesterPath = PathReport.fromJson(requesterReady);
        PathReport responderPath = PathReport.fromJson(responderReady);
        progress.end(String.format(Locale.ROOT, "joined in %.1f s; path: %s", startMillis / 1000.0,
            requesterPath.description()));
        guard.noteSharedMemory();
        awaitRetired();

        load(requester, transport, "warm-up: " + settings.warmup() + " round trips",
            roundTrips(NodeProtocol.WARMUP, settings.warmup(), false), settings.warmup());
        JsonObject latency = load(requester, transport, "measured: " + settings.requests() + " round trips",
            roundTrips(NodeProtocol.LATENCY, settings.requests(), true), settings.requests());
        Histogram histogram = decodeHistogram(required(latency, NodeProtocol.HISTOGRAM));
        JsonObject throughput = load(requester, transport,
            "throughput: " + settings.requests() + " requests, " + settings.inflight() + " in flight",
            command(NodeProtocol.THROUGHPUT).put(NodeProtocol.COUNT, settings.requests())
                .put(NodeProtocol.INFLIGHT, settings.inflight()), settings.requests());
        List<FirstContact> firstContacts = firstContacts(transport, requester, responder);

        guard.noteSharedMemory();
        JsonObject exit = new JsonObject().put(NodeProtocol.COMMAND, NodeProtocol.EXIT);
        requester.send(exit);
        responder.send(exit);
        retiring.add(requester);
        retiring.add(responder);
        return new PhaseResult(transport, requesterPath, responderPath, startMillis, histogram,
            outcome(latency), outcome(throughput), firstContacts);
    }

    /** Starts a node with {@code rdmabus.enabled} set for the phase, whatever the user's own setting. */
    private NodeProcess start(Transport transport, NodeSpec spec) {
        return jvm.start(transport.key() + "-" + spec.role().argument(), guard, DemoNode.class,
            Map.of(PathReport.ENABLED_PROPERTY, Boolean.toString(transport.rdmabusEnabled())), spec.toArgs());
    }

    private void awaitRetired() {
        long deadline = System.nanoTime() + RETIRE_LIMIT.toNanos();
        for (NodeProcess node : retiring) {
            if (!node.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                throw new SampleException("node '" + node.name() + "' (pid " + node.pid() + ") did not exit within "
                    + RETIRE_LIMIT.toSeconds() + " s of being told to");
            }
        }
        retiring.clear();
    }

    private JsonObject load(NodeProcess requester, Transport transport, String what, JsonObject command, long total) {
        progress.begin(transport, what);
        requester.send(command);
        JsonObject result = requester.await(NodeProtocol.RESULT, settings.loadLimit().plus(MARGIN),
            event -> progress.advance(event.getLong(NodeProtocol.DONE, 0L), total));
        LoadOutcome outcome = outcome(result);
        StringBuilder summary = new StringBuilder(
            String.format(Locale.ROOT, "%.1f s", outcome.elapsedNanos() / 1e9));
        if (NodeProtocol.THROUGHPUT.equals(result.getString(NodeProtocol.PHASE))) {
            summary.append(", ").append(Units.rate(outcome.requestsPerSecond()));
        }
        if (outcome.failed() > 0) {
            summary.append("; ").append(outcome.failed()).append(" FAILED, the first: ").append(outcome.firstFailure());
        }
        if (outcome.timedOut()) {
            summary.append("; STOPPED by the time limit after ").append(outcome.completed() + outcome.failed());
        }
        progress.end(summary.toString());
        return result;
    }

    private List<FirstContact> firstContacts(Transport transport, NodeProcess requester, NodeProcess responder) {
        int count = settings.freshNodes();
        progress.begin(transport, "first request to a new node: " + count + (count == 1 ? " node" : " nodes"));
        List<FirstContact> contacts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String address = FRESH_ADDRESS_PREFIX + i;
            responder.send(new JsonObject().put(NodeProtocol.COMMAND, NodeProtocol.FRESH_NODE)
                .put(NodeProtocol.ADDRESS, address).put(NodeProtocol.LIMIT_MILLIS, FRESH_NODE_LIMIT.toMillis()));
            responder.await(NodeProtocol.FRESH_READY, FRESH_NODE_LIMIT.plus(MARGIN), ignored -> { });
            requester.send(command(NodeProtocol.FIRST_CONTACT).put(NodeProtocol.ADDRESS, address));
            JsonObject result = requester.await(NodeProtocol.RESULT, FRESH_NODE_LIMIT.plus(MARGIN), ignored -> { });
            contacts.add(new FirstContact(address, requiredLong(result, NodeProtocol.FIRST_NANOS),
                requiredLong(result, NodeProtocol.SECOND_NANOS)));
            progress.advance(i, count);
        }
        List<String> firsts = contacts.stream()
            .map(contact -> Units.duration(contact.firstNanos(), Units.MICROS_TEXT)).toList();
        progress.end(String.join(", ", firsts));
        return contacts;
    }

    private JsonObject roundTrips(String phase, int count, boolean record) {
        return command(NodeProtocol.ROUND_TRIPS).put(NodeProtocol.PHASE, phase).put(NodeProtocol.COUNT, count)
            .put(NodeProtocol.RECORD, record);
    }

    private JsonObject command(String name) {
        return new JsonObject().put(NodeProtocol.COMMAND, name)
            .put(NodeProtocol.LIMIT_MILLIS, settings.loadLimit().toMillis())
            .put(NodeProtocol.PAYLOAD, settings.payload());
    }

    /** A watchdog limit for the nodes: far above what the phase can take, so only a wedged node meets it. */
    private int maxNodeLifetimeSeconds() {
        Duration phase = START_LIMIT
            .plus(settings.loadLimit().plus(MARGIN).multipliedBy(3))
            .plus(FRESH_NODE_LIMIT.plus(MARGIN).multipliedBy(2L * settings.freshNodes()));
        return (int) phase.toSeconds();
    }

    private static LoadOutcome outcome(JsonObject result) {
        try {
            return LoadOutcome.fromJson(result);
        } catch (IllegalArgumentException e) {
            throw new SampleException("a node sent a malformed result: " + e.getMessage(), e);
        }
    }

    private static Histogram decodeHistogram(String encoded) {
        try {
            return HistogramCodec.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new SampleException("a node sent a malformed histogram: " + e.getMessage(), e);
        }
    }

    private static String required(JsonObject event, String field) {
        String value = event.getString(field);
        if (value == null) {
            throw new SampleException("a node's result lacks '" + field + "': " + event.encode());
        }
        return value;
    }

    private static long requiredLong(JsonObject event, String field) {
        Long value = event.getLong(field);
        if (value == null) {
            throw new SampleException("a node's result lacks '" + field + "': " + event.encode());
        }
        return value;
    }
}
