package org.rdmabus.samples.ticker.impl;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * {@code rdmabus ticker}: starts a publisher and its subscriber JVMs (the last one slow), has the publisher publish
 * at a steady rate while each subscriber reports every second, then lets the subscribers drain, prints what each took
 * and stops the nodes.
 */
public final class Ticker {

    private static final String NAME = "rdmabus ticker";
    private static final String PUBLISHER = "publisher";
    private static final String SLOW = "slow";
    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(20);
    /** Beyond the publishing's own length: waiting for subscribers, late ticks, and draining. */
    private static final Duration MARGIN = Duration.ofSeconds(60);

    private final TickerSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final ShmJanitor janitor;
    /** Each subscriber's samples so far, by name then index. */
    private final Map<String, Map<Integer, JsonObject>> samples = new HashMap<>();
    private int printedRows;

    /**
     * @param settings what to run.
     * @param out      where the progress and the summary go.
     * @param err      where failures go.
     * @param janitor  what removes the shared-memory files the nodes leave behind.
     */
    public Ticker(TickerSettings settings, PrintStream out, PrintStream err, ShmJanitor janitor) {
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.janitor = janitor;
    }

    /**
     * Runs the ticker. Every node JVM it started is gone when this returns.
     *
     * @return what it did.
     */
    public TickerOutcome run() {
        int fastCount = settings.subscribers() - 1;
        out.printf(Locale.ROOT, "%s: 1 publisher -> %d subscriber JVMs (%d fast, 1 slow) on this host (Hazelcast on "
            + "127.0.0.1)%n", NAME, settings.subscribers(), fastCount);
        ChildProcessGuard guard = new ChildProcessGuard(NAME, janitor, KILL_GRACE, err);
        long published = 0;
        long publishNanos = 0;
        List<SubscriberResult> results = List.of();
        List<TickerOutcome.Throughput> throughput = List.of();
        Optional<String> failure = Optional.empty();
        try {
            Map<String, NodeProcess> nodes = start(guard);
            awaitReady(nodes);
            guard.noteSharedMemory();
            Map<String, NodeProcess> subscribers = new LinkedHashMap<>(nodes);
            NodeProcess publisher = subscribers.remove(PUBLISHER);
            JsonObject done = publish(publisher, subscribers);
            published = done.getLong(TickerProtocol.COUNT);
            publishNanos = done.getLong(TickerProtocol.NANOS);
            out.printf(Locale.ROOT, "published %,d ticks in %.1f s; the event bus never held the publisher back%n",
                published, publishNanos / 1e9);
            guard.noteSharedMemory();
            results = drain(subscribers, published);
            throughput = throughput(subscribers);
            out.println();
            TickerReport.summary(out, new TickerOutcome(published, publishNanos, results, throughput, List.of(),
                Set.of(), Optional.empty()), settings);
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
        return new TickerOutcome(published, publishNanos, results, throughput, guard.pids(), janitor.noted(),
            failure);
    }

    private Map<String, NodeProcess> start(ChildProcessGuard guard) {
        String cluster = String.format(Locale.ROOT, "rdmabus-ticker-%d-%08x", ProcessHandle.current().pid(),
            ThreadLocalRandom.current().nextInt());
        List<Integer> ports = FreePorts.find(settings.subscribers() + 1);
        int lifetime = (int) START_LIMIT.plus(settings.duration()).plus(MARGIN).plus(MARGIN).toSeconds();
        ChildJvm jvm = ChildJvm.ofCurrentJvm();
        Map<String, NodeProcess> nodes = new LinkedHashMap<>();
        List<TickerNodeSpec> specs = new ArrayList<>();
        specs.add(new TickerNodeSpec(TickerRole.PUBLISHER, PUBLISHER, cluster, ports.get(0), ports, 0, 0, lifetime));
        for (int i = 1; i < settings.subscribers(); i++) {
            specs.add(new TickerNodeSpec(TickerRole.FAST, "fast-" + i, cluster, ports.get(i), ports,
                settings.buffer(), 0, lifetime));
        }
        specs.add(new TickerNodeSpec(TickerRole.SLOW, SLOW, cluster, ports.get(settings.subscribers()), ports,
            settings.buffer(), Math.max(1, settings.slowWork().toNanos() / 1_000), lifetime));
        for (TickerNodeSpec spec : specs) {
            nodes.put(spec.name(), jvm.start(spec.name(), guard, TickerNode.class, Map.of(), spec.toArgs()));
        }
        out.print(NodeGroup.startingLine(nodes, name -> name));
        out.flush();
        return nodes;
    }

    private void awaitReady(Map<String, NodeProcess> nodes) {
        long begin = System.nanoTime();
        Map<String, JsonObject> ready = NodeGroup.awaitReady(nodes, START_LIMIT, POLL, null);
        out.printf(Locale.ROOT, "ready in %.1f s%nevent-bus path: %s%n", (System.nanoTime() - begin) / 1e9,
            PathReport.fromJson(ready.get(PUBLISHER)).description());
    }

    private JsonObject publish(NodeProcess publisher, Map<String, NodeProcess> subscribers) {
        out.printf(Locale.ROOT, "publishing %,d ticks at %,d/s for %d s; the slow subscriber works %s per tick; each "
            + "consumer buffers at most %,d%n", settings.ticks(), settings.rate(), settings.duration().toSeconds(),
            settings.slowWork().toMillis() > 0 ? settings.slowWork().toMillis() + " ms"
                : settings.slowWork().toNanos() / 1_000 + " us", settings.buffer());
        List<String> fast = subscribers.keySet().stream().filter(name -> !name.equals(SLOW)).toList();
        TickerReport.header(out, fast);
        JsonObject watch = new JsonObject().put(LineProtocol.COMMAND, TickerProtocol.WATCH);
        subscribers.values().forEach(node -> node.send(watch));
        publisher.send(new JsonObject().put(LineProtocol.COMMAND, TickerProtocol.PUBLISH)
            .put(TickerProtocol.COUNT, settings.ticks()).put(TickerProtocol.RATE, settings.rate())
            .put(TickerProtocol.SUBSCRIBERS, settings.subscribers()));
        long deadline = System.nanoTime() + settings.duration().plus(MARGIN).toNanos();
        while (true) {
            Optional<JsonObject> done = publisher.poll(TickerProtocol.PUBLISHED, POLL, ignored -> { });
            collect(subscribers);
            if (done.isPresent()) {
                return done.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw publisher.failure("did not finish publishing within " + settings.duration().plus(MARGIN)
                    .toSeconds() + " s");
            }
        }
    }

    private List<SubscriberResult> drain(Map<String, NodeProcess> subscribers, long published) {
        out.print("draining the subscribers ... ");
        out.flush();
        JsonObject drain = new JsonObject().put(LineProtocol.COMMAND, TickerProtocol.DRAIN)
            .put(TickerProtocol.PUBLISHED, published);
        subscribers.values().forEach(node -> node.send(drain));
        List<SubscriberResult> results = new ArrayList<>();
        for (Map.Entry<String, NodeProcess> subscriber : subscribers.entrySet()) {
            JsonObject report = subscriber.getValue().await(TickerProtocol.DRAINED, MARGIN,
                sample -> record(subscriber.getKey(), sample));
            TickerRole role = subscriber.getKey().equals(SLOW) ? TickerRole.SLOW : TickerRole.FAST;
            results.add(SubscriberResult.fromJson(subscriber.getKey(), role, report));
        }
        out.println("done");
        return results;
    }

    /** Takes the samples the subscribers sent so far, and prints every second all of them have reached. */
    private void collect(Map<String, NodeProcess> subscribers) {
        for (Map.Entry<String, NodeProcess> subscriber : subscribers.entrySet()) {
            subscriber.getValue().poll(TickerProtocol.DRAINED, Duration.ZERO,
                sample -> record(subscriber.getKey(), sample)).ifPresent(early -> {
                    throw subscriber.getValue().failure("reported before it was told to drain: " + early.encode());
                });
        }
        List<String> fast = subscribers.keySet().stream().filter(name -> !name.equals(SLOW)).toList();
        while (subscribers.keySet().stream().allMatch(name -> samples(name).containsKey(printedRows))) {
            int second = printedRows;
            List<Long> rates = fast.stream().map(name -> second == 0 ? null
                : received(name, second) - received(name, second - 1)).toList();
            JsonObject slow = samples(SLOW).get(second);
            TickerReport.row(out, second, rates, slow.getLong(TickerProtocol.RECEIVED, 0L),
                slow.getLong(TickerProtocol.HEAP_AFTER_GC, -1L));
            printedRows++;
        }
    }

    private void record(String subscriber, JsonObject sample) {
        Integer index = sample.getInteger(TickerProtocol.SAMPLE);
        if (index != null) {
            samples(subscriber).put(index, sample);
        }
    }

    private Map<Integer, JsonObject> samples(String subscriber) {
        return samples.computeIfAbsent(subscriber, ignored -> new HashMap<>());
    }

    private long received(String subscriber, int index) {
        return samples(subscriber).get(index).getLong(TickerProtocol.RECEIVED, 0L);
    }

    /** Each fast subscriber's ticks per second, from its samples taken while publishing and draining. */
    private List<TickerOutcome.Throughput> throughput(Map<String, NodeProcess> subscribers) {
        List<TickerOutcome.Throughput> rates = new ArrayList<>();
        for (String name : subscribers.keySet()) {
            if (name.equals(SLOW)) {
                continue;
            }
            List<Long> perSecond = new ArrayList<>();
            Map<Integer, JsonObject> own = samples(name);
            for (int i = 1; own.containsKey(i); i++) {
                perSecond.add(received(name, i) - received(name, i - 1));
            }
            rates.add(new TickerOutcome.Throughput(name, perSecond));
        }
        return rates;
    }

    private void stop(Map<String, NodeProcess> nodes, ChildProcessGuard guard) {
        out.print("stopping the node JVMs ... ");
        out.flush();
        JsonObject exit = new JsonObject().put(LineProtocol.COMMAND, LineProtocol.EXIT);
        nodes.values().forEach(node -> node.send(exit));
        guard.awaitExit(EXIT_LIMIT);
        out.println("done");
    }
}
