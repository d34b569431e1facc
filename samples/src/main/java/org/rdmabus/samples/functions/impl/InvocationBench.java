package org.rdmabus.samples.functions.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;
import org.rdmabus.samples.functions.Checkout;
import org.rdmabus.samples.functions.CheckoutFunction;
import org.rdmabus.samples.functions.CheckoutRequest;
import org.rdmabus.samples.functions.CheckoutResult;
import org.rdmabus.samples.functions.ClassicCheckoutFunction;
import org.rdmabus.samples.functions.ClassicEndpoints;
import org.rdmabus.samples.functions.ControlStep;
import org.rdmabus.samples.impl.node.Blocking;
import org.rdmabus.samples.impl.node.HistogramCodec;
import org.rdmabus.samples.impl.node.PathReport;

/**
 * The runtime node's measurement: invokes the checkout function in each {@link Mode}, a fresh instance per
 * invocation, and times each one and each of its steps; next to each invocation, a resident caller makes the same two
 * calls with nothing cold, for the steady-state time.
 *
 * <p>The modes take turns invocation by invocation, in an order that rotates every round, so that the machine's noise
 * falls on all three columns alike. Everything waits on the calling thread (the node's main thread), one invocation
 * at a time.
 */
final class InvocationBench implements AutoCloseable {

    /** How long one invocation, or one steady pair of calls, may take before it counts as failed. */
    static final Duration INVOCATION_LIMIT = Duration.ofSeconds(15);
    private static final int KEPT_FAILURES = 3;
    private static final double MEDIAN = 50.0;

    private final Vertx rdmabus;
    private final Vertx tcp;
    private final ClassicEndpoints endpoints;
    private final Context rdmabusResident;
    private final Context tcpResident;
    private final ClassicClient classicResident;
    private final Map<Mode, Column> columns = new EnumMap<>(Mode.class);

    /**
     * @param rdmabus   the runtime's Vert.x instance whose event bus rdmabus carries.
     * @param tcp       its Vert.x instance with rdmabus disabled; the classic instances are deployed here too.
     * @param endpoints where the services exchange classic queue-pair addresses.
     * @throws ClassicRdmaException if the resident classic caller cannot connect.
     */
    InvocationBench(Vertx rdmabus, Vertx tcp, ClassicEndpoints endpoints) {
        this.rdmabus = rdmabus;
        this.tcp = tcp;
        this.endpoints = endpoints;
        this.rdmabusResident = rdmabus.getOrCreateContext();
        this.tcpResident = tcp.getOrCreateContext();
        this.classicResident = ClassicClient.open(endpoints, new EnumMap<>(ControlStep.class));
        String classicPath = "a " + classicResident.provider() + " NIC, 2 RC queue pairs and a TCP exchange per instance";
        columns.put(Mode.WARM_POOL, new Column(Mode.WARM_POOL, PathReport.of(rdmabus).description()));
        columns.put(Mode.CLASSIC, new Column(Mode.CLASSIC, classicPath));
        columns.put(Mode.TCP, new Column(Mode.TCP, PathReport.of(tcp).description()));
    }

    /**
     * Runs {@code warmup} rounds, left out of the figures, then {@code invocations} measured rounds; a round is one
     * invocation and one steady pair of calls per mode. Stops early, with fewer rounds, at the time limit.
     *
     * @param warmup      rounds to run first, unmeasured.
     * @param invocations measured rounds.
     * @param limit       how long all rounds may take.
     * @param onRound     told the number of rounds done after each one.
     * @return each mode's column.
     */
    List<ColumnResult> run(int warmup, int invocations, Duration limit, IntConsumer onRound) {
        long deadline = System.nanoTime() + limit.toNanos();
        Mode[] modes = Mode.values();
        for (int round = 0; round < warmup + invocations && System.nanoTime() - deadline < 0; round++) {
            boolean measured = round >= warmup;
            CheckoutRequest request = CheckoutRequest.numbered(round);
            // All invocations, then all steady pairs, in the same order: each steady pair follows another mode's
            // work just as each invocation does, so neither finds the services' pollers fresher from its own.
            for (int turn = 0; turn < modes.length; turn++) {
                invoke(columns.get(modes[(round + turn) % modes.length]), request, measured);
            }
            for (int turn = 0; turn < modes.length; turn++) {
                steady(columns.get(modes[(round + turn) % modes.length]), request, measured);
            }
            onRound.accept(round + 1);
        }
        return columns.values().stream().map(Column::result).toList();
    }

    /** Closes the resident classic caller's resources. */
    @Override
    public void close() {
        classicResident.close();
    }

    private void invoke(Column column, CheckoutRequest request, boolean measured) {
        Promise<CheckoutResult> result = Promise.promise();
        Vertx vertx = column.mode == Mode.WARM_POOL ? rdmabus : tcp;
        VerticleBase instance = switch (column.mode) {
            case WARM_POOL, TCP -> new CheckoutFunction(request, result);
            case CLASSIC -> new ClassicCheckoutFunction(request, endpoints, result);
        };
        long begin = System.nanoTime();
        Future<String> deployment = vertx.deployVerticle(instance);
        CheckoutResult answer;
        try {
            answer = Blocking.await(result.future(), INVOCATION_LIMIT, "a " + column.mode.label() + " invocation");
        } catch (ExecutionException | TimeoutException e) {
            undeployQuietly(vertx, deployment);
            column.failed(measured, "invocation: " + message(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an invocation", e);
        }
        long undeploy;
        try {
            String id = Blocking.await(deployment, INVOCATION_LIMIT, "deploying an instance");
            long undeploying = System.nanoTime();
            Blocking.await(vertx.undeploy(id), INVOCATION_LIMIT, "undeploying an instance");
            undeploy = System.nanoTime() - undeploying;
        } catch (ExecutionException | TimeoutException e) {
            column.failed(measured, "undeploy: " + message(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an undeployment", e);
        }
        long expected = Checkout.expectedTotalCents(request);
        if (answer.totalCents() != expected) {
            column.failed(measured, "checkout " + request + " answered " + answer.totalCents() + ", expected "
                + expected);
        } else if (measured) {
            column.invoked(begin, answer, undeploy);
        }
    }

    private void steady(Column column, CheckoutRequest request, boolean measured) {
        Promise<Long> took = Promise.promise();
        long expected = Checkout.expectedTotalCents(request);
        switch (column.mode) {
            case WARM_POOL -> callFrom(rdmabusResident, request, took);
            case TCP -> callFrom(tcpResident, request, took);
            case CLASSIC -> tcpResident.<Long>executeBlocking(() -> {
                long begin = System.nanoTime();
                long total = classicResident.checkout(request);
                long end = System.nanoTime();
                return total == expected ? end - begin : -1L;
            }).onComplete(took);
        }
        try {
            long nanos = Blocking.await(took.future(), INVOCATION_LIMIT, "a steady " + column.mode.label() + " call");
            if (nanos < 0) {
                column.failed(measured, "a steady checkout " + request + " got a wrong total");
            } else if (measured) {
                column.steady.recordValue(HistogramCodec.clamp(nanos));
            }
        } catch (ExecutionException | TimeoutException e) {
            column.failed(measured, "steady calls: " + message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during steady calls", e);
        }
    }

    /** The two event-bus calls from a context that stays: no deployment, nothing cold. */
    private static void callFrom(Context context, CheckoutRequest request, Promise<Long> took) {
        long expected = Checkout.expectedTotalCents(request);
        context.runOnContext(ignored -> {
            long begin = System.nanoTime();
            Checkout.totalCents(context.owner().eventBus(), request)
                .map(total -> total == expected ? System.nanoTime() - begin : -1L)
                .onComplete(took);
        });
    }

    private static void undeployQuietly(Vertx vertx, Future<String> deployment) {
        deployment.onSuccess(vertx::undeploy);
    }

    private static String message(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** What one mode's measured invocations gathered so far. */
    private static final class Column {
        private final Mode mode;
        private final String path;
        private final List<Long> invocations = new ArrayList<>();
        private final Histogram steady = HistogramCodec.newHistogram();
        private final Histogram deploy = HistogramCodec.newHistogram();
        private final Histogram calls = HistogramCodec.newHistogram();
        private final Histogram undeploy = HistogramCodec.newHistogram();
        private final Map<ControlStep, Histogram> controlPath = new EnumMap<>(ControlStep.class);
        private final List<String> failures = new ArrayList<>();
        private int failed;

        private Column(Mode mode, String path) {
            this.mode = mode;
            this.path = path;
        }

        private void invoked(long begin, CheckoutResult answer, long undeployNanos) {
            invocations.add(answer.finishedNanos() - begin);
            deploy.recordValue(HistogramCodec.clamp(answer.startedNanos() - begin));
            calls.recordValue(HistogramCodec.clamp(answer.callsTookNanos()));
            undeploy.recordValue(HistogramCodec.clamp(undeployNanos));
            answer.controlPath().forEach((step, nanos) -> controlPath
                .computeIfAbsent(step, ignored -> HistogramCodec.newHistogram())
                .recordValue(HistogramCodec.clamp(nanos)));
        }

        /** A failure in the warm-up counts too: it is a wrong answer all the same. */
        private void failed(boolean measured, String why) {
            failed++;
            if (failures.size() < KEPT_FAILURES) {
                failures.add((measured ? "" : "(warm-up) ") + why);
            }
        }

        private ColumnResult result() {
            Histogram invocation = HistogramCodec.newHistogram();
            Histogram overhead = HistogramCodec.newHistogram();
            long steadyMedian = steady.getTotalCount() == 0 ? 0 : steady.getValueAtPercentile(MEDIAN);
            for (long nanos : invocations) {
                invocation.recordValue(HistogramCodec.clamp(nanos));
                overhead.recordValue(HistogramCodec.clamp(Math.max(0, nanos - steadyMedian)));
            }
            return new ColumnResult(mode, path, invocations.size(), failed, failures, invocation, steady, overhead,
                deploy, calls, undeploy, controlPath);
        }
    }
}
