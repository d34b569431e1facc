package org.rdmabus.transport.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.QpPool;
import org.rdmabus.transport.RdmaBusMetrics;
import org.rdmabus.transport.RdmaChannel;
import org.rdmabus.transport.RdmaConnection;
import org.rdmabus.transport.RdmaEventBus;
import org.rdmabus.transport.RdmaMessage;
import org.rdmabus.transport.impl.pool.PoolNodeChannel;
import org.rdmabus.transport.impl.vertx.HookRegistry;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.TestCluster;
import org.reactivestreams.Subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code rdmabus.*} meters move: nodes A and B run rdmabus over the soft fabric, node C does not; after each
 * kind of traffic, the meters that count it have grown, and gauges of momentary state were seen above zero while it
 * lasted. The meters are registered automatically, in the registry set with {@link RdmaEventBus#metricsRegistry}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RdmaBusMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everyMeterMovesWithTheTrafficItCounts() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RdmaEventBus.metricsRegistry(registry);
        TestCluster cluster = TestCluster.empty(getClass().getSimpleName());
        try {
            Vertx a = cluster.addNode(TestCluster.rdmabusOn().setProvider("soft"), bus -> { });
            Vertx b = cluster.addNode(TestCluster.rdmabusOn().setProvider("soft"), bus -> { });
            Vertx c = cluster.addNode(TestCluster.rdmabusOff(), bus -> { });
            String aId = cluster.nodeId(0);
            String bId = cluster.nodeId(1);
            Tags onA = Tags.of("node", aId);
            Tags onB = Tags.of("node", bId);
            Await.until("A tags its meters for peer B", WAIT,
                () -> find(registry, "rdmabus.peer.frames", onA.and("peer", bId).and("direction", "sent")) != null);
            Map<Meter.Id, Double> before = snapshot(registry);

            for (Vertx node : List.of(b, c)) {
                Await.result(node.eventBus().<String>consumer("metrics.echo", m -> m.reply(m.body())).completion());
            }
            try (RdmaChannel channelA = RdmaChannel.create(a); RdmaChannel channelB = RdmaChannel.create(b)) {
                // Event-bus traffic: to B over the channel, to C (no rdmabus) over TCP.
                for (int i = 0; i < 50; i++) {
                    Await.result(a.eventBus().request("metrics.echo", "x" + i));
                }
                Await.until("C's consumer was reached over TCP", WAIT, () -> value(registry, "rdmabus.fallback.tcp.sends", onA) > 0);

                // RdmaChannel: a warm connect, requests answered, one left unanswered until it times out.
                AtomicReference<RdmaMessage> unanswered = new AtomicReference<>();
                AtomicReference<Subscription> demand = new AtomicReference<>();
                channelB.messages().subscribe(new FlowableSubscriber<RdmaMessage>() {
                    @Override
                    public void onSubscribe(Subscription s) {
                        demand.set(s);
                        s.request(Long.MAX_VALUE / 2);
                    }

                    @Override
                    public void onNext(RdmaMessage message) {
                        if (message.buffer().toString().equals("ignore")) {
                            unanswered.set(message.retain());
                        } else if (message.isRequest()) {
                            message.reply(message.buffer()).subscribe();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onComplete() {
                    }
                });
                RdmaConnection toB = channelA.connect(bId).timeout(30, TimeUnit.SECONDS).blockingGet();
                for (int i = 0; i < 50; i++) {
                    toB.request(Buffer.buffer("r" + i)).map(RdmaMessage::length).timeout(30, TimeUnit.SECONDS).blockingGet();
                }
                assertTrue(channelA.connect("00000000-0000-0000-0000-0000000000aa").ignoreElement().onErrorComplete()
                    .blockingAwait(30, TimeUnit.SECONDS), "a connect to an unknown node is a directory miss");
                toB.request(Buffer.buffer("ignore"), Duration.ofMillis(50)).ignoreElement().onErrorComplete()
                    .blockingAwait(30, TimeUnit.SECONDS);
                Await.until("the ignored request arrived", WAIT, () -> unanswered.get() != null);
                unanswered.get().reply(Buffer.buffer("late")).blockingAwait(30, TimeUnit.SECONDS);
                unanswered.get().release();

                // Malformed payloads straight into B's pool: no envelope, a bad event-bus frame, a short channel frame.
                Connection raw = pool(a).connectIfKnown(bId);
                for (byte[] payload : List.of(new byte[] {7, 1, 2}, new byte[] {0, 0, 0, 0, 9}, new byte[] {1, 2})) {
                    raw.offer(FrameType.MESSAGE, 0, new VarHandleBuffer(payload), 0, payload.length, failure -> { });
                }
                Await.until("B counted the malformed payloads", WAIT,
                    () -> value(registry, "rdmabus.decode.errors", onB.and("reason", "unknown_envelope")) > 0
                        && value(registry, "rdmabus.decode.errors", onB.and("reason", "vertx_malformed")) > 0
                        && value(registry, "rdmabus.decode.errors", onB.and("reason", "rdmachannel_malformed")) > 0);

                // A flood while B consumes: the initiators are seen busy.
                double busy = 0;
                for (int round = 0; round < 20 && busy == 0; round++) {
                    toB.sendAll(Flowable.range(0, 2_000).map(i -> Buffer.buffer(new byte[512]))).subscribe();
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    while (System.nanoTime() < end && busy == 0) {
                        busy = Math.max(busy, value(registry, "rdmabus.initiators.busy", onA));
                    }
                }
                assertTrue(busy > 0, "the busy-initiator gauge never rose during the floods");
                Await.until("the floods arrived", WAIT, () -> value(registry, "rdmabus.rdmachannel.messages.held", onB) == 0
                    && value(registry, "rdmabus.receive.buffers.lent", onB) == 0);

                // Promotion and demotion of B on A.
                assertTrue(pool(a).promote(bId));
                Await.until("A promoted B", WAIT, () -> value(registry, "rdmabus.promoted.peers", onA) > 0);
                assertTrue(toB.request(Buffer.buffer("over rc")).map(RdmaMessage::length).timeout(30, TimeUnit.SECONDS)
                    .blockingGet() > 0);
                assertTrue(pool(a).demote(bId));
                Await.until("A demoted B", WAIT, () -> value(registry, "rdmabus.demotions", onA) > 0);

                // B stops requesting: A's sends wait in queues and are refused for back-pressure; B holds buffers.
                demand.get().cancel();
                channelB.messages().subscribe(new FlowableSubscriber<RdmaMessage>() {
                    @Override
                    public void onSubscribe(Subscription s) {
                        demand.set(s);
                    }

                    @Override
                    public void onNext(RdmaMessage message) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onComplete() {
                    }
                });
                for (int i = 0; i < 3_000; i++) {
                    toB.send(Buffer.buffer("held")).onErrorComplete().subscribe();
                }
                Await.until("B holds buffers and A was back-pressured", WAIT,
                    () -> value(registry, "rdmabus.rdmachannel.messages.held", onB) > 0
                        && value(registry, "rdmabus.receive.buffers.lent", onB) > 0
                        && value(registry, "rdmabus.send.backpressured", onA) > 0
                        && value(registry, "rdmabus.rdmachannel.backpressured", onA) > 0);
                demand.get().request(Long.MAX_VALUE);
                Await.until("the held messages were released", WAIT,
                    () -> value(registry, "rdmabus.rdmachannel.messages.held", onB) == 0);
            }

            // B's fabric side dies while it stays a member: A's event-bus traffic to it falls back to TCP for good.
            ((PoolNodeChannel) HookRegistry.hookOf(b).channel()).close();
            // Vert.x picks B or C in turn for each request; a few reach B.
            for (int i = 0; i < 6; i++) {
                a.eventBus().request("metrics.echo", "after", new DeliveryOptions().setSendTimeout(2_000));
            }
            Await.until("A switched B to TCP", WAIT, () -> value(registry, "rdmabus.fallback.switches", onA) > 0);

            List<String> stillOnA = new ArrayList<>();
            for (String[] meter : new String[][] {
                {"rdmabus.connect", "kind", "warm"}, {"rdmabus.connect", "kind", "miss"},
                {"rdmabus.directory.lookups", "result", "hit"}, {"rdmabus.directory.lookups", "result", "miss"},
                {"rdmabus.directory.miss.time"},
                {"rdmabus.send.queue.wait"}, {"rdmabus.send.backpressured"},
                {"rdmabus.promotions"}, {"rdmabus.demotions"},
                {"rdmabus.poller.passes"}, {"rdmabus.poller.passes.empty"},
                {"rdmabus.cq.polls"}, {"rdmabus.cq.polls.empty"},
                {"rdmabus.frames", "direction", "sent"}, {"rdmabus.frames", "direction", "received"},
                {"rdmabus.bytes", "direction", "sent"}, {"rdmabus.bytes", "direction", "received"},
                {"rdmabus.eventbus.channel.sends"}, {"rdmabus.fallback.tcp.sends"}, {"rdmabus.fallback.switches"},
                {"rdmabus.rdmachannel.frames", "direction", "sent"}, {"rdmabus.rdmachannel.requests"},
                {"rdmabus.rdmachannel.replies"}, {"rdmabus.rdmachannel.timeouts"}, {"rdmabus.rdmachannel.late.replies"},
                {"rdmabus.rdmachannel.backpressured"}}) {
                Tags tags = meter.length == 3 ? onA.and(meter[1], meter[2]) : onA;
                if (!(value(registry, meter[0], tags) > before.getOrDefault(id(registry, meter[0], tags), 0.0))) {
                    stillOnA.add(meter[0] + tags);
                }
            }
            for (String direction : List.of("sent", "received")) {
                for (String name : List.of("rdmabus.peer.frames", "rdmabus.peer.bytes")) {
                    Tags tags = onA.and("peer", bId).and("direction", direction);
                    if (!(value(registry, name, tags) > before.getOrDefault(id(registry, name, tags), 0.0))) {
                        stillOnA.add(name + tags);
                    }
                }
            }
            for (String name : List.of("rdmabus.rdmachannel.frames")) {
                Tags tags = onB.and("direction", "received");
                if (!(value(registry, name, tags) > before.getOrDefault(id(registry, name, tags), 0.0))) {
                    stillOnA.add(name + tags);
                }
            }
            assertEquals(List.of(), stillOnA, "meters that did not move");
            assertTrue(value(registry, "rdmabus.initiators", onA) > 0);
            // Ratios do not only grow: after traffic they lie strictly between "never" and "always".
            for (String ratio : List.of("rdmabus.directory.hit.ratio", "rdmabus.poller.empty.ratio", "rdmabus.cq.empty.ratio")) {
                double share = value(registry, ratio, onA);
                assertTrue(share > 0 && share < 1, ratio + " = " + share);
            }
        } finally {
            RdmaEventBus.metricsRegistry(null);
            cluster.close();
        }
        assertTrue(registry.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("rdmabus.")),
            "closing the instances removed their meters: " + registry.getMeters().stream()
                .map(m -> m.getId().toString()).filter(s -> s.contains("rdmabus")).limit(5).toList());
    }

    @Test
    void aBinderNeedsAnInstanceRdmabusRunsOn() {
        Vertx plain = Vertx.vertx();
        try {
            assertFalse(HookRegistry.hookOf(plain) != null);
            try {
                new RdmaBusMetrics(plain);
                throw new AssertionError("bound to an instance without rdmabus");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("not installed"), expected.getMessage());
            }
        } finally {
            Await.result(plain.close());
        }
    }

    private static QpPool pool(Vertx vertx) {
        return ((PoolNodeChannel) HookRegistry.hookOf(vertx).channel()).pool();
    }

    private static Map<Meter.Id, Double> snapshot(MeterRegistry registry) {
        Map<Meter.Id, Double> values = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            values.put(meter.getId(), read(meter));
        }
        return values;
    }

    private static Meter find(MeterRegistry registry, String name, Tags tags) {
        Predicate<Meter> matches = m -> m.getId().getName().equals(name)
            && Tags.of(m.getId().getTags()).stream().toList().containsAll(tags.stream().toList())
            && m.getId().getTags().size() == tags.stream().count();
        return registry.getMeters().stream().filter(matches).findFirst().orElse(null);
    }

    private static Meter.Id id(MeterRegistry registry, String name, Tags tags) {
        Meter meter = find(registry, name, tags);
        return meter == null ? null : meter.getId();
    }

    private static double value(MeterRegistry registry, String name, Tags tags) {
        Meter meter = find(registry, name, tags);
        if (meter == null) {
            throw new AssertionError("no meter " + name + tags);
        }
        return read(meter);
    }

    private static double read(Meter meter) {
        if (meter instanceof FunctionCounter counter) {
            return counter.count();
        }
        if (meter instanceof Counter counter) {
            return counter.count();
        }
        if (meter instanceof FunctionTimer timer) {
            return timer.count();
        }
        if (meter instanceof Gauge gauge) {
            return gauge.value();
        }
        return Double.NaN;
    }
}
