package org.rdmabus.transport.reliability;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Collections;

/**
 * Mixed, paced, bounded traffic from one node to its peers, from one event-loop context (so each stream keeps its
 * order): sequenced sends to {@code rel.P.seq}, requests to {@code rel.P.echo} with a bounded number in flight, and
 * sequenced publishes to {@code rel.all.pub}. Everything is accounted for on the sending side: what was written
 * (reported sent by Vert.x) or failed, when each message was sent, and how each request ended.
 *
 * <p>Configuration (JSON): {@code peers} (names), {@code sendRate} and {@code requestRate} (per peer and second),
 * {@code publishRate} (per second), {@code window} (requests in flight per peer), {@code timeoutMillis} (request
 * timeout), {@code seconds} (how long; {@link #stop()} ends it earlier), {@code keepLog} (keep every request's
 * record, for {@link #log()}).
 */
final class LoadRunner {

    private static final long TICK_MILLIS = 10;
    private static final int MAX_FAILURE_RECORDS = 2_000;

    private final TrafficNode node;
    private final Context context;
    private final List<String> peers = new ArrayList<>();
    private final double sendRate;
    private final double requestRate;
    private final double publishRate;
    private final int window;
    private final long timeoutMillis;
    private final long seconds;
    private final boolean keepLog;
    private final Map<String, SentStream> streams = new LinkedHashMap<>();
    private final Map<String, RequestStats> requests = new LinkedHashMap<>();
    private final List<RequestRecord> log = Collections.synchronizedList(new ArrayList<>());
    private final Promise<JsonObject> done = Promise.promise();
    private long startNanos;
    private long timer = -1;
    private boolean stopping;

    /**
     * @param node   the node that sends
     * @param config see the class comment
     */
    LoadRunner(TrafficNode node, JsonObject config) {
        this.node = node;
        this.context = ((VertxInternal) node.vertx()).createEventLoopContext();
        config.getJsonArray("peers").forEach(peer -> peers.add((String) peer));
        this.sendRate = config.getDouble("sendRate", 0.0);
        this.requestRate = config.getDouble("requestRate", 0.0);
        this.publishRate = config.getDouble("publishRate", 0.0);
        this.window = config.getInteger("window", 16);
        this.timeoutMillis = config.getLong("timeoutMillis", 5_000L);
        this.seconds = config.getLong("seconds", 10L);
        this.keepLog = config.getBoolean("keepLog", false);
        EventBus bus = node.vertx().eventBus();
        for (String peer : peers) {
            String address = TrafficNode.sequenceAddress(peer);
            streams.put(address, new SentStream(bus.sender(address), "send"));
            requests.put(peer, new RequestStats());
        }
        streams.put(TrafficNode.PUBLISH_ADDRESS, new SentStream(bus.publisher(TrafficNode.PUBLISH_ADDRESS), "pub"));
    }

    /**
     * Starts the traffic.
     *
     * @return completes with {@link #report()} once the time is up (or {@link #stop()} was called) and every request
     *     has ended
     */
    Future<JsonObject> run() {
        context.runOnContext(v -> {
            startNanos = System.nanoTime();
            timer = node.vertx().setPeriodic(TICK_MILLIS, id -> tick());
        });
        return done.future();
    }

    /** Ends the traffic early; the future of {@link #run()} completes once every request has ended. */
    void stop() {
        context.runOnContext(v -> stopping = true);
    }

    /**
     * The numbers this node sent within a time window, per stream: a fault explains the loss of these and only these.
     *
     * @param fromMillis window start, wall clock
     * @param toMillis   window end, wall clock
     * @return completes with, per stream address, {@code [first, last]} numbers sent in the window, or an empty
     *     array
     */
    Future<JsonObject> explain(long fromMillis, long toMillis) {
        Promise<JsonObject> explained = Promise.promise();
        context.runOnContext(v -> {
            JsonObject ranges = new JsonObject();
            streams.forEach((address, stream) -> ranges.put(address, stream.sentBetween(fromMillis, toMillis)));
            explained.complete(ranges);
        });
        return explained.future();
    }

    /**
     * The report so far, taken on the runner's context.
     *
     * @return completes with {@link #report()}
     */
    Future<JsonObject> snapshot() {
        Promise<JsonObject> snapshot = Promise.promise();
        context.runOnContext(v -> snapshot.complete(report()));
        return snapshot.future();
    }

    /** @return every request's record, when {@code keepLog} was set */
    List<RequestRecord> log() {
        return log;
    }

    private void tick() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        if (stopping || elapsed >= seconds) {
            finish();
            return;
        }
        for (String peer : peers) {
            SentStream stream = streams.get(TrafficNode.sequenceAddress(peer));
            stream.sendUpTo((long) (elapsed * sendRate));
            RequestStats stats = requests.get(peer);
            long due = (long) (elapsed * requestRate);
            while (stats.sent < due && stats.sent - stats.ended < window) {
                request(peer, stats);
            }
        }
        streams.get(TrafficNode.PUBLISH_ADDRESS).sendUpTo((long) (elapsed * publishRate));
    }

    private void request(String peer, RequestStats stats) {
        long number = stats.sent++;
        String body = node.incarnation() + "|req|" + number;
        long sentNanos = System.nanoTime();
        long sentMillis = System.currentTimeMillis();
        node.vertx().eventBus().<String>request(TrafficNode.echoAddress(peer), body, new DeliveryOptions().setSendTimeout(timeoutMillis))
            .onComplete(reply -> {
                long doneNanos = System.nanoTime();
                stats.ended++;
                String outcome;
                if (reply.succeeded()) {
                    outcome = "OK";
                    if (reply.result().body().equals(peer + "|" + body)) {
                        stats.ok++;
                    } else {
                        stats.badReplies++;
                    }
                } else {
                    outcome = reply.cause() instanceof ReplyException ? ((ReplyException) reply.cause()).failureType().name() : reply.cause().getClass().getSimpleName();
                    stats.failed.merge(outcome, 1L, Long::sum);
                    if (stats.failureRecords.size() < MAX_FAILURE_RECORDS) {
                        stats.failureRecords.add(new JsonArray().add(sentMillis).add(System.currentTimeMillis()).add(outcome));
                    }
                }
                stats.maxLatencyNanos = Math.max(stats.maxLatencyNanos, doneNanos - sentNanos);
                if (keepLog) {
                    log.add(new RequestRecord(peer, number, sentNanos, doneNanos, outcome, reply.failed() ? reply.cause() : null));
                }
                if (timer == -1) {
                    completeIfIdle();
                }
            });
    }

    private void finish() {
        node.vertx().cancelTimer(timer);
        timer = -1;
        completeIfIdle();
    }

    private void completeIfIdle() {
        for (RequestStats stats : requests.values()) {
            if (stats.ended < stats.sent) {
                return;
            }
        }
        for (SentStream stream : streams.values()) {
            if (stream.settled < stream.sent) {
                return;
            }
        }
        done.tryComplete(report());
    }

    /**
     * What was sent: per stream {@code sent}, {@code written}, {@code writeFailed} (by cause); per peer the requests'
     * {@code sent}, {@code ok}, {@code badReplies}, {@code failed} (by failure type), {@code maxLatencyMillis} and
     * {@code failures} ({@code [sent, ended, type]} wall-clock records).
     *
     * @return the report; call on the runner's context or after {@link #run()} completed
     */
    JsonObject report() {
        JsonObject sent = new JsonObject();
        streams.forEach((address, stream) -> sent.put(address, stream.report()));
        JsonObject asked = new JsonObject();
        requests.forEach((peer, stats) -> asked.put(peer, stats.report()));
        return new JsonObject().put("incarnation", node.incarnation()).put("streams", sent).put("requests", asked);
    }

    /** One request's fate. */
    record RequestRecord(String peer, long number, long sentNanos, long doneNanos, String outcome, Throwable failure) {
    }

    /** One sequenced stream and what became of each message. */
    private final class SentStream {
        private final MessageProducer<String> producer;
        private final String kind;
        private final Map<String, Long> writeFailures = new TreeMap<>();
        private long[] sentAtMillis = new long[1024];
        private long sent;
        private long written;
        private long settled;

        SentStream(MessageProducer<String> producer, String kind) {
            this.producer = producer;
            this.kind = kind;
        }

        void sendUpTo(long due) {
            while (sent < due) {
                long number = sent++;
                if (number >= sentAtMillis.length) {
                    sentAtMillis = Arrays.copyOf(sentAtMillis, sentAtMillis.length * 2);
                }
                sentAtMillis[(int) number] = System.currentTimeMillis();
                producer.write(node.incarnation() + "|" + kind + "|" + number).onComplete(result -> {
                    settled++;
                    if (result.succeeded()) {
                        written++;
                    } else {
                        String cause = result.cause() instanceof ReplyException ? ((ReplyException) result.cause()).failureType().name() : result.cause().getClass().getSimpleName();
                        writeFailures.merge(cause, 1L, Long::sum);
                    }
                    if (timer == -1) {
                        completeIfIdle();
                    }
                });
            }
        }

        JsonArray sentBetween(long fromMillis, long toMillis) {
            long first = -1;
            long last = -1;
            for (int i = 0; i < sent; i++) {
                if (sentAtMillis[i] >= fromMillis && sentAtMillis[i] <= toMillis) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            return first < 0 ? new JsonArray() : new JsonArray().add(first).add(last);
        }

        JsonObject report() {
            return new JsonObject().put("sent", sent).put("written", written).put("writeFailed", new JsonObject(new LinkedHashMap<>(writeFailures)));
        }
    }

    /** The requests to one peer. */
    private static final class RequestStats {
        private final Map<String, Long> failed = new TreeMap<>();
        private final JsonArray failureRecords = new JsonArray();
        private long sent;
        private long ended;
        private long ok;
        private long badReplies;
        private long maxLatencyNanos;

        JsonObject report() {
            return new JsonObject().put("sent", sent).put("ended", ended).put("ok", ok).put("badReplies", badReplies)
                .put("failed", new JsonObject(new LinkedHashMap<>(failed))).put("maxLatencyMillis", maxLatencyNanos / 1_000_000)
                .put("failures", failureRecords.copy());
        }
    }
}
