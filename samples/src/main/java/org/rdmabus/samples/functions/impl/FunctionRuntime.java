package org.rdmabus.samples.functions.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.rdmabus.samples.impl.node.ChildJvm;
import org.rdmabus.samples.impl.node.ChildProcessGuard;
import org.rdmabus.samples.impl.node.FreePorts;
import org.rdmabus.samples.impl.node.LineProtocol;
import org.rdmabus.samples.impl.node.NodeGroup;
import org.rdmabus.samples.impl.node.NodeProcess;
import org.rdmabus.samples.impl.node.PathReport;
import org.rdmabus.samples.impl.node.SampleException;
import org.rdmabus.samples.impl.node.ShmJanitor;

/**
 * {@code rdmabus function-runtime}: starts the catalog, tax and runtime node JVMs, has the runtime invoke the
 * checkout function in the three modes, prints the columns side by side, and stops the nodes.
 */
public final class FunctionRuntime {

    private static final String NAME = "rdmabus function-runtime";
    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final Duration READY_POLL = Duration.ofMillis(100);
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(20);
    /** Added to the rounds' time limit for the result: the last round, and the report's encoding. */
    private static final Duration RESULT_MARGIN = InvocationBench.INVOCATION_LIMIT.multipliedBy(6).plusSeconds(30);
    private static final Duration LIFETIME_MARGIN = Duration.ofSeconds(60);
    private static final int DOTS = 10;

    private final FunctionSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final ShmJanitor janitor;

    /**
     * @param settings what to run.
     * @param out      where the progress and the table go.
     * @param err      where failures go.
     * @param janitor  what removes the shared-memory files the nodes leave behind.
     */
    public FunctionRuntime(FunctionSettings settings, PrintStream out, PrintStream err, ShmJanitor janitor) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.janitor = janitor;
    }

    /**
     * Runs the comparison. Every node JVM it started is gone when this returns.
     *
     * @return what it did.
     */
    public FunctionOutcome run() {
        out.println(NAME + ": a fresh verticle per invocation, calling catalog and tax on two other node JVMs "
            + "(Hazelcast on 127.0.0.1)");
        ChildProcessGuard guard = new ChildProcessGuard(NAME, janitor, KILL_GRACE, err);
        List<ColumnResult> columns = List.of();
        Optional<String> failure = Optional.empty();
        try {
            Map<FunctionRole, NodeProcess> nodes = start(guard);
            Map<FunctionRole, JsonObject> ready = awaitReady(nodes);
            guard.noteSharedMemory();
            columns = measure(nodes.get(FunctionRole.RUNTIME), ready, guard);
            out.println();
            RuntimeReport.print(out, columns, settings.invocations());
            guard.noteSharedMemory();
            stop(nodes, guard);
        } catch (SampleException | UncheckedIOException | IllegalArgumentException e) {
            failure = Optional.of(String.valueOf(e.getMessage()));
            if (!guard.stopping()) {
                err.println(NAME + " failed: " + e.getMessage());
            }
        } finally {
            guard.close();
            out.flush();
        }
        return new FunctionOutcome(settings.invocations(), columns, guard.pids(), janitor.noted(), failure);
    }

    private Map<FunctionRole, NodeProcess> start(ChildProcessGuard guard) {
        String cluster = String.format(Locale.ROOT, "rdmabus-functions-%d-%08x", ProcessHandle.current().pid(),
            ThreadLocalRandom.current().nextInt());
        int count = FunctionRole.values().length;
        List<Integer> ports = FreePorts.find(2 * count);
        List<Integer> rdmabusPorts = ports.subList(0, count);
        List<Integer> tcpPorts = ports.subList(count, 2 * count);
        ChildJvm jvm = ChildJvm.ofCurrentJvm();
        Map<FunctionRole, NodeProcess> nodes = new EnumMap<>(FunctionRole.class);
        for (FunctionRole role : FunctionRole.values()) {
            FunctionNodeSpec spec = new FunctionNodeSpec(role, cluster, rdmabusPorts.get(role.ordinal()), rdmabusPorts,
                tcpPorts.get(role.ordinal()), tcpPorts, maxNodeLifetimeSeconds());
            nodes.put(role, jvm.start(role.argument(), guard, FunctionNode.class, Map.of(), spec.toArgs()));
        }
        out.print(NodeGroup.startingLine(nodes, FunctionRole::argument));
        out.flush();
        return nodes;
    }

    private Map<FunctionRole, JsonObject> awaitReady(Map<FunctionRole, NodeProcess> nodes) {
        long begin = System.nanoTime();
        Map<FunctionRole, JsonObject> ready = NodeGroup.awaitReady(nodes, START_LIMIT, READY_POLL, FunctionProtocol.STEP);
        out.printf(Locale.ROOT, "ready in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        JsonObject runtime = ready.get(FunctionRole.RUNTIME);
        out.println("  runtime's rdmabus-carried Vert.x: " + path(runtime, FunctionProtocol.RDMABUS).description());
        out.println("  runtime's other Vert.x:           " + path(runtime, FunctionProtocol.TCP).description());
        if (path(runtime, FunctionProtocol.TCP).overRdma()) {
            throw new SampleException("the runtime's TCP instance is carried by rdmabus: the TCP column would not be "
                + "TCP");
        }
        out.flush();
        return ready;
    }

    private List<ColumnResult> measure(NodeProcess runtime, Map<FunctionRole, JsonObject> ready,
                                       ChildProcessGuard guard) {
        int rounds = settings.warmup() + settings.invocations();
        out.printf(Locale.ROOT, "invoking: %,d warm-up then %,d measured invocations per column, the columns taking "
            + "turns ", settings.warmup(), settings.invocations());
        out.flush();
        runtime.send(new JsonObject().put(LineProtocol.COMMAND, FunctionProtocol.RUN)
            .put(FunctionProtocol.INVOCATIONS, settings.invocations()).put(FunctionProtocol.WARMUP, settings.warmup())
            .put(FunctionProtocol.LIMIT_MILLIS, settings.timeLimit().toMillis())
            .put(FunctionProtocol.CATALOG_PORT, classicPort(ready, FunctionRole.CATALOG))
            .put(FunctionProtocol.TAX_PORT, classicPort(ready, FunctionRole.TAX)));
        long begin = System.nanoTime();
        int[] dots = {0};
        JsonObject result = runtime.await(FunctionProtocol.RESULT, settings.timeLimit().plus(RESULT_MARGIN),
            progress -> {
                // The classic instances' files come and go: note them while they exist.
                guard.noteSharedMemory();
                int done = progress.getInteger(FunctionProtocol.ROUNDS, 0);
                while (dots[0] < DOTS && done * DOTS >= (dots[0] + 1) * rounds) {
                    out.print('.');
                    dots[0]++;
                }
                out.flush();
            });
        JsonArray encoded = result.getJsonArray(FunctionProtocol.COLUMNS);
        if (encoded == null) {
            throw new SampleException("the runtime sent a result without columns: " + result.encode());
        }
        List<ColumnResult> columns = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            columns.add(ColumnResult.fromJson(encoded.getJsonObject(i)));
        }
        long right = columns.stream().mapToLong(ColumnResult::succeeded).sum();
        out.printf(Locale.ROOT, " %,d/%,d measured invocations right in %.1f s%n", right,
            (long) settings.invocations() * columns.size(), (System.nanoTime() - begin) / 1e9);
        return columns;
    }

    private void stop(Map<FunctionRole, NodeProcess> nodes, ChildProcessGuard guard) {
        out.print("stopping the node JVMs ... ");
        out.flush();
        JsonObject exit = new JsonObject().put(LineProtocol.COMMAND, LineProtocol.EXIT);
        nodes.values().forEach(node -> node.send(exit));
        guard.awaitExit(EXIT_LIMIT);
        out.println("done");
    }

    private static PathReport path(JsonObject ready, String field) {
        JsonObject path = ready.getJsonObject(field);
        if (path == null) {
            throw new SampleException("a node did not say its '" + field + "' path: " + ready.encode());
        }
        return PathReport.fromJson(path);
    }

    private static int classicPort(Map<FunctionRole, JsonObject> ready, FunctionRole role) {
        Integer port = ready.get(role).getInteger(FunctionProtocol.CLASSIC_PORT);
        if (port == null) {
            throw new SampleException("the " + role.argument() + " did not say its classic port: "
                + ready.get(role).encode());
        }
        return port;
    }

    /** A watchdog limit far above what the run takes: only a wedged node meets it. */
    private int maxNodeLifetimeSeconds() {
        return (int) START_LIMIT.plus(settings.timeLimit()).plus(RESULT_MARGIN).plus(LIFETIME_MARGIN).toSeconds();
    }
}
