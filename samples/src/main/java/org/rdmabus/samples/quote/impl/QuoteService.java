package org.rdmabus.samples.quote.impl;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.node.ChildJvm;
import org.rdmabus.samples.impl.node.ChildProcessGuard;
import org.rdmabus.samples.impl.node.FreePorts;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.impl.node.LineProtocol;
import org.rdmabus.samples.impl.node.NodeGroup;
import org.rdmabus.samples.impl.node.NodeProcess;
import org.rdmabus.samples.impl.node.PathReport;
import org.rdmabus.samples.impl.node.SampleException;
import org.rdmabus.samples.impl.node.ShmJanitor;
import org.rdmabus.samples.quote.GatewayVerticle;
import org.rdmabus.samples.quote.Quote;

/**
 * {@code rdmabus quote-service}: starts the risk, pricing and gateway node JVMs on this host, tells the user how to
 * call the gateway, then either serves (printing each interval's per-hop latency) or runs the self-test; at the end
 * it prints every quote's per-hop latency and stops the nodes.
 */
public final class QuoteService {

    private static final String NAME = "rdmabus quote-service";
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    /** How long the launcher waits on one node before looking at the next while they start. */
    private static final Duration READY_POLL = Duration.ofMillis(100);
    private static final Duration STATS_LIMIT = Duration.ofSeconds(10);
    /** How long a node may take to exit after SIGTERM before it is killed. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    /** How long the nodes may take to leave the cluster and exit when told to. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(20);
    /** Added to a bounded run's length for the nodes' watchdog: only a wedged node meets it. */
    private static final Duration LIFETIME_MARGIN = Duration.ofSeconds(60);
    private static final int SHOWN_PROBLEMS = 3;

    private final QuoteSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final ShmJanitor janitor;
    /** Every quote the gateway reported; read by the shutdown hook too, so guarded by itself. */
    private final HopHistograms served = HopHistograms.empty();

    /**
     * @param settings what to run.
     * @param out      where the instructions, the latency reports and the summary go.
     * @param err      where failures go.
     * @param janitor  what removes the shared-memory files the nodes leave behind.
     */
    public QuoteService(QuoteSettings settings, PrintStream out, PrintStream err, ShmJanitor janitor) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.janitor = janitor;
    }

    /**
     * Runs the three nodes until the duration ends, the self-test is done, or Ctrl-C. Every node JVM it started is
     * gone when this returns.
     *
     * @return what it did.
     */
    public QuoteOutcome run() {
        out.println(NAME + ": gateway -> pricing -> risk, three node JVMs on this host (Hazelcast on "
            + GatewayVerticle.HOST + ")");
        ChildProcessGuard guard = new ChildProcessGuard(NAME, janitor, KILL_GRACE, err, this::printSoFar);
        List<QuoteCheck> checks = List.of();
        Optional<String> failure = Optional.empty();
        try {
            Map<QuoteRole, NodeProcess> nodes = start(guard);
            Ready ready = awaitReady(nodes);
            guard.noteSharedMemory();
            if (settings.selfTesting()) {
                checks = selfTest(ready, nodes.get(QuoteRole.GATEWAY));
                int planned = settings.warmup() + settings.selfTest();
                if (checks.size() < planned) {
                    failure = Optional.of("the self-test sent only " + checks.size() + " of " + planned
                        + " requests within " + settings.selfTestLimit().toSeconds() + " s");
                    err.println(NAME + ": " + failure.get());
                }
            } else {
                serve(nodes);
            }
            collect(nodes.get(QuoteRole.GATEWAY));
            out.println();
            synchronized (served) {
                HopReport.printSummary(out, served, roundTrips(checks));
            }
            guard.noteSharedMemory();
            stop(nodes, guard);
        } catch (SampleException | UncheckedIOException | IllegalArgumentException e) {
            failure = Optional.of(String.valueOf(e.getMessage()));
            // After Ctrl-C the nodes died of it: their failure is not news.
            if (!guard.stopping()) {
                err.println(NAME + " failed: " + e.getMessage());
            }
        } finally {
            guard.close();
            out.flush();
        }
        return new QuoteOutcome(checks, served, guard.pids(), janitor.noted(), failure);
    }

    private Map<QuoteRole, NodeProcess> start(ChildProcessGuard guard) {
        String cluster = String.format(Locale.ROOT, "rdmabus-quote-%d-%08x", ProcessHandle.current().pid(),
            ThreadLocalRandom.current().nextInt());
        List<Integer> ports = FreePorts.find(QuoteRole.values().length);
        ChildJvm jvm = ChildJvm.ofCurrentJvm();
        Map<QuoteRole, NodeProcess> nodes = new EnumMap<>(QuoteRole.class);
        for (QuoteRole role : QuoteRole.values()) {
            QuoteNodeSpec spec = new QuoteNodeSpec(role, cluster, ports.get(role.ordinal()), ports,
                role == QuoteRole.GATEWAY ? settings.port() : 0, maxNodeLifetimeSeconds());
            nodes.put(role, jvm.start(role.argument(), guard, QuoteNode.class, Map.of(), spec.toArgs()));
        }
        out.print(NodeGroup.startingLine(nodes, QuoteRole::argument));
        out.flush();
        return nodes;
    }

    /** What the launcher learns from the nodes' ready events. */
    private record Ready(URI quoteUri, Quote.Pids pids) {
    }

    private Ready awaitReady(Map<QuoteRole, NodeProcess> nodes) {
        long begin = System.nanoTime();
        Map<QuoteRole, JsonObject> ready = NodeGroup.awaitReady(nodes, START_LIMIT, READY_POLL, QuoteProtocol.STEP);
        JsonObject gateway = ready.get(QuoteRole.GATEWAY);
        out.printf(Locale.ROOT, "ready in %.1f s; event-bus path: %s%n", (System.nanoTime() - begin) / 1e9,
            PathReport.fromJson(gateway).description());
        Integer port = gateway.getInteger(QuoteProtocol.HTTP_PORT);
        if (port == null) {
            throw new SampleException("the gateway did not say its HTTP port: " + gateway.encode());
        }
        URI quoteUri = URI.create("http://" + GatewayVerticle.HOST + ":" + port + GatewayVerticle.PATH);
        out.println("gateway: " + quoteUri);
        out.println("try:     curl '" + quoteUri + "?symbol=ACME&qty=100'");
        out.flush();
        return new Ready(quoteUri, new Quote.Pids(pid(ready, QuoteRole.GATEWAY), pid(ready, QuoteRole.PRICING),
            pid(ready, QuoteRole.RISK)));
    }

    private List<QuoteCheck> selfTest(Ready ready, NodeProcess gateway) {
        // The client's own threads, ended with the self-test rather than left to the garbage collector.
        ExecutorService threads = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "rdmabus-quote-self-test");
            thread.setDaemon(true);
            return thread;
        });
        long deadline = System.nanoTime() + settings.selfTestLimit().toNanos();
        List<QuoteCheck> checks = new ArrayList<>();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(threads).build();
            SelfTest selfTest = new SelfTest(client, ready.quoteUri(), ready.pids());
            if (settings.warmup() > 0) {
                checks.addAll(phase(selfTest, true, "warm-up", settings.warmup(), deadline));
                // The gateway's record of the warm-up is not part of the figures.
                poll(gateway);
            }
            checks.addAll(phase(selfTest, false, "self-test", settings.selfTest(), deadline));
        } finally {
            threads.shutdownNow();
        }
        checks.stream().filter(check -> !check.passed()).limit(SHOWN_PROBLEMS)
            .forEach(check -> out.println("  WRONG " + check.request() + ": " + String.join("; ", check.problems())));
        if (!checks.isEmpty()) {
            // The last answer: a warm one, as most are.
            QuoteCheck last = checks.get(checks.size() - 1);
            out.println("  e.g. " + last.request().symbol() + " x " + last.request().qty() + " -> " + last.body());
        }
        return checks;
    }

    private List<QuoteCheck> phase(SelfTest selfTest, boolean warmup, String name, int count, long deadline) {
        out.printf(Locale.ROOT, "%-10s %,d requests, one at a time ", name + ":", count);
        out.flush();
        long begin = System.nanoTime();
        List<QuoteCheck> checks = selfTest.run(warmup, count, deadline, out);
        long passed = checks.stream().filter(QuoteCheck::passed).count();
        out.printf(Locale.ROOT, " %,d/%,d right in %.1f s%n", passed, count, (System.nanoTime() - begin) / 1e9);
        return checks;
    }

    private void serve(Map<QuoteRole, NodeProcess> nodes) {
        Optional<Duration> duration = settings.duration();
        out.printf(Locale.ROOT, "serving %s; per-hop latency every %d s when there are quotes:%n",
            duration.map(limit -> "for " + limit.toSeconds() + " s").orElse("until Ctrl-C"),
            settings.reportEvery().toSeconds());
        out.flush();
        long begin = System.nanoTime();
        while (true) {
            long waitNanos = settings.reportEvery().toNanos();
            if (duration.isPresent()) {
                long left = duration.get().toNanos() - (System.nanoTime() - begin);
                if (left <= 0) {
                    return;
                }
                waitNanos = Math.min(waitNanos, left);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            requireAlive(nodes);
            HopHistograms interval = collect(nodes.get(QuoteRole.GATEWAY));
            if (interval.count() > 0) {
                out.println(HopReport.intervalLine(LocalTime.now(), interval));
                out.flush();
            }
        }
    }

    private static void requireAlive(Map<QuoteRole, NodeProcess> nodes) {
        for (NodeProcess node : nodes.values()) {
            if (node.awaitExit(Duration.ZERO)) {
                throw new SampleException("the " + node.name() + " node (pid " + node.pid() + ") exited");
            }
        }
    }

    /** Asks the gateway for the quotes since the last time, and adds them to the run's. */
    private HopHistograms collect(NodeProcess gateway) {
        HopHistograms interval = poll(gateway);
        synchronized (served) {
            served.add(interval);
        }
        return interval;
    }

    /** Asks the gateway for the quotes since the last time. */
    private static HopHistograms poll(NodeProcess gateway) {
        gateway.send(new JsonObject().put(LineProtocol.COMMAND, QuoteProtocol.STATS));
        JsonObject stats = gateway.await(QuoteProtocol.STATS, STATS_LIMIT, ignored -> { });
        try {
            return HopHistograms.fromJson(stats);
        } catch (IllegalArgumentException e) {
            throw new SampleException("the gateway sent malformed stats: " + e.getMessage(), e);
        }
    }

    private void stop(Map<QuoteRole, NodeProcess> nodes, ChildProcessGuard guard) {
        out.print("stopping the node JVMs ... ");
        out.flush();
        JsonObject exit = new JsonObject().put(LineProtocol.COMMAND, LineProtocol.EXIT);
        nodes.values().forEach(node -> node.send(exit));
        guard.awaitExit(EXIT_LIMIT);
        out.println("done");
    }

    /** On Ctrl-C: what the gateway reported up to its last report; the nodes may be dying already. */
    private void printSoFar() {
        synchronized (served) {
            out.println();
            out.println("up to the last report:");
            HopReport.printSummary(out, served, Optional.empty());
        }
    }

    private static Optional<Histogram> roundTrips(List<QuoteCheck> checks) {
        if (checks.isEmpty()) {
            return Optional.empty();
        }
        Histogram histogram = HistogramCodec.newHistogram();
        checks.stream().filter(check -> !check.warmup())
            .forEach(check -> histogram.recordValue(HistogramCodec.clamp(check.roundTripNanos())));
        return Optional.of(histogram);
    }

    /** A watchdog limit for bounded runs, far above what they take; none when serving until Ctrl-C. */
    private int maxNodeLifetimeSeconds() {
        Optional<Duration> length = settings.selfTesting() ? Optional.of(settings.selfTestLimit())
            : settings.duration();
        return length.map(limit -> (int) START_LIMIT.plus(limit).plus(LIFETIME_MARGIN).toSeconds()).orElse(0);
    }

    private static long pid(Map<QuoteRole, JsonObject> ready, QuoteRole role) {
        Long pid = ready.get(role).getLong(LineProtocol.PID);
        if (pid == null) {
            throw new SampleException("the " + role.argument() + " did not say its pid: " + ready.get(role).encode());
        }
        return pid;
    }
}
