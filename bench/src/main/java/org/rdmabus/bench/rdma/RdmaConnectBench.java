package org.rdmabus.bench.rdma;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.rdma.RdmaFabric;

/**
 * What a warm pool saves on the {@code rdma} provider: the cold way to reach a node (create an RC queue pair,
 * exchange addresses over an open loopback TCP connection, RTR, RTS; or rdma_cm through DiSNI) against the
 * warm way (look up an already connected, pooled RC queue pair and send the first message), plus the
 * provider's round trip to compare with {@code ib_send_lat} on the same device.
 * <p>
 * Both "nodes" are NICs on the same device in this JVM (Soft-RoCE loopback in the test VM). Each phase first
 * runs unrecorded warm-up iterations. Options: {@code --cold 50 --cm 20 --warm 2000 --rtt 20000 --seconds 60
 * --size 64 --cm-address 192.0.2.1}; every loop is bounded by its count and by {@code --seconds} per phase.
 */
public final class RdmaConnectBench {
    private static final int POOL = 16;

    private RdmaConnectBench() {
    }

    /**
     * @param args options, see the class comment.
     * @throws Exception if a step fails.
     */
    public static void main(String[] args) throws Exception {
        int cold = option(args, "--cold", 50);
        int cmCount = option(args, "--cm", 20);
        int warm = option(args, "--warm", 2_000);
        int rtt = option(args, "--rtt", 20_000);
        int size = option(args, "--size", 64);
        long phase = TimeUnit.SECONDS.toNanos(option(args, "--seconds", 60));
        String cmAddress = textOption(args, "--cm-address", System.getenv().getOrDefault("RXE_VM_ADDR", ""));

        NicOptions options = new NicOptions().provider(RdmaFabric.NAME);
        try (RcEndpoint a = new RcEndpoint(new RdmaFabric().open(options));
             RcEndpoint b = new RcEndpoint(new RdmaFabric().open(options))) {
            System.out.printf(Locale.ROOT, "%-58s %10s %10s %10s %7s%n", "operation", "p50 us", "p99 us", "max us",
                "count");
            Histogram[] coldParts = {new Histogram(3), new Histogram(3), new Histogram(3)};
            Histogram coldConnect = new Histogram(3);
            Histogram coldFirst = new Histogram(3);
            coldConnections(a, b, cold, size, System.nanoTime() + phase, coldParts, coldConnect, coldFirst);
            print("cold: create RC QP (client side)", coldParts[0]);
            print("cold: exchange over TCP (server creates QP, RTR, RTS)", coldParts[1]);
            print("cold: client RTR + RTS", coldParts[2]);
            print("cold: create QP + exchange (TCP) + RTR + RTS", coldConnect);
            print("cold: ... + first " + size + " B message received", coldFirst);

            Histogram cm = rdmaCm(cmAddress, cmCount, System.nanoTime() + phase);
            if (cm != null) {
                print("cold: rdma_cm (DiSNI) connect until both established", cm);
            }

            Histogram warmFirst = new Histogram(3);
            Histogram lookup = new Histogram(3);
            warmConnections(a, b, warm, size, System.nanoTime() + phase, lookup, warmFirst);
            print("warm: pooled RC QP lookup", lookup);
            print("warm: lookup + first " + size + " B message received", warmFirst);

            Histogram halfRtt = roundTrips(a, b, rtt, System.nanoTime() + phase);
            print("round trip / 2, 2 B inline SEND ping-pong (as ib_send_lat)", halfRtt);

            double ratio = (double) coldFirst.getValueAtPercentile(50) / warmFirst.getValueAtPercentile(50);
            System.out.printf(Locale.ROOT, "%nratio cold/warm (p50, connect + first message): %.0fx%n", ratio);
            if (cm != null) {
                System.out.printf(Locale.ROOT, "ratio rdma_cm/warm (p50): %.0fx%n",
                    (double) cm.getValueAtPercentile(50) / warmFirst.getValueAtPercentile(50));
            }
        }
    }

    /** Cold: everything a first connection to a node costs, then its first message. */
    private static void coldConnections(RcEndpoint a, RcEndpoint b, int count, int size, long deadline,
                                        Histogram[] parts, Histogram connect, Histogram first) throws IOException {
        AtomicReference<ReliableQueuePair> serverSide = new AtomicReference<>();
        try (AddressExchange exchange = new AddressExchange(client -> {
            ReliableQueuePair queuePair = b.createQueuePair();
            queuePair.connect(client);
            serverSide.set(queuePair);
            return queuePair.localAddress();
        })) {
            int warmup = Math.max(5, count / 5);
            for (int i = 0; i < warmup + count && System.nanoTime() < deadline; i++) {
                long start = System.nanoTime();
                ReliableQueuePair queuePair = a.createQueuePair();
                long created = System.nanoTime();
                TargetAddress peer = exchange.exchange(queuePair.localAddress());
                long exchanged = System.nanoTime();
                queuePair.connect(peer);
                long connected = System.nanoTime();
                a.send(queuePair, size, true, deadline);
                b.awaitReceive(deadline);
                long received = System.nanoTime();
                a.awaitSend(deadline);
                if (i >= warmup) {
                    parts[0].recordValue(created - start);
                    parts[1].recordValue(exchanged - created);
                    parts[2].recordValue(connected - exchanged);
                    connect.recordValue(connected - start);
                    first.recordValue(received - start);
                }
                queuePair.close();
                serverSide.get().close();
            }
        }
    }

    private static Histogram rdmaCm(String address, int count, long deadline) {
        if (address.isEmpty()) {
            System.out.println("(rdma_cm skipped: no --cm-address and no RXE_VM_ADDR)");
            return null;
        }
        Histogram histogram = new Histogram(3);
        try (RdmaCmConnect cm = new RdmaCmConnect(new InetSocketAddress(address, 20_000 + (int) (ProcessHandle
            .current().pid() % 20_000)))) {
            for (int i = 0; i < 3 + count && System.nanoTime() < deadline; i++) {
                long elapsed = cm.connectOnce();
                if (i >= 3) {
                    histogram.recordValue(elapsed);
                }
            }
        } catch (Exception e) {
            System.out.println("(rdma_cm failed: " + e + ")");
            return null;
        }
        return histogram;
    }

    /** Warm: the pool already holds connected RC queue pairs; reaching a node is a lookup. */
    private static void warmConnections(RcEndpoint a, RcEndpoint b, int count, int size, long deadline,
                                        Histogram lookup, Histogram first) {
        Map<String, ReliableQueuePair> pool = new HashMap<>();
        List<ReliableQueuePair> servers = new ArrayList<>();
        String[] nodes = new String[POOL];
        for (int i = 0; i < POOL; i++) {
            ReliableQueuePair client = a.createQueuePair();
            ReliableQueuePair server = b.createQueuePair();
            client.connect(server.localAddress());
            server.connect(client.localAddress());
            nodes[i] = "node-" + i;
            pool.put(nodes[i], client);
            servers.add(server);
        }
        int warmup = Math.max(100, count / 5);
        for (int i = 0; i < warmup + count && System.nanoTime() < deadline; i++) {
            long start = System.nanoTime();
            ReliableQueuePair queuePair = pool.get(nodes[i % POOL]);
            long found = System.nanoTime();
            a.send(queuePair, size, true, deadline);
            b.awaitReceive(deadline);
            long received = System.nanoTime();
            a.awaitSend(deadline);
            if (i >= warmup) {
                lookup.recordValue(found - start);
                first.recordValue(received - start);
            }
        }
        pool.values().forEach(ReliableQueuePair::close);
        servers.forEach(ReliableQueuePair::close);
    }

    /**
     * Ping-pong between two threads, each spinning on its own receive queue; 2 B like ib_send_lat's default.
     * Stops at the deadline with the round trips done so far.
     */
    private static Histogram roundTrips(RcEndpoint a, RcEndpoint b, int count, long deadline) throws Exception {
        ReliableQueuePair ping = a.createQueuePair();
        ReliableQueuePair pong = b.createQueuePair();
        ping.connect(pong.localAddress());
        pong.connect(ping.localAddress());
        int warmup = Math.min(2_000, count / 5);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long grace = deadline + TimeUnit.SECONDS.toNanos(10);
        Thread ponger = new Thread(() -> {
            try {
                while (!stop.get()) {
                    if (b.tryReceive()) {
                        b.send(pong, 2, false, grace);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "pong");
        ponger.start();
        Histogram half = new Histogram(3);
        try {
            for (int i = 0; i < warmup + count && System.nanoTime() < deadline && failure.get() == null; i++) {
                long start = System.nanoTime();
                a.send(ping, 2, false, grace);
                a.awaitReceive(grace);
                if (i >= warmup) {
                    half.recordValue((System.nanoTime() - start) / 2);
                }
            }
        } finally {
            stop.set(true);
            ponger.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (failure.get() != null) {
            throw new IllegalStateException("pong side failed", failure.get());
        }
        ping.close();
        pong.close();
        return half;
    }

    private static void print(String what, Histogram histogram) {
        System.out.printf(Locale.ROOT, "%-58s %10.1f %10.1f %10.1f %7d%n", what,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getMaxValue() / 1000.0, histogram.getTotalCount());
    }

    private static int option(String[] args, String name, int fallback) {
        String value = textOption(args, name, null);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static String textOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
