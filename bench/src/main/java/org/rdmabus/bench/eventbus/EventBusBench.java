package org.rdmabus.bench.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaEventBus;

/**
 * Issue 4's benchmark: the clustered event bus between two JVMs (Hazelcast on loopback), plain Vert.x TCP next to
 * rdmabus in one run, plus RdmaChannel. For each mode: 64 B request/reply round trips (p50, p99, p99.9), throughput
 * with 128 requests in flight, and the first request from warm JVMs to a node never contacted before; for rdmabus
 * also RdmaChannel request/reply. Prints the figures and the ratios against TCP, with the goals.
 * <p>
 * {@code java -jar rdmabus-bench.jar eventbus [--warmup 20000] [--count 50000] [--seconds 5] [--in-flight 128]
 * [--first 8] [--modes TCP,TCP_EPOLL,RDMABUS]}
 */
public final class EventBusBench {
    private static final int BODY = 64;
    private static final Duration PHASE_LIMIT = Duration.ofSeconds(120);
    private static final Duration REACH_LIMIT = Duration.ofSeconds(60);
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
        try (ResponderProcess responder = new ResponderProcess()) {
            for (Mode mode : settings.modes) {
                System.err.println("== " + mode.label());
                results.put(mode, phase(mode, responder, settings));
            }
        }
        new Report(results).print(System.out);
        System.exit(0);
    }

    private static Result phase(Mode mode, ResponderProcess responder, Settings settings) throws Exception {
        String cluster = "rdmabus-bench-" + mode.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID();
        Vertx requester = BenchNodes.start(mode, cluster);
        try {
            String[] ready = responder.call("start " + mode + " " + cluster).split(" ", 3);
            String responderId = ready[1];
            Result result = new Result(mode, RdmaEventBus.status(requester).getDescription());
            Context context = requester.getOrCreateContext();
            EventBus bus = requester.eventBus();
            Buffer body = Load.body(BODY);
            DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
            awaitReachable(bus, body);

            result.roundTrip = Load.roundTrips(context, () -> bus.request(Responder.ECHO, body, options),
                settings.warmup, settings.count, PHASE_LIMIT);
            System.err.println("   round trip p50 " + micros(result.roundTrip.getValueAtPercentile(50)) + " us");
            result.throughput = Load.throughput(context, () -> bus.request(Responder.ECHO, body, options),
                settings.inFlight, Duration.ofSeconds(1), Duration.ofSeconds(settings.seconds));
            System.err.println("   throughput " + Math.round(result.throughput) + " req/s");
            firstContacts(mode, cluster, responder, context, bus, settings.first, result);
            if (mode == Mode.RDMABUS) {
                result.channelRoundTrip = channelRoundTrips(requester, context, responderId, body, settings);
            }
            responder.call("stop");
            return result;
        } finally {
            BenchNodes.close(requester);
        }
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
    private static void firstContacts(Mode mode, String cluster, ResponderProcess responder, Context context,
                                      EventBus bus, int trials, Result result) throws Exception {
        for (int trial = 0; trial < trials; trial++) {
            String fresh = responder.call("fresh " + mode + " " + cluster).split(" ")[1];
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
            }, settings.warmup, settings.count, PHASE_LIMIT);
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

        Result(Mode mode, String status) {
            this.mode = mode;
            this.status = status;
        }
    }

    /** Command-line options. */
    private static final class Settings {
        int warmup = 20_000;
        int count = 50_000;
        int seconds = 5;
        int inFlight = 128;
        int first = 8;
        List<Mode> modes = List.of(Mode.TCP, Mode.TCP_EPOLL, Mode.RDMABUS);

        static Settings parse(String[] args) {
            Settings settings = new Settings();
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--warmup" -> settings.warmup = Integer.parseInt(value);
                    case "--count" -> settings.count = Integer.parseInt(value);
                    case "--seconds" -> settings.seconds = Integer.parseInt(value);
                    case "--in-flight" -> settings.inFlight = Integer.parseInt(value);
                    case "--first" -> settings.first = Integer.parseInt(value);
                    case "--modes" -> {
                        List<Mode> modes = new ArrayList<>();
                        for (String name : value.split(",")) {
                            modes.add(Mode.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                        }
                        settings.modes = List.copyOf(modes);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return settings;
        }
    }
}
