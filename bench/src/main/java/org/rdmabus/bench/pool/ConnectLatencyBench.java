package org.rdmabus.bench.pool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.QpPool;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;

/**
 * Connect latency to distinct nodes, {@code --connects N} of each kind (default 10 000; cold: a fifth):
 * <ul>
 *   <li>warm: the node is in the directory (a membership event already put it there);</li>
 *   <li>miss: the node is not, and an in-process lookup answers, on the caller's thread or on another thread;</li>
 *   <li>cold, for contrast: what a verbs application does per connection, on the soft fabric: a completion queue
 *       and a reliable queue pair on each side, the address exchange (in memory here, a TCP round trip in
 *       practice) and connecting both sides.</li>
 * </ul>
 * Each kind runs once untimed first, on other nodes, so the JIT has compiled the path.
 */
final class ConnectLatencyBench {
    private ConnectLatencyBench() {
    }

    static void run(String[] args) throws Exception {
        int connects = BenchSupport.intOption(args, "--connects", 10_000);
        Path directory = BenchSupport.directory();
        try {
            BenchSupport.header();
            warmAndMiss(directory, connects, true);
            warmAndMiss(directory, connects, false);
            cold(directory, Math.max(100, connects / 5));
        } finally {
            BenchSupport.delete(directory);
        }
    }

    private static void warmAndMiss(Path directory, int connects, boolean warmRoutes) throws Exception {
        String suffix = warmRoutes ? "" : ", warmRoutes off";
        try (QpPool target = new QpPool(BenchSupport.options(directory, "target"));
             QpPool pool = new QpPool(BenchSupport.options(directory, "connector").warmRoutes(warmRoutes))) {
            target.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            TargetAddress address = target.advertisedAddress();
            Thread poller = poll(pool);
            Thread targetPoller = poll(target);
            try {
                List<String> warmup = nodes(connects);
                List<String> measured = nodes(connects);
                for (String node : warmup) {
                    pool.directory().put(node, address);
                }
                for (String node : measured) {
                    pool.directory().put(node, address);
                }
                timeConnects(pool, warmup);
                BenchSupport.print("warm: directory hit, first connect" + suffix, timeConnects(pool, measured));
                BenchSupport.print("warm: directory hit, again" + suffix, timeConnects(pool, measured));

                Map<String, TargetAddress> cluster = new HashMap<>();
                List<String> missWarmup = nodes(connects);
                List<String> missMeasured = nodes(connects);
                List<String> asyncMeasured = nodes(connects);
                for (String node : missWarmup) {
                    cluster.put(node, address);
                }
                for (String node : missMeasured) {
                    cluster.put(node, address);
                }
                pool.directory().lookup(node -> CompletableFuture.completedFuture(cluster.get(node)));
                timeConnects(pool, missWarmup);
                BenchSupport.print("miss: in-process lookup, same thread" + suffix, timeConnects(pool, missMeasured));
                ExecutorService lookupThread = Executors.newSingleThreadExecutor();
                try {
                    for (String node : asyncMeasured) {
                        cluster.put(node, address);
                    }
                    pool.directory().lookup(node -> CompletableFuture.supplyAsync(() -> cluster.get(node),
                        lookupThread));
                    BenchSupport.print("miss: in-process lookup, another thread" + suffix,
                        timeConnects(pool, asyncMeasured));
                } finally {
                    lookupThread.shutdownNow();
                }
            } finally {
                poller.interrupt();
                targetPoller.interrupt();
                poller.join(5_000);
                targetPoller.join(5_000);
            }
        }
    }

    private static Histogram timeConnects(QpPool pool, List<String> nodes) throws Exception {
        Histogram histogram = BenchSupport.histogram();
        for (String node : nodes) {
            long start = System.nanoTime();
            Connection connection = pool.connect(node).toCompletableFuture().get(5, TimeUnit.SECONDS);
            histogram.recordValue(System.nanoTime() - start);
            if (connection == null) {
                throw new IllegalStateException("no connection to " + node);
            }
        }
        return histogram;
    }

    private static void cold(Path directory, int connects) {
        NicOptions options = new NicOptions().provider("soft").directory(directory);
        try (Nic local = Fabrics.open(options); Nic remote = Fabrics.open(options)) {
            SharedReceiveQueue localReceives = local.createSharedReceiveQueue(64);
            CompletionQueue localReceived = local.createCompletionQueue(64);
            SharedReceiveQueue remoteReceives = remote.createSharedReceiveQueue(64);
            CompletionQueue remoteReceived = remote.createCompletionQueue(64);
            coldConnects(local, remote, localReceives, localReceived, remoteReceives, remoteReceived,
                Math.max(50, connects / 5));
            BenchSupport.print("cold: per-connection CQs + RC pair + exchange + connect",
                coldConnects(local, remote, localReceives, localReceived, remoteReceives, remoteReceived,
                    connects));
        }
    }

    private static Histogram coldConnects(Nic local, Nic remote, SharedReceiveQueue localReceives,
                                          CompletionQueue localReceived, SharedReceiveQueue remoteReceives,
                                          CompletionQueue remoteReceived, int connects) {
        Histogram histogram = BenchSupport.histogram();
        for (int i = 0; i < connects; i++) {
            long start = System.nanoTime();
            CompletionQueue localSends = local.createCompletionQueue(64);
            ReliableQueuePair localPair = local.createReliableQueuePair(localSends, localReceives, localReceived, 64);
            CompletionQueue remoteSends = remote.createCompletionQueue(64);
            ReliableQueuePair remotePair =
                remote.createReliableQueuePair(remoteSends, remoteReceives, remoteReceived, 64);
            localPair.connect(remotePair.localAddress());
            remotePair.connect(localPair.localAddress());
            histogram.recordValue(System.nanoTime() - start);
            localPair.close();
            remotePair.close();
            localSends.close();
            remoteSends.close();
        }
        return histogram;
    }

    private static List<String> nodes(int count) {
        List<String> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nodes.add(UUID.randomUUID().toString());
        }
        return nodes;
    }

    /** Drives a pool's poller in the background, backing off when idle; interrupt to stop. */
    static Thread poll(QpPool pool) {
        Thread thread = new Thread(() -> {
            org.agrona.concurrent.IdleStrategy idle =
                new org.agrona.concurrent.BackoffIdleStrategy(10, 10, 1_000, 100_000);
            while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < pool.pollerCount(); i++) {
                    idle.idle(pool.doWork(i));
                }
            }
        }, "poller-" + pool.nodeId());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
