package org.rdmabus.bench.pool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.Connection;
import org.rdmabus.pool.QpPool;
import org.rdmabus.verbs.TargetAddress;

/**
 * The second JVM of {@link FirstMessageBench}: hosts several nodes, each its own pool and NIC, that echo every
 * message back to its sender as a REPLY.
 * <p>
 * Arguments: directory, nodes with warm routes, nodes without. Prints {@code NODE warm|cold <id> <address>} for each,
 * then {@code NODES}; reads {@code PEER <id> <address>} lines (answered by {@code READY} after each) until stdin
 * closes.
 */
public final class EchoNodes {
    private EchoNodes() {
    }

    /**
     * @param args directory, warm count, cold count.
     * @throws Exception if a pool cannot start.
     */
    public static void main(String[] args) throws Exception {
        int warm = Integer.parseInt(args[1]);
        int cold = Integer.parseInt(args[2]);
        List<QpPool> pools = new ArrayList<>();
        try {
            for (int i = 0; i < warm + cold; i++) {
                boolean warmRoutes = i < warm;
                QpPool pool = new QpPool(BenchSupport.options(Paths.get(args[0]), UUID.randomUUID().toString())
                    .warmRoutes(warmRoutes));
                pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
                pool.messageSink((source, buffer, offset, length, handle) -> {
                    byte[] copy = new byte[length];
                    buffer.getBytes(offset, copy);
                    handle.release();
                    Connection back = pool.connectIfKnown(source);
                    if (back != null) {
                        back.offer(FrameType.REPLY, 0, new VarHandleBuffer(copy), 0, length, failure -> { });
                    }
                });
                pools.add(pool);
                System.out.println("NODE " + (warmRoutes ? "warm " : "cold ") + pool.nodeId() + " "
                    + pool.advertisedAddress().toExternalForm());
            }
            System.out.println("NODES");
            System.out.flush();
            Thread poller = new Thread(() -> {
                IdleStrategy idle = new YieldingIdleStrategy();
                while (!Thread.currentThread().isInterrupted()) {
                    int work = 0;
                    for (QpPool pool : pools) {
                        work += pool.doWork(0);
                    }
                    idle.idle(work);
                }
            }, "echo-poller");
            poller.setDaemon(true);
            poller.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("PEER")) {
                    for (QpPool pool : pools) {
                        pool.directory().put(parts[1], TargetAddress.fromExternalForm(parts[2]));
                    }
                    System.out.println("READY");
                    System.out.flush();
                }
            }
            poller.interrupt();
            poller.join(5_000);
        } finally {
            pools.forEach(QpPool::close);
        }
    }
}
