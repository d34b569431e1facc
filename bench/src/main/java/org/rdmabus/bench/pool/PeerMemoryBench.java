package org.rdmabus.bench.pool;

import org.rdmabus.bench.ChildJvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.PoolException;
import org.rdmabus.pool.QpPool;
import org.rdmabus.pool.SendStatus;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * Resident memory per peer at 1, 10, 100 and 1000 peers: the DC pool against one reliable queue pair per peer, as a
 * classic connection pool needs. Resident means heap in use after a full collection, plus direct buffers, plus the
 * touched pages of mapped shared-memory files (from /proc/self/smaps), in this process only. The last part is
 * printed apart: on the soft fabric a SEND is a copy through this process's mapping of the peer's receive buffer,
 * so every page a message lands in becomes resident here too, a cost of the software NIC (a hardware NIC writes
 * into the peer's memory without touching this host), identical for DC and RC.
 * <p>
 * Each peer is a DC target (or a reliable queue pair) in a second JVM, all on one NIC there, and gets one 64-byte
 * message, so its route is resolved and its state exists. The RC side is given every advantage: its queue pairs
 * share one send completion queue and the receive queue, as the pool's do, and have the pool's initiator depth
 * (128); a classic pool with per-connection receive buffers would cost far more. Option: {@code --peers N} for the
 * largest count (default 1000, at most 1000: the soft NIC's limit on targets).
 */
final class PeerMemoryBench {
    private static final int DEPTH = 128;

    private PeerMemoryBench() {
    }

    static void run(String[] args) throws Exception {
        int largest = Math.min(1000, BenchSupport.intOption(args, "--peers", 1000));
        List<Integer> counts = new ArrayList<>();
        for (int count = 1; count <= largest; count *= 10) {
            counts.add(count);
        }
        Path directory = BenchSupport.directory();
        try {
            long[][] dc = dcPool(directory, counts);
            long[][] rc = reliablePerPeer(directory, counts);
            System.out.printf(Locale.ROOT, "%6s | %14s %14s %12s | %14s %14s %12s | %8s%n", "peers", "DC heap+direct",
                "DC mapped", "DC B/peer", "RC heap+direct", "RC mapped", "RC B/peer", "RC/DC");
            for (int i = 0; i < counts.size(); i++) {
                int peers = counts.get(i);
                long dcTotal = dc[i][0] + dc[i][1];
                long rcTotal = rc[i][0] + rc[i][1];
                System.out.printf(Locale.ROOT, "%6d | %14d %14d %12d | %14d %14d %12d | %8.1f%n", peers, dc[i][0],
                    dc[i][1], dcTotal / peers, rc[i][0], rc[i][1], rcTotal / peers,
                    (double) rcTotal / Math.max(1, dcTotal));
            }
            if (counts.size() >= 2) {
                int last = counts.size() - 1;
                long added = counts.get(last) - counts.get(last - 1);
                long dcHeap = (dc[last][0] - dc[last - 1][0]) / added;
                long dcMapped = (dc[last][1] - dc[last - 1][1]) / added;
                long rcHeap = (rc[last][0] - rc[last - 1][0]) / added;
                long rcMapped = (rc[last][1] - rc[last - 1][1]) / added;
                System.out.printf(Locale.ROOT, "per additional peer (%d -> %d): DC pool %d bytes heap+direct + %d"
                        + " mapped (goal <= 1024 in all); RC %d + %d; ratio %.1f (heap+direct %.1f)%n",
                    counts.get(last - 1), counts.get(last), dcHeap, dcMapped, rcHeap, rcMapped,
                    (double) (rcHeap + rcMapped) / Math.max(1, dcHeap + dcMapped),
                    (double) rcHeap / Math.max(1, dcHeap));
            }
        } finally {
            BenchSupport.delete(directory);
        }
    }

    /** @return resident bytes above the started pool's own, after each count of peers: {heap+direct, mapped}. */
    private static long[][] dcPool(Path directory, List<Integer> counts) throws Exception {
        long[][] grown = new long[counts.size()][];
        try (ChildJvm host = new ChildJvm(PeerHost.class, directory.toString(), "dc",
                Long.toString(BenchSupport.KEY));
             QpPool pool = new QpPool(BenchSupport.options(directory, UUID.randomUUID().toString()))) {
            pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Thread poller = ConnectLatencyBench.poll(pool);
            try {
                long[] baseline = BenchSupport.residentBytes(directory);
                int added = 0;
                VarHandleBuffer message = new VarHandleBuffer(new byte[64]);
                for (int i = 0; i < counts.size(); i++) {
                    for (; added < counts.get(i); added++) {
                        host.writeLine("TARGET");
                        String node = UUID.randomUUID().toString();
                        pool.directory().put(node, TargetAddress.fromExternalForm(host.readLine()));
                        Connection connection = pool.connect(node).toCompletableFuture().get(5, TimeUnit.SECONDS);
                        CompletableFuture<PoolException> sent = new CompletableFuture<>();
                        if (connection.offer(FrameType.MESSAGE, 0, message, 0, 64, sent::complete)
                            != SendStatus.ACCEPTED) {
                            throw new IllegalStateException("message not accepted");
                        }
                        PoolException failure = sent.get(5, TimeUnit.SECONDS);
                        if (failure != null) {
                            throw failure;
                        }
                    }
                    grown[i] = minus(BenchSupport.residentBytes(directory), baseline);
                }
            } finally {
                poller.interrupt();
                poller.join(5_000);
            }
        }
        return grown;
    }

    /** @return resident bytes above a NIC with its shared receive side, after each count of pairs, as above. */
    private static long[][] reliablePerPeer(Path directory, List<Integer> counts) throws Exception {
        long[][] grown = new long[counts.size()][];
        List<ReliableQueuePair> pairs = new ArrayList<>();
        try (ChildJvm host = new ChildJvm(PeerHost.class, directory.toString(), "rc",
                Long.toString(BenchSupport.KEY));
             Nic nic = Fabrics.open(new NicOptions().provider("soft").directory(directory))) {
            SharedReceiveQueue receives = nic.createSharedReceiveQueue(256);
            CompletionQueue received = nic.createCompletionQueue(256);
            CompletionQueue sends = nic.createCompletionQueue(DEPTH);
            MemoryRegion source = nic.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
            WorkRequest send = new WorkRequest().send(source, 0, 64).signalled(true);
            Completion[] completions = Completion.array(1);
            long[] baseline = BenchSupport.residentBytes(directory);
            for (int i = 0; i < counts.size(); i++) {
                while (pairs.size() < counts.get(i)) {
                    ReliableQueuePair pair = nic.createReliableQueuePair(sends, receives, received, DEPTH);
                    host.writeLine("CONNECT " + pair.localAddress().toExternalForm());
                    pair.connect(TargetAddress.fromExternalForm(host.readLine()));
                    if (!pair.post(send)) {
                        throw new IllegalStateException("send queue full");
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (sends.poll(completions) == 0) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("no completion");
                        }
                    }
                    if (!completions[0].isSuccess()) {
                        throw new IllegalStateException("send failed: " + completions[0]);
                    }
                    pairs.add(pair);
                }
                grown[i] = minus(BenchSupport.residentBytes(directory), baseline);
            }
        } finally {
            pairs.clear();
        }
        return grown;
    }

    private static long[] minus(long[] now, long[] baseline) {
        return new long[] {now[0] - baseline[0], now[1] - baseline[1]};
    }
}
