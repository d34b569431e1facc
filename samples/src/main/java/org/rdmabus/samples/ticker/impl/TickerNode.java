package org.rdmabus.samples.ticker.impl;

import static org.rdmabus.samples.impl.node.Blocking.await;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rdmabus.samples.impl.node.LineProtocol;
import org.rdmabus.samples.impl.node.LoopbackCluster.ClusteredNode;
import org.rdmabus.samples.impl.node.LoopbackCluster;
import org.rdmabus.samples.impl.node.NodeEvents;
import org.rdmabus.samples.impl.node.NodeMain;
import org.rdmabus.samples.impl.node.NodeWatchdog;
import org.rdmabus.samples.impl.node.PathReport;
import org.rdmabus.samples.ticker.MessageConsumerFlowable;
import org.rdmabus.samples.ticker.Tick;
import org.rdmabus.samples.ticker.TickerPublisher;

/**
 * The main class of one ticker node JVM: the publisher, or a fast or slow subscriber. It joins the cluster, a
 * subscriber subscribes, each reports ready, then answers the launcher's commands (see {@link TickerProtocol}) until
 * told to exit or until stdin closes.
 */
public final class TickerNode {

    /** The slow subscriber's prefetch: how many ticks its worker queues ahead of the one it works on. */
    static final int SLOW_PREFETCH = 16;
    /** A fast subscriber's batch of requests. */
    static final int FAST_BATCH = 256;

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);
    private static final Duration REGISTRATION_LIMIT = Duration.ofSeconds(30);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    /** With nothing more arriving for this long, a subscriber has taken all it will get. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SAMPLE_MILLIS = 1_000;
    private static final long POLL_MILLIS = 20;
    /**
     * The logger of Vert.x's consumers, which warns once per message a full consumer drops. Held here: the logging
     * framework keeps loggers only weakly, and would forget the level set on it.
     */
    private static final Logger CONSUMER_LOGGER = Logger.getLogger("io.vertx.core.eventbus.impl.MessageConsumerImpl");

    private final TickerNodeSpec spec;
    private final NodeEvents events;
    private final SequenceCheck check = new SequenceCheck();
    private final List<Long> heapSamples = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long workNanos;
    /** How many ticks the subscriber had taken when the end of the stream came; -1 before. */
    private volatile long takenAtEnd = -1;
    private ClusteredNode node;
    private Disposable subscription;
    private ExecutorService worker;
    private ScheduledExecutorService sampler;

    private TickerNode(TickerNodeSpec spec, NodeEvents events) {
        this.spec = spec;
        this.events = events;
        this.workNanos = TimeUnit.MICROSECONDS.toNanos(spec.slowWorkMicros());
    }

    /**
     * @param args the node's arguments, see {@link TickerNodeSpec#toArgs()}.
     */
    public static void main(String[] args) {
        NodeMain.run((events, commands) -> {
            TickerNodeSpec spec = TickerNodeSpec.fromArgs(args);
            NodeWatchdog.start(spec.maxLifetimeSeconds(), events);
            new TickerNode(spec, events).run(commands);
        });
    }

    private void run(BufferedReader commands) throws Exception {
        node = await(LoopbackCluster.start(spec.clusterName(), spec.hazelcastPort(), spec.memberPorts()),
            START_LIMIT, "joining the cluster");
        try {
            if (spec.role().subscribes()) {
                await(subscribe(), START_LIMIT, "registering the subscriber's consumer");
            }
            events.emit(LineProtocol.READY, PathReport.of(node.vertx()).writeTo(new JsonObject()
                .put(LineProtocol.PID, ProcessHandle.current().pid()).put(LineProtocol.NODE_ID, node.nodeId())));
            serve(commands);
        } finally {
            close();
        }
    }

    /** @return once the consumer is registered in the cluster. */
    private Future<Void> subscribe() {
        // The subscriber counts what its full consumer drops itself, from sequence gaps: a warning per dropped
        // tick would only flood stderr.
        CONSUMER_LOGGER.setLevel(Level.SEVERE);
        MessageConsumerOptions options = new MessageConsumerOptions().setAddress(Tick.ADDRESS)
            .setMaxBufferedMessages(spec.buffer());
        Context context = node.vertx().getOrCreateContext();
        MessageConsumerFlowable<Buffer> messages = new MessageConsumerFlowable<>(context, options);
        Flowable<Tick> ticks = messages.map(message -> Tick.fromBuffer(message.body()));
        if (spec.role() == TickerRole.FAST) {
            subscription = ticks.rebatchRequests(FAST_BATCH)
                .subscribe(tick -> check.accept(tick.sequence()), this::failed);
        } else {
            worker = Executors.newSingleThreadExecutor(daemon("rdmabus-ticker-slow-work"));
            subscription = ticks.observeOn(Schedulers.from(worker), false, SLOW_PREFETCH)
                .subscribe(this::work, this::failed);
        }
        // On the ticks' context: the end of the stream is handled after every tick that came before it.
        Promise<Void> endRegistered = Promise.promise();
        context.runOnContext(ignored -> node.vertx().eventBus().<Long>consumer(Tick.END_ADDRESS,
            end -> takenAtEnd = check.received()).completion().onComplete(endRegistered));
        return Future.all(messages.registered(), endRegistered.future()).mapEmpty();
    }

    /** The slow subscriber's handling of a tick: note it, then work on it for a while. */
    private void work(Tick tick) {
        check.accept(tick.sequence());
        long until = System.nanoTime() + workNanos;
        for (long left = workNanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    private void serve(BufferedReader commands) throws Exception {
        for (String line = readLine(commands); line != null; line = readLine(commands)) {
            JsonObject command;
            try {
                command = new JsonObject(line);
            } catch (DecodeException e) {
                events.error(new IllegalArgumentException("not a JSON command: " + line, e));
                continue;
            }
            String name = String.valueOf(command.getString(LineProtocol.COMMAND));
            if (LineProtocol.EXIT.equals(name)) {
                return;
            } else if (TickerProtocol.WATCH.equals(name) && spec.role().subscribes()) {
                watch();
            } else if (TickerProtocol.DRAIN.equals(name) && spec.role().subscribes()) {
                drain(command);
            } else if (TickerProtocol.PUBLISH.equals(name) && spec.role() == TickerRole.PUBLISHER) {
                publish(command);
            } else {
                events.error(new IllegalArgumentException("unknown command for a " + spec.role().argument() + ": "
                    + line));
            }
        }
    }

    private void watch() {
        if (sampler != null) {
            return;
        }
        sampler = Executors.newSingleThreadScheduledExecutor(daemon("rdmabus-ticker-sampler"));
        int[] index = {0};
        sampler.scheduleAtFixedRate(() -> {
            long heap = -1;
            if (spec.role() == TickerRole.SLOW) {
                heap = HeapProbe.usedAfterGc();
                synchronized (heapSamples) {
                    heapSamples.add(heap);
                }
            }
            events.emit(LineProtocol.PROGRESS, new JsonObject().put(TickerProtocol.SAMPLE, index[0]++)
                .put(TickerProtocol.RECEIVED, check.received()).put(TickerProtocol.HEAP_AFTER_GC, heap));
        }, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Publishing is over. Once the end of the stream has come (so that every tick that reached this node has been
     * handed to its consumer, buffered or dropped), the slow subscriber stops working on ticks and takes what it
     * holds at full speed. Done when the last tick published has been taken, or when nothing more has come for a
     * second.
     */
    private void drain(JsonObject command) throws InterruptedException {
        long published = requiredLong(command, TickerProtocol.PUBLISHED);
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (takenAtEnd < 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
        }
        if (takenAtEnd < 0) {
            failed(new TimeoutException("the end of the stream did not come within " + DRAIN_LIMIT.toSeconds()
                + " s"));
        }
        workNanos = 0;
        while (check.last() < published - 1 && System.nanoTime() - check.lastNanos() < QUIET_NANOS
            && System.nanoTime() - deadline < 0 && failure.get() == null) {
            Thread.sleep(POLL_MILLIS);
        }
        if (sampler != null) {
            sampler.shutdownNow();
            sampler.awaitTermination(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        subscription.dispose();
        if (failure.get() != null) {
            events.error(failure.get());
            return;
        }
        JsonArray heap;
        synchronized (heapSamples) {
            heap = new JsonArray(new ArrayList<>(heapSamples));
        }
        events.emit(TickerProtocol.DRAINED, new JsonObject().put(TickerProtocol.RECEIVED, check.received())
            .put(TickerProtocol.SKIPPED, check.skipped()).put(TickerProtocol.BACKWARDS, check.backwards())
            .put(TickerProtocol.LAST, check.last()).put(TickerProtocol.HELD_AT_END, check.received() - takenAtEnd)
            .put(TickerProtocol.HEAP_AFTER_GC, heap));
    }

    private void publish(JsonObject command) throws ExecutionException, TimeoutException, InterruptedException {
        long count = requiredLong(command, TickerProtocol.COUNT);
        int rate = (int) requiredLong(command, TickerProtocol.RATE);
        int subscribers = (int) requiredLong(command, TickerProtocol.SUBSCRIBERS);
        awaitSubscribers(subscribers);
        Promise<TickerPublisher.Published> done = Promise.promise();
        TickerPublisher publisher = new TickerPublisher(count, rate, done);
        String deployment = await(node.vertx().deployVerticle(publisher), START_LIMIT, "deploying the publisher");
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(count / rate) + DRAIN_LIMIT.toNanos();
        try {
            while (!done.future().isComplete()) {
                if (System.nanoTime() - limit > 0) {
                    throw new TimeoutException("the publisher published only " + publisher.published() + " of "
                        + count + " ticks in time");
                }
                try {
                    await(done.future(), Duration.ofMillis(SAMPLE_MILLIS), "publishing");
                } catch (TimeoutException e) {
                    events.emit(LineProtocol.PROGRESS,
                        new JsonObject().put(TickerProtocol.PUBLISHED, publisher.published()));
                }
            }
        } finally {
            await(node.vertx().undeploy(deployment), CLOSE_LIMIT, "undeploying the publisher");
        }
        TickerPublisher.Published result = done.future().result();
        events.emit(TickerProtocol.PUBLISHED, new JsonObject().put(TickerProtocol.COUNT, result.count())
            .put(TickerProtocol.NANOS, result.nanos()));
    }

    /** Waits until every subscriber's consumer is visible to this node, so that each gets the first tick. */
    private void awaitSubscribers(int subscribers)
        throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + REGISTRATION_LIMIT.toNanos();
        while (true) {
            long nodes = Math.min(subscribersOf(Tick.ADDRESS), subscribersOf(Tick.END_ADDRESS));
            if (nodes >= subscribers) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("only " + nodes + " of " + subscribers + " subscribers became visible");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private long subscribersOf(String address) throws ExecutionException, TimeoutException, InterruptedException {
        Promise<List<RegistrationInfo>> registrations = Promise.promise();
        node.clusterManager().getRegistrations(address, registrations);
        return await(registrations.future(), REGISTRATION_LIMIT, "looking up the subscribers of " + address).stream()
            .map(RegistrationInfo::nodeId).distinct().count();
    }

    private static long requiredLong(JsonObject command, String field) {
        Long value = command.getLong(field);
        if (value == null || value < 1) {
            throw new IllegalArgumentException("the command needs a positive '" + field + "': " + command.encode());
        }
        return value;
    }

    private static String readLine(BufferedReader commands) {
        try {
            return commands.readLine();
        } catch (IOException e) {
            // A broken pipe means the same as the end of input: the launcher is gone.
            return null;
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private void close() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
        try {
            await(node.vertx().close(), CLOSE_LIMIT, "leaving the cluster");
        } catch (ExecutionException | TimeoutException e) {
            events.error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
