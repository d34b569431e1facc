package org.rdmabus.bench.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaEventBus;

/**
 * The clustered event bus between two JVMs (Hazelcast on loopback): plain Vert.x TCP (NIO and epoll) next to
 * rdmabus in one run, plus RdmaChannel and, as the floor, Vert.x's in-JVM hop between two event loops
 * ({@link Mode}). For each mode: 64 B request/reply round trips (p50, p99, p99.9), throughput with a fixed number of
 * requests in flight, and the first request from warm JVMs to a node never contacted before; for rdmabus also
 * RdmaChannel request/reply. After each mode both nodes report what carried the traffic ({@link TrafficPath}); a mode
 * whose traffic took another path (rdmabus fallen back to TCP, another fabric, NIO instead of epoll) is marked in the
 * report and the run exits with status 1, as it does when a mode fails. Prints the figures and the ratios against
 * TCP, with the issues' goals.
 * <p>
 * {@code java -jar rdmabus-bench.jar eventbus [--warmup 20000] [--count 50000] [--round-trip-seconds 120]
 * [--seconds 5] [--in-flight 128] [--first 8] [--channel true] [--provider auto|soft|rdma]
 * [--modes TCP,TCP_EPOLL,RDMABUS,IN_JVM]}
 */
public final class EventBusBench {
    private static final int BODY = 64;
    private static final Duration REACH_LIMIT = Duration.ofSeconds(300);
    private static final long SETTLE_MILLIS = 1_000;
    private static final int FIRST_TRIES = 20;

    private EventBusBench() {
    }

    /**
     * @param args see the class comment.
     * @throws Exception if a phase fails.
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "none");
        }
        Map<Mode, Result> results = new EnumMap<>(Mode.class);
        Map<Mode, String> failures = new EnumMap<>(Mode.class);
        ResponderProcess responder = null;
        try {
            for (Mode mode : settings.modes) {
                System.err.println("== " + mode.label());
                long started = System.nanoTime();
                try {
                    if (mode.clustered()) {
                        // Started once, for the first clustered mode: JVM start-up is what emulation slows most.
                        responder = responder != null ? responder : new ResponderProcess();
                        results.put(mode, phase(mode, responder, settings));
                    } else {
                        results.put(mode, InJvmHop.run(settings, Load.body(BODY)));
                    }
                } catch (Exception e) {
                    // A failed mode must not cost the others' figures (a VM run is expensive): report it, and give
                    // the next mode a fresh responder, since this one may still hold the failed mode's node.
                    System.err.println("   FAILED: " + e);
                    e.printStackTrace();
                    failures.put(mode, String.valueOf(e));
                    if (responder != null) {
                        responder.close();
                        responder = null;
                    }
                }
                System.err.println("   (" + (System.nanoTime() - started) / 1_000_000_000 + " s)");
                leftBehind(mode);
            }
        } finally {
            if (responder != null) {
                responder.close();
            }
        }
        new Report(results, failures, settings.inFlight, settings.modes).print(System.out);
        boolean pathsHeld = results.values().stream().allMatch(result -> result.problems.isEmpty());
        System.exit(pathsHeld && failures.isEmpty() ? 0 : 1);
    }

    private static void leftBehind(Mode mode) {
        List<String> alive = BenchNodes.threadsAlive();
        if (!alive.isEmpty()) {
            System.err.println("   threads alive after " + mode.label() + " closed: " + alive);
        }
    }

    private static Result phase(Mode mode, ResponderProcess responder, Settings settings) throws Exception {
        String cluster = "rdmabus-bench-" + mode.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID();
        String provider = mode == Mode.RDMABUS ? settings.provider : null;
        Vertx requester = BenchNodes.start(mode, cluster, provider);
        try {
            String[] ready = responder.call("start " + mode + " " + cluster + " "
                + (provider == null ? "default" : provider)).split(" ", 3);
            String responderId = ready[1];
            Result result = new Result(mode, RdmaEventBus.status(requester).getDescription());
            Context context = requester.getOrCreateContext();
            EventBus bus = requester.eventBus();
            Buffer body = Load.body(BODY);
            DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
            awaitReachable(bus, body);

            LongAdder requests = new LongAdder();
            Supplier<Future<?>> echo = () -> {
                requests.increment();
                return bus.request(Responder.ECHO, body, options);
            };
            result.roundTrip = Load.roundTrips(context, echo, settings.warmup, settings.count,
                Duration.ofSeconds(settings.roundTripSeconds));
            System.err.println("   round trip p50 " + micros(result.roundTrip.getValueAtPercentile(50)) + " us ("
                + result.roundTrip.getTotalCount() + " recorded)");
            result.throughput = Load.throughput(context, echo, settings.inFlight, Duration.ofSeconds(1),
                Duration.ofSeconds(settings.seconds));
            System.err.println("   throughput " + Math.round(result.throughput) + " req/s");
            checkPath(mode, settings.provider, requester, responder, responderId, requests.sum(), result);
            System.err.println("   path: " + result.path);
            result.problems.forEach(problem -> System.err.println("   PATH CHECK FAILED: " + problem));
            if (settings.first > 0) {
                firstContacts(mode, cluster, provider, responder, context, bus, settings.first, result);
            }
            if (mode == Mode.RDMABUS && settings.channel && result.problems.isEmpty()) {
                result.channelRoundTrip = channelRoundTrips(requester, context, responderId, body, settings);
            }
            responder.call("stop");
            return result;
        } finally {
            BenchNodes.close(requester);
        }
    }

    /** Asks both nodes what carried the requests just measured, and records it with whatever contradicts the mode. */
    private static void checkPath(Mode mode, String provider, Vertx requester, ResponderProcess responder,
                                  String responderId, long requests, Result result) throws Exception {
        JsonObject mine = TrafficPath.facts(requester);
        JsonObject theirs = new JsonObject(responder.call("path").substring("path ".length()));
        result.path(TrafficPath.describe(mode, mine, theirs),
            TrafficPath.check(mode, provider, mine, theirs, responderId, requests));
    }

    private static void awaitReachable(EventBus bus, Buffer body) throws Exception {
        long deadline = System.nanoTime() + REACH_LIMIT.toNanos();
        while (true) {
            try {
                bus.request(Responder.ECHO, body, new DeliveryOptions().setSendTimeout(2_000))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the responder's echo consumer was never reached", notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * A fresh node joins the responder JVM with a consumer on the address the long-lived node M already serves, so
     * the requester's node selector knows it by the time it is asked: Vert.x alternates between M and the fresh node,
     * and the first request the fresh node answers is this JVM's first contact with it. Its cost is set against the
     * next request that node answers.
     */
    private static void firstContacts(Mode mode, String cluster, String provider, ResponderProcess responder,
                                      Context context, EventBus bus, int trials, Result result) throws Exception {
        for (int trial = 0; trial < trials; trial++) {
            String fresh = responder.call("fresh " + mode + " " + cluster + " "
                + (provider == null ? "default" : provider)).split(" ")[1];
            Thread.sleep(SETTLE_MILLIS);
            long first = answeredBy(context, bus, fresh);
            long second = answeredBy(context, bus, fresh);
            if (first > 0 && second > 0) {
                result.firstRequest.recordValue(first);
                result.afterFirst.recordValue(second);
            } else {
                result.firstMissed++;
            }
            responder.call("closefresh");
            Thread.sleep(SETTLE_MILLIS / 2);
        }
        System.err.println("   first request p50 " + micros(result.firstRequest.getValueAtPercentile(50)) + " us");
    }

    /** @return the time of the first request the node answered, in nanoseconds, or 0 if it never did. */
    private static long answeredBy(Context context, EventBus bus, String nodeId) throws Exception {
        for (int i = 0; i < FIRST_TRIES; i++) {
            CompletableFuture<long[]> outcome = new CompletableFuture<>();
            context.runOnContext(v -> {
                long start = System.nanoTime();
                bus.<Buffer>request(Responder.FIRST, Buffer.buffer("who"), new DeliveryOptions().setSendTimeout(10_000))
                    .onComplete((Message<Buffer> reply, Throwable failure) -> {
                        long nanos = System.nanoTime() - start;
                        boolean fromNode = failure == null && reply.body().toString().equals(nodeId);
                        outcome.complete(new long[] {fromNode ? 1 : 0, nanos});
                    });
            });
            long[] answer = outcome.get(30, TimeUnit.SECONDS);
            if (answer[0] == 1) {
                return answer[1];
            }
        }
        return 0;
    }

    private static Histogram channelRoundTrips(Vertx requester, Context context, String responderId, Buffer body,
                                               Settings settings) throws Exception {
        try (RdmaChannel channel = RdmaChannel.create(requester)) {
            RdmaConnection connection = channel.connect(responderId).timeout(30, TimeUnit.SECONDS).blockingGet();
            Histogram histogram = Load.roundTrips(context, () -> {
                Promise<Void> replied = Promise.promise();
                connection.request(body).subscribe(reply -> replied.complete(), replied::fail);
                return replied.future();
            }, settings.warmup, settings.count, Duration.ofSeconds(settings.roundTripSeconds));
            System.err.println("   RdmaChannel p50 " + micros(histogram.getValueAtPercentile(50)) + " us");
            return histogram;
        }
    }

    static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** The figures of one mode. */
    static final class Result {
        final Mode mode;
        final String status;
        Histogram roundTrip;
        double throughput;
        final Histogram firstRequest = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        final Histogram afterFirst = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        int firstMissed;
        Histogram channelRoundTrip;
        /** What carried the traffic, in one line. */
        String path = "not checked";
        /** What contradicts the mode's path; empty when the traffic took it. */
        List<String> problems = List.of();

        Result(Mode mode, String status) {
            this.mode = mode;
            this.status = status;
        }

        void path(String description, List<String> found) {
            path = description;
            problems = List.copyOf(found);
        }
    }
}
