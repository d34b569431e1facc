package org.rdmabus.bench.pool;

import org.rdmabus.bench.ChildJvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.QpPool;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.verbs.TargetAddress;

/**
 * The first message to a node never contacted, in another JVM, against the steady-state round trip; both are a
 * 64-byte message and its echo. The pools are warm (started, JIT-compiled by the steady-state run); each first
 * message goes to a node of its own, with its own NIC, that this JVM has never sent to. The node is entered in
 * the directory (the membership event) 20 ms before the message, time the sender spends in round trips with a node
 * it knows, so both JVMs stay as busy as in the steady state. Two variants: with route warming (the pool's default:
 * the directory entry makes each side resolve the other in the background) and without (the first message resolves
 * the route). Each first message is followed by a round trip to the known node, as a control. The measuring
 * thread polls the pools itself, so no third thread spins.
 * Options: {@code --nodes N} per variant (default 8), {@code --roundtrips N} (default 20 000).
 */
final class FirstMessageBench {
    private static final int SIZE = 64;

    private FirstMessageBench() {
    }

    static void run(String[] args) throws Exception {
        int nodes = BenchSupport.intOption(args, "--nodes", 8);
        int roundTrips = BenchSupport.intOption(args, "--roundtrips", 20_000);
        Path directory = BenchSupport.directory();
        AtomicLong replies = new AtomicLong();
        try (QpPool warmSide = new QpPool(BenchSupport.options(directory, UUID.randomUUID().toString()));
             QpPool coldSide = new QpPool(BenchSupport.options(directory, UUID.randomUUID().toString())
                 .warmRoutes(false))) {
            warmSide.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            coldSide.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            warmSide.messageSink((source, buffer, offset, length, handle) -> {
                handle.release();
                replies.incrementAndGet();
            });
            coldSide.messageSink((source, buffer, offset, length, handle) -> {
                handle.release();
                replies.incrementAndGet();
            });
            // The measuring thread is also the pools' poller: no third busy thread on a small machine.
            Runnable poll = () -> {
                warmSide.doWork(0);
                coldSide.doWork(0);
            };
            try (ChildJvm child = new ChildJvm(EchoNodes.class, directory.toString(),
                Integer.toString(nodes + 1), Integer.toString(nodes + 1))) {
                List<String[]> warm = new ArrayList<>();
                List<String[]> cold = new ArrayList<>();
                String line;
                while (!(line = child.readLine()).equals("NODES")) {
                    String[] parts = line.split(" ");
                    (parts[1].equals("warm") ? warm : cold).add(new String[] {parts[2], parts[3]});
                }
                child.writeLine("PEER " + warmSide.nodeId() + " " + warmSide.advertisedAddress().toExternalForm());
                child.readLine();
                child.writeLine("PEER " + coldSide.nodeId() + " " + coldSide.advertisedAddress().toExternalForm());
                child.readLine();

                String[] steadyNode = warm.get(0);
                warmSide.directory().put(steadyNode[0], TargetAddress.fromExternalForm(steadyNode[1]));
                Connection steady = warmSide.connect(steadyNode[0]).toCompletableFuture().get(5, TimeUnit.SECONDS);
                roundTrips(steady, replies, roundTrips, poll);
                Histogram steadyHistogram = roundTrips(steady, replies, roundTrips, poll);

                Histogram[] warmRun = firsts(warmSide, warm.subList(1, warm.size()), steady, replies, poll);
                String[] coldKnown = cold.get(0);
                coldSide.directory().put(coldKnown[0], TargetAddress.fromExternalForm(coldKnown[1]));
                Connection coldSteady =
                    coldSide.connect(coldKnown[0]).toCompletableFuture().get(5, TimeUnit.SECONDS);
                roundTrips(coldSteady, replies, 1_000, poll);
                Histogram[] coldRun = firsts(coldSide, cold.subList(1, cold.size()), coldSteady, replies, poll);
                BenchSupport.header();
                BenchSupport.print("steady-state round trip, 64 B, back to back", steadyHistogram);
                BenchSupport.print("known node, right after (control)", warmRun[1]);
                BenchSupport.print("first message to a new node, routes warmed", warmRun[0]);
                BenchSupport.print("known node, right after, warmRoutes off", coldRun[1]);
                BenchSupport.print("first message to a new node, warmRoutes off", coldRun[0]);
                double steadyP50 = steadyHistogram.getValueAtPercentile(50);
                System.out.printf(Locale.ROOT, "first/steady p50: %.1fx with warmed routes (goal <= 3x), %.1fx"
                        + " without; first/control p50: %.1fx and %.1fx%n",
                    warmRun[0].getValueAtPercentile(50) / steadyP50, coldRun[0].getValueAtPercentile(50) / steadyP50,
                    (double) warmRun[0].getValueAtPercentile(50) / warmRun[1].getValueAtPercentile(50),
                    (double) coldRun[0].getValueAtPercentile(50) / coldRun[1].getValueAtPercentile(50));
            }
        } finally {
            BenchSupport.delete(directory);
        }
    }

    /**
     * Times the first round trip to each node, 20 ms after the directory learns it. Those 20 ms are spent in round
     * trips to the already-contacted {@code known} node, so both JVMs are as busy and warm as in the steady state; a
     * real node joins a cluster that is running. As a control, the next round trip to {@code known} is timed too.
     */
    private static Histogram[] firsts(QpPool pool, List<String[]> nodes, Connection known, AtomicLong replies,
                                      Runnable poll) throws Exception {
        Histogram first = BenchSupport.histogram();
        Histogram control = BenchSupport.histogram();
        for (String[] node : nodes) {
            pool.directory().put(node[0], TargetAddress.fromExternalForm(node[1]));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                roundTrip(known, replies, poll);
            }
            long start = System.nanoTime();
            Connection connection = pool.connect(node[0]).toCompletableFuture().get(5, TimeUnit.SECONDS);
            roundTrip(connection, replies, poll);
            first.recordValue(System.nanoTime() - start);
            start = System.nanoTime();
            roundTrip(known, replies, poll);
            control.recordValue(System.nanoTime() - start);
        }
        return new Histogram[] {first, control};
    }

    private static Histogram roundTrips(Connection connection, AtomicLong replies, int count, Runnable poll) {
        Histogram histogram = BenchSupport.histogram();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            roundTrip(connection, replies, poll);
            histogram.recordValue(System.nanoTime() - start);
        }
        return histogram;
    }

    private static void roundTrip(Connection connection, AtomicLong replies, Runnable poll) {
        long expected = replies.get() + 1;
        VarHandleBuffer message = new VarHandleBuffer(new byte[SIZE]);
        if (connection.offer(FrameType.MESSAGE, 0, message, 0, SIZE, failure -> {
            if (failure != null) {
                System.err.println("send failed: " + failure);
            }
        }) != SendStatus.ACCEPTED) {
            throw new IllegalStateException("message not accepted");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (replies.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no echo within 5 s");
            }
            poll.run();
        }
    }
}
