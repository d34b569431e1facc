package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.verbs.NicOptions;

/**
 * Several pools on the soft provider in one JVM, each driven by its own poller threads, sharing a private
 * shared-memory directory that is checked empty and removed on close.
 */
final class PoolCluster implements AutoCloseable {
    static final long KEY = 0x5EC2E7_5EC2E7L;
    /**
     * The transport every pool of the suite runs on: the build runs the suite once on DC and once on RC
     * (the pool module's second Surefire execution sets it), so both paths keep every guarantee the suite checks.
     */
    static final TransportService TRANSPORT =
        TransportService.valueOf(System.getProperty("rdmabus.test.transportService", "AUTO"));

    private final Path directory;
    private final Map<String, QpPool> pools = new LinkedHashMap<>();
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running = true;

    PoolCluster() throws IOException {
        Path shm = Paths.get("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm
            : Paths.get(System.getProperty("java.io.tmpdir"));
        directory = Files.createTempDirectory(parent, "rdmabus-pool-test-");
    }

    Path directory() {
        return directory;
    }

    /** Options for a small pool on this cluster's directory; tests adjust them further. */
    PoolOptions options(String nodeId) {
        return new PoolOptions().nodeId(nodeId).accessKey(KEY)
            .nicOptions(new NicOptions().provider("soft").directory(directory))
            .receiveBuffers(128).receiveBufferSize(4096).sendSlabSize(64 * 1024).sendChunkSize(512)
            .initialCredits(16).sendQueueDepth(256).initiatorQueueDepth(64).initiatorQuota(8)
            .promotionThreshold(0).transportService(TRANSPORT);
    }

    QpPool start(String nodeId) throws Exception {
        return start(options(nodeId));
    }

    QpPool start(String nodeId, Consumer<PoolOptions> tweak) throws Exception {
        PoolOptions options = options(nodeId);
        tweak.accept(options);
        return start(options);
    }

    /** Starts a pool, drives its pollers, and enters it in every other pool's directory and they in its. */
    QpPool start(PoolOptions options) throws Exception {
        QpPool pool = new QpPool(options);
        pool.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (QpPool other : pools.values()) {
            other.directory().put(options.nodeId(), pool.advertisedAddress());
            pool.directory().put(other.nodeId(), other.advertisedAddress());
        }
        pools.put(options.nodeId(), pool);
        for (int i = 0; i < pool.pollerCount(); i++) {
            int index = i;
            Thread thread = new Thread(() -> poll(pool, index), "poller-" + options.nodeId() + "-" + i);
            thread.setDaemon(true);
            pollers.add(thread);
            thread.start();
        }
        return pool;
    }

    private void poll(QpPool pool, int index) {
        // Never spin for long: the test machine has two cores shared with other builds.
        IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
        while (running) {
            idle.idle(pool.doWork(index));
        }
    }

    QpPool pool(String nodeId) {
        return pools.get(nodeId);
    }

    /** Stops the pollers, closes every pool and checks they left no file behind. */
    @Override
    public void close() throws Exception {
        running = false;
        for (Thread thread : pollers) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (QpPool pool : pools.values()) {
            pool.close();
        }
        try (Stream<Path> left = Files.list(directory)) {
            List<Path> files = left.toList();
            assertEquals(List.of(), files, "files left in the shared-memory directory after close");
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
