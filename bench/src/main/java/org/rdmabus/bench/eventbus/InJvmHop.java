package org.rdmabus.bench.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.rdmabus.bench.eventbus.EventBusBench.Result;

/**
 * {@link Mode#IN_JVM}: request/reply between two event loops of one non-clustered Vert.x instance. The consumer is
 * a deployed verticle, so it runs on an event loop of its own; the requests leave from another. Nothing crosses a
 * process, so what remains is Vert.x's own event-bus work and two thread wake-ups per round trip: no transport
 * between JVMs can beat it on this machine.
 */
final class InJvmHop {
    private InJvmHop() {
    }

    static Result run(Settings settings, Buffer body) throws Exception {
        Vertx vertx = BenchNodes.startInJvm();
        try {
            AtomicReference<String> consumerThread = new AtomicReference<>();
            vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    return vertx.eventBus().<Buffer>consumer(Responder.ECHO, message -> {
                        consumerThread.compareAndSet(null, Thread.currentThread().getName());
                        message.reply(message.body());
                    }).completion();
                }
            }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Context context = vertx.getOrCreateContext();
            EventBus bus = vertx.eventBus();
            DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
            Result result = new Result(Mode.IN_JVM, "not clustered, rdmabus not involved");
            result.roundTrip = Load.roundTrips(context, () -> bus.request(Responder.ECHO, body, options),
                settings.warmup, settings.count, Duration.ofSeconds(settings.roundTripSeconds));
            System.err.println("   round trip p50 " + EventBusBench.micros(result.roundTrip.getValueAtPercentile(50))
                + " us");
            result.throughput = Load.throughput(context, () -> bus.request(Responder.ECHO, body, options),
                settings.inFlight, Duration.ofSeconds(1), Duration.ofSeconds(settings.seconds));
            System.err.println("   throughput " + Math.round(result.throughput) + " req/s");
            String requesterThread = threadOf(context);
            List<String> problems = new ArrayList<>(TrafficPath.check(Mode.IN_JVM, null,
                TrafficPath.facts(vertx), null, null, 0));
            if (requesterThread.equals(consumerThread.get())) {
                problems.add("requester and consumer share the event loop " + requesterThread);
            }
            result.path(TrafficPath.describe(Mode.IN_JVM, TrafficPath.facts(vertx), null) + "; requests from "
                + requesterThread + " to a consumer on " + consumerThread.get(), problems);
            return result;
        } finally {
            BenchNodes.close(vertx);
        }
    }

    private static String threadOf(Context context) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
        return name.get(30, TimeUnit.SECONDS);
    }
}
