package org.rdmabus.bench.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Drives requests from one Vert.x context, as an application's verticle would: one at a time for round trips, or a
 * fixed number in flight for throughput. Every run is bounded in count and in time.
 */
final class Load {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Load() {
    }

    /**
     * Sequential round trips.
     *
     * @param context  where requests are sent from.
     * @param request  sends one request; completes with the reply.
     * @param warmup   round trips not recorded.
     * @param count    round trips recorded.
     * @param limit    the most the whole run may take.
     * @return the recorded round trips, in nanoseconds.
     * @throws Exception if a request fails or the limit passes.
     */
    static Histogram roundTrips(Context context, Supplier<Future<?>> request, int warmup, int count, Duration limit)
        throws Exception {
        Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
        CompletableFuture<Histogram> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + limit.toNanos();
        context.runOnContext(v -> new Runnable() {
            private int sent;
            private long start;

            @Override
            public void run() {
                if (sent == warmup + count || System.nanoTime() > deadline) {
                    done.complete(histogram);
                    return;
                }
                start = System.nanoTime();
                request.get().onComplete((reply, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                        return;
                    }
                    long nanos = System.nanoTime() - start;
                    if (sent >= warmup) {
                        histogram.recordValue(Math.min(nanos, HIGHEST_NANOS));
                    }
                    sent++;
                    run();
                });
            }
        }.run());
        return done.get(limit.toSeconds() + 30, TimeUnit.SECONDS);
    }

    /**
     * Requests with a fixed number in flight.
     *
     * @param context  where requests are sent from.
     * @param request  sends one request.
     * @param inFlight requests outstanding at any time.
     * @param warmup   time before counting.
     * @param measure  time counted.
     * @return replies per second during the measured time.
     * @throws Exception if a request fails.
     */
    static double throughput(Context context, Supplier<Future<?>> request, int inFlight, Duration warmup,
                             Duration measure) throws Exception {
        CompletableFuture<Double> done = new CompletableFuture<>();
        long from = System.nanoTime() + warmup.toNanos();
        long to = from + measure.toNanos();
        context.runOnContext(v -> new Runnable() {
            private long counted;
            private int outstanding;

            @Override
            public void run() {
                for (int i = 0; i < inFlight; i++) {
                    send();
                }
            }

            private void send() {
                outstanding++;
                request.get().onComplete((reply, failure) -> {
                    outstanding--;
                    if (failure != null) {
                        done.completeExceptionally(failure);
                        return;
                    }
                    long now = System.nanoTime();
                    if (now >= from && now < to) {
                        counted++;
                    }
                    if (now < to) {
                        send();
                    } else if (outstanding == 0) {
                        done.complete(counted * 1e9 / measure.toNanos());
                    }
                });
            }
        }.run());
        return done.get(warmup.plus(measure).toSeconds() + 60, TimeUnit.SECONDS);
    }

    /**
     * @param size bytes.
     * @return a body of that size.
     */
    static Buffer body(int size) {
        return Buffer.buffer(new byte[size]);
    }
}
