package org.rdmabus.samples.impl.demo;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.impl.node.HistogramCodec;

/**
 * Request/reply loads from one event-loop context: sequential round trips, pipelined requests, and a single timed
 * request. Every load stops at its count or at its time limit, whichever comes first.
 *
 * <p>A round trip is timed from just before {@code request} to the reply handler, both on the same context, so it
 * includes Vert.x's send path, the wire both ways and the responder's handler.
 */
final class RoundTrips {

    private final Context context;
    private final EventBus eventBus;
    private final DeliveryOptions options;

    /**
     * @param context        the event-loop context every request is sent from.
     * @param eventBus       the clustered event bus.
     * @param requestTimeout how long one request may wait for its reply.
     */
    RoundTrips(Context context, EventBus eventBus, Duration requestTimeout) {
        this.context = context;
        this.eventBus = eventBus;
        this.options = new DeliveryOptions().setSendTimeout(requestTimeout.toMillis());
    }

    /**
     * @param address   where to send.
     * @param body      the request body.
     * @param count     how many round trips, one at a time.
     * @param limit     how long at most.
     * @param histogram where to record each round trip in nanoseconds, or {@code null} not to record.
     * @param progress  told the number of requests done after each one, on the context.
     * @return the outcome.
     */
    Future<LoadOutcome> sequential(String address, Buffer body, long count, Duration limit, Histogram histogram,
                                   LongConsumer progress) {
        return pipelined(address, body, count, 1, limit, histogram, progress);
    }

    /**
     * @param address   where to send.
     * @param body      the request body.
     * @param count     how many requests.
     * @param inflight  how many may wait for their reply at once.
     * @param limit     how long at most.
     * @param histogram where to record each round trip in nanoseconds, or {@code null} not to record.
     * @param progress  told the number of requests done after each one, on the context.
     * @return the outcome.
     */
    Future<LoadOutcome> pipelined(String address, Buffer body, long count, int inflight, Duration limit,
                                  Histogram histogram, LongConsumer progress) {
        Promise<LoadOutcome> promise = Promise.promise();
        context.runOnContext(ignored ->
            new Load(address, body, count, limit, histogram, progress, promise).start(inflight));
        return promise.future();
    }

    /**
     * @param address where to send.
     * @param body    the request body.
     * @return the round trip of one request in nanoseconds.
     */
    Future<Long> single(String address, Buffer body) {
        Promise<Long> promise = Promise.promise();
        context.runOnContext(ignored -> {
            long start = System.nanoTime();
            eventBus.<Buffer>request(address, body, options)
                .onComplete(reply -> {
                    long roundTrip = System.nanoTime() - start;
                    if (reply.succeeded()) {
                        promise.complete(roundTrip);
                    } else {
                        promise.fail(reply.cause());
                    }
                });
        });
        return promise.future();
    }

    /** One load's state; touched on the context only. */
    private final class Load {

        private final String address;
        private final Buffer body;
        private final long count;
        private final long deadline;
        private final Histogram histogram;
        private final LongConsumer progress;
        private final Promise<LoadOutcome> promise;
        private final long started;
        private long sent;
        private long completed;
        private long failed;
        private boolean timedOut;
        private String firstFailure;

        Load(String address, Buffer body, long count, Duration limit, Histogram histogram, LongConsumer progress,
             Promise<LoadOutcome> promise) {
            this.address = address;
            this.body = body;
            this.count = count;
            this.histogram = histogram;
            this.progress = progress;
            this.promise = promise;
            this.started = System.nanoTime();
            this.deadline = started + limit.toNanos();
        }

        void start(int inflight) {
            for (int i = 0; i < inflight && sent < count; i++) {
                send();
            }
            finishIfDone();
        }

        private void send() {
            sent++;
            long start = System.nanoTime();
            Future<Message<Buffer>> reply = eventBus.request(address, body, options);
            if (reply.isComplete()) {
                // A request that fails at once (no handler) must not recurse into the next one on this stack.
                context.runOnContext(ignored -> onReply(reply, start));
            } else {
                reply.onComplete(result -> onReply(result, start));
            }
        }

        private void onReply(AsyncResult<Message<Buffer>> reply, long start) {
            long now = System.nanoTime();
            if (reply.succeeded()) {
                completed++;
                if (histogram != null) {
                    histogram.recordValue(Math.min(now - start, HistogramCodec.HIGHEST_TRACKABLE_NANOS));
                }
            } else {
                failed++;
                if (firstFailure == null) {
                    firstFailure = String.valueOf(reply.cause());
                }
            }
            progress.accept(completed + failed);
            if (sent < count) {
                if (now - deadline < 0) {
                    send();
                } else {
                    timedOut = true;
                }
            }
            finishIfDone();
        }

        private void finishIfDone() {
            if (completed + failed == sent && (sent == count || timedOut)) {
                promise.tryComplete(new LoadOutcome(completed, failed, System.nanoTime() - started, timedOut,
                    firstFailure));
            }
        }
    }
}
